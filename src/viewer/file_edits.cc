#include "viewer/file_edits.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <set>

#include "core/json_limits.h"
#include "core/lines.h"
#include "events/payloads.h"

namespace ctxbench {

namespace {

constexpr size_t kMaxDiffLines = 4000;

// The whole file shown by a read_file reply ("File p (lines 1-N of N):\n"
// then the lines), or nullopt for a partial read.
std::optional<std::string> WholeRead(const std::string& reply) {
  size_t eol = reply.find('\n');
  if (eol == std::string::npos) return std::nullopt;
  std::string header = reply.substr(0, eol);
  size_t at = header.rfind(" (lines ");
  if (header.rfind("File ", 0) != 0 || at == std::string::npos) return std::nullopt;
  int first = 0, last = 0, total = 0;
  if (std::sscanf(header.c_str() + at, " (lines %d-%d of %d):", &first, &last, &total) != 3) {
    return std::nullopt;
  }
  if (first != 1 || last != total) return std::nullopt;
  return reply.substr(eol + 1);
}

// The paths a list_files reply names ("path (N bytes)" per line).
std::set<std::string> ListedPaths(const std::string& reply) {
  std::set<std::string> paths;
  for (const std::string& line : SplitLines(reply)) {
    size_t at = line.find(" (");
    if (at != std::string::npos && at > 0) paths.insert(line.substr(0, at));
  }
  return paths;
}

size_t Count(const std::string& text, const std::string& search) {
  size_t n = 0;
  for (size_t at = text.find(search); !search.empty() && at != std::string::npos;
       at = text.find(search, at + 1)) {
    ++n;
  }
  return n;
}

// One hunk of only the edit's own lines (no line numbers known).
DiffHunk EditHunk(const std::string& removed, const std::string& added) {
  DiffHunk hunk;
  for (const std::string& line : SplitLines(removed)) hunk.lines.push_back("-" + line);
  for (const std::string& line : SplitLines(added)) hunk.lines.push_back("+" + line);
  return hunk;
}

std::string Arg(const Json& args, const char* key) {
  auto it = args.find(key);
  return it != args.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// What the replay knows of one file.
struct FileState {
  std::optional<std::string> text;  // nullopt: not known
};

// What undo_edit restores: the content before (when known) or, for an
// edit_file of an unknown file, the edit to invert.
struct UndoEntry {
  std::optional<std::string> before;
  std::optional<std::pair<std::string, std::string>> edit;  // search, replace
};

class Replay {
 public:
  void Read(const std::string& path, const std::string& reply) {
    if (std::optional<std::string> whole = WholeRead(reply)) files_[path].text = *whole;
  }

  void List(const std::string& reply) {
    std::set<std::string> listed = ListedPaths(reply);
    for (auto& [path, state] : files_) {
      if (!listed.count(path)) state.text = std::string();  // absent
    }
    listed_ = std::move(listed);
    has_listing_ = true;
  }

  FileEditDiff Write(const std::string& path, const std::string& content) {
    std::optional<std::string> before = Known(path);
    history_[path].push_back({before, std::nullopt});
    files_[path].text = content;
    return Diff("write_file", path, before, content);
  }

  FileEditDiff Edit(const std::string& path, const std::string& search,
                    const std::string& replace) {
    std::optional<std::string> before = Known(path);
    if (before && Count(*before, search) == 1) {
      std::string after = *before;
      after.replace(after.find(search), search.size(), replace);
      history_[path].push_back({before, std::nullopt});
      files_[path].text = after;
      return Diff("edit_file", path, before, after);
    }
    history_[path].push_back({std::nullopt, std::make_pair(search, replace)});
    files_[path].text.reset();
    FileEditDiff diff{0, "edit_file", path, "edit", {EditHunk(search, replace)}, 0, 0};
    return Counted(std::move(diff));
  }

  FileEditDiff Undo(const std::string& path) {
    std::optional<std::string> current = Known(path);
    UndoEntry entry;
    auto& stack = history_[path];
    if (!stack.empty()) {
      entry = std::move(stack.back());
      stack.pop_back();
    }
    files_[path].text = entry.before;
    if (current && entry.before) return Diff("undo_edit", path, current, *entry.before);
    if (entry.edit) {
      FileEditDiff diff{
          0, "undo_edit", path, "edit", {EditHunk(entry.edit->second, entry.edit->first)}, 0, 0};
      return Counted(std::move(diff));
    }
    FileEditDiff diff{0, "undo_edit", path, "unknown", {}, 0, 0};
    if (entry.before) diff.hunks = UnifiedDiff({}, SplitLines(*entry.before));
    return Counted(std::move(diff));
  }

 private:
  // The file's known content; a file the latest listing left out is absent
  // (empty).
  std::optional<std::string> Known(const std::string& path) {
    auto it = files_.find(path);
    if (it != files_.end()) return it->second.text;
    if (has_listing_ && !listed_.count(path)) return std::string();
    return std::nullopt;
  }

  static FileEditDiff Diff(const char* tool, const std::string& path,
                           const std::optional<std::string>& before, const std::string& after) {
    FileEditDiff diff{0, tool, path, before ? "replayed" : "unknown", {}, 0, 0};
    diff.hunks =
        UnifiedDiff(before ? SplitLines(*before) : std::vector<std::string>(), SplitLines(after));
    return Counted(std::move(diff));
  }

  static FileEditDiff Counted(FileEditDiff diff) {
    for (const DiffHunk& h : diff.hunks) {
      for (const std::string& line : h.lines) {
        if (line[0] == '+') ++diff.added;
        if (line[0] == '-') ++diff.removed;
      }
    }
    return diff;
  }

  std::map<std::string, FileState> files_;
  std::map<std::string, std::vector<UndoEntry>> history_;
  std::set<std::string> listed_;
  bool has_listing_ = false;
};

}  // namespace

std::vector<DiffHunk> UnifiedDiff(const std::vector<std::string>& a,
                                  const std::vector<std::string>& b, int context) {
  // The edit script: common prefix and suffix, then an LCS table between.
  struct Op {
    char op;
    const std::string* line;
  };
  size_t pre = 0;
  while (pre < a.size() && pre < b.size() && a[pre] == b[pre]) ++pre;
  size_t suf = 0;
  while (suf < a.size() - pre && suf < b.size() - pre &&
         a[a.size() - 1 - suf] == b[b.size() - 1 - suf]) {
    ++suf;
  }
  std::vector<Op> ops;
  for (size_t i = 0; i < pre; ++i) ops.push_back({' ', &a[i]});
  size_t n = a.size() - pre - suf, m = b.size() - pre - suf;
  if (n > kMaxDiffLines || m > kMaxDiffLines) {
    for (size_t i = 0; i < n; ++i) ops.push_back({'-', &a[pre + i]});
    for (size_t j = 0; j < m; ++j) ops.push_back({'+', &b[pre + j]});
  } else {
    // lcs[i][j]: the longest common subsequence of a[pre+i..] and b[pre+j..].
    std::vector<uint32_t> lcs((n + 1) * (m + 1), 0);
    auto at = [&](size_t i, size_t j) -> uint32_t& { return lcs[i * (m + 1) + j]; };
    for (size_t i = n; i-- > 0;) {
      for (size_t j = m; j-- > 0;) {
        at(i, j) =
            a[pre + i] == b[pre + j] ? at(i + 1, j + 1) + 1 : std::max(at(i + 1, j), at(i, j + 1));
      }
    }
    size_t i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[pre + i] == b[pre + j]) {
        ops.push_back({' ', &a[pre + i]});
        ++i, ++j;
      } else if (i < n && (j == m || at(i + 1, j) >= at(i, j + 1))) {
        ops.push_back({'-', &a[pre + i]});
        ++i;
      } else {
        ops.push_back({'+', &b[pre + j]});
        ++j;
      }
    }
  }
  for (size_t i = a.size() - suf; i < a.size(); ++i) ops.push_back({' ', &a[i]});

