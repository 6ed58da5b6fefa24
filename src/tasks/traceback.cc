#include "tasks/traceback.h"

#include <filesystem>
#include <sstream>

#include "tasks/process_runner.h"

namespace ctxbench {

namespace {

std::string TrimLine(const std::string& s) {
  size_t a = s.find_first_not_of(" \t\r");
  if (a == std::string::npos) return "";
  size_t b = s.find_last_not_of(" \t\r");
  return s.substr(a, b - a + 1);
}

bool IsCaretLine(const std::string& trimmed) {
  return !trimmed.empty() && trimmed.find_first_not_of("^~ ") == std::string::npos;
}

// Parses `  File "path", line N, in func`.
bool ParseFrameLine(const std::string& line, TracebackFrame* f) {
  const std::string head = "File \"";
  std::string t = TrimLine(line);
  if (t.rfind(head, 0) != 0) return false;
  size_t q = t.find('"', head.size());
  if (q == std::string::npos) return false;
  f->file = t.substr(head.size(), q - head.size());
  size_t ln = t.find(", line ", q);
  if (ln == std::string::npos) return false;
  f->line = std::atoi(t.c_str() + ln + 7);
  size_t in = t.find(", in ", ln);
  if (in != std::string::npos) f->function = t.substr(in + 5);
  return true;
}

void Relativize(const std::vector<std::string>& roots, TracebackFrame* f) {
  if (f->file.empty() || f->file[0] == '<') return;
  if (f->file[0] != '/') {
    f->in_workspace = true;
    return;
  }
  for (const std::string& root : roots) {
    if (!root.empty() && f->file.rfind(root + "/", 0) == 0) {
      f->file = f->file.substr(root.size() + 1);
      f->in_workspace = true;
      return;
    }
  }
}

}  // namespace

Traceback ParsePythonTraceback(const std::string& output, const std::string& workspace_root) {
  Traceback tb;
  const std::string marker = "Traceback (most recent call last):";
  size_t at = output.rfind(marker);
  if (at == std::string::npos) return tb;
  std::vector<std::string> roots = {workspace_root};
  std::error_code ec;
  std::string canonical = std::filesystem::weakly_canonical(workspace_root, ec).string();
  if (!ec && canonical != workspace_root) roots.push_back(canonical);
  roots.push_back(kSandboxWorkspace);  // the path a sandboxed command sees

  std::istringstream in(output.substr(at + marker.size()));
  std::string line;
  std::getline(in, line);  // rest of the marker line
  std::vector<std::string> message_lines;
  bool in_message = false;
  while (std::getline(in, line)) {
    if (in_message) {
      if (TrimLine(line).empty() || message_lines.size() >= 4) break;
      message_lines.push_back(line);
      continue;
    }
    TracebackFrame f;
    if (ParseFrameLine(line, &f)) {
      Relativize(roots, &f);
      tb.frames.push_back(f);
      continue;
    }
    std::string t = TrimLine(line);
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) {
      if (!tb.frames.empty() && tb.frames.back().source.empty() && !IsCaretLine(t)) {
        tb.frames.back().source = t;
      }
      continue;
    }
    if (t.empty()) continue;
    // The exception line: "module.Type: message" or "Type".
    size_t colon = t.find(": ");
    std::string type = colon == std::string::npos ? t : t.substr(0, colon);
    if (type.find(' ') != std::string::npos) continue;  // not an exception line
    tb.type = type;
    if (colon != std::string::npos) message_lines.push_back(t.substr(colon + 2));
    in_message = true;
  }
  if (tb.type.empty()) return tb;
  tb.found = true;
  for (size_t i = 0; i < message_lines.size(); ++i)
    tb.message += (i ? "\n" : "") + message_lines[i];
  if (tb.message.size() > 300) tb.message = tb.message.substr(0, 300) + "...";
  if (!tb.frames.empty()) tb.where = tb.frames.back();
  for (auto it = tb.frames.rbegin(); it != tb.frames.rend(); ++it) {
    if (it->in_workspace) {
      tb.where = *it;
      break;
    }
  }
  return tb;
}

std::string Traceback::Summary() const {
  if (!found) return "";
  std::string s = type + (message.empty() ? "" : ": " + message);
  if (!where.file.empty()) {
    s += " at " + where.file + ":" + std::to_string(where.line);
    if (!where.function.empty()) s += " in " + where.function;
    if (!where.source.empty()) s += ": `" + where.source + "`";
  }
  return s;
}

Json Traceback::ToJson() const {
  if (!found) return Json();
  return {{"type", type},
          {"message", message},
          {"file", where.file},
          {"line", where.line},
          {"function", where.function},
          {"source", where.source},
          {"in_workspace", where.in_workspace},
          {"frames", frames.size()}};
}

}  // namespace ctxbench