  // Keep the changes and `context` lines around them; each run is a hunk.
  std::vector<bool> keep(ops.size(), false);
  for (size_t k = 0; k < ops.size(); ++k) {
    if (ops[k].op == ' ') continue;
    size_t lo = k >= static_cast<size_t>(context) ? k - context : 0;
    size_t hi = std::min(ops.size() - 1, k + context);
    for (size_t x = lo; x <= hi; ++x) keep[x] = true;
  }
  std::vector<DiffHunk> hunks;
  int old_line = 0, new_line = 0;  // lines before ops[k]
  for (size_t k = 0; k < ops.size(); ++k) {
    if (keep[k]) {
      if (k == 0 || !keep[k - 1]) {
        hunks.push_back({old_line + 1, 0, new_line + 1, 0, {}});
      }
      DiffHunk& h = hunks.back();
      h.lines.push_back(ops[k].op + *ops[k].line);
      if (ops[k].op != '+') ++h.old_count;
      if (ops[k].op != '-') ++h.new_count;
    }
    if (ops[k].op != '+') ++old_line;
    if (ops[k].op != '-') ++new_line;
  }
  for (DiffHunk& h : hunks) {  // unified diff: an empty side names the line before
    if (h.old_count == 0) --h.old_start;
    if (h.new_count == 0) --h.new_start;
  }
  return hunks;
}

std::vector<FileEditDiff> FileEditDiffs(const std::vector<Event>& events) {
  struct Call {
    std::string name;
    Json args;
  };
  std::map<std::string, Call> calls;  // by tool call id
  std::vector<FileEditDiff> out;
  Replay replay;
  for (const Event& e : events) {
    if (!e.message) continue;
    for (const ToolCall& c : e.message->tool_calls) {
      // The model's arguments: outside JSON, parsed within its depth limit.
      Json args = ParseJsonWithin(c.arguments, kMaxJsonDepth);
      calls[c.id] = {c.name, args.is_object() ? args : Json::object()};
    }
    if (e.type != EventType::kToolResult || e.message->tool_call_id.empty()) continue;
    auto it = calls.find(e.message->tool_call_id);
    if (it == calls.end()) continue;
    std::optional<ResponseData> response = ResponseData::FromJson(e.data);
    if (!response || !response->ok) continue;
    const Call& call = it->second;
    std::string path = Arg(call.args, "path");
    std::optional<FileEditDiff> diff;
    if (call.name == "read_file") {
      replay.Read(path, e.message->content);
    } else if (call.name == "list_files") {
      replay.List(e.message->content);
    } else if (call.name == "write_file") {
      diff = replay.Write(path, Arg(call.args, "content"));
    } else if (call.name == "edit_file") {
      diff = replay.Edit(path, Arg(call.args, "search"), Arg(call.args, "replace"));
    } else if (call.name == "undo_edit") {
      diff = replay.Undo(path);
    }
    if (diff) {
      diff->seq = e.seq;
      out.push_back(std::move(*diff));
    }
  }
  return out;
}

Json FileEditDiffToJson(const FileEditDiff& diff) {
  constexpr size_t kMaxLines = 2000, kMaxLineBytes = 2000;
  Json hunks = Json::array();
  size_t shown = 0, left_out = 0;
  for (const DiffHunk& h : diff.hunks) {
    Json lines = Json::array();
    for (const std::string& line : h.lines) {
      if (shown == kMaxLines) {
        ++left_out;
        continue;
      }
      ++shown;
      if (line.size() <= kMaxLineBytes) {
        lines.push_back(line);
        continue;
      }
      size_t end = kMaxLineBytes;
      while (end > 1 && (static_cast<unsigned char>(line[end]) & 0xC0) == 0x80) --end;
      lines.push_back(line.substr(0, end) + "… [" + std::to_string(line.size() - end) +
                      " more characters]");
    }
    if (lines.empty()) break;
    hunks.push_back({{"old_start", h.old_start},
                     {"old_count", h.old_count},
                     {"new_start", h.new_start},
                     {"new_count", h.new_count},
                     {"lines", lines}});
  }
  return {{"seq", diff.seq},       {"tool", diff.tool},         {"path", diff.path},
          {"before", diff.before}, {"added", diff.added},       {"removed", diff.removed},
          {"hunks", hunks},        {"lines_left_out", left_out}};
}

}  // namespace ctxbench
