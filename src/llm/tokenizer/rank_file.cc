#include "llm/tokenizer/rank_file.h"

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>

#include "core/env.h"
#include "core/error.h"
#include "core/share_dir.h"
#include "llm/tokenizer/sha256.h"

namespace ctxbench {
namespace {

constexpr std::array<int8_t, 256> MakeBase64Table() {
  std::array<int8_t, 256> t{};
  for (auto& v : t) v = -1;
  const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (int i = 0; i < 64; ++i) t[static_cast<unsigned char>(alphabet[i])] = static_cast<int8_t>(i);
  return t;
}
constexpr std::array<int8_t, 256> kBase64 = MakeBase64Table();

// Decodes standard padded base64 to `out`, which has room for in.size() / 4 * 3
// bytes. Returns the number of bytes written, or -1 when malformed.
ptrdiff_t DecodeBase64(std::string_view in, char* out) {
  if (in.size() % 4 != 0) return -1;
  char* const begin = out;
  for (size_t i = 0; i < in.size(); i += 4) {
    int v[4];
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      char c = in[i + k];
      if (c == '=' && i + 4 == in.size() && k >= 2) {
        v[k] = 0;
        ++pad;
        continue;
      }
      if (pad > 0) return -1;
      v[k] = kBase64[static_cast<unsigned char>(c)];
      if (v[k] < 0) return -1;
    }
    uint32_t triple = (v[0] << 18) | (v[1] << 12) | (v[2] << 6) | v[3];
    *out++ = static_cast<char>(triple >> 16);
    if (pad < 2) *out++ = static_cast<char>((triple >> 8) & 0xff);
    if (pad < 1) *out++ = static_cast<char>(triple & 0xff);
  }
  return out - begin;
}

std::string FixHint() {
  return "fetch the rank files with `" + std::string(kFetchRankFilesCommand) +
         "` (or point CTXBENCH_RANK_DIR at a folder that holds them)";
}

}  // namespace

std::string DefaultRankDir() {
  if (std::optional<std::string> env = GetEnv("CTXBENCH_RANK_DIR")) return *env;
  return ShareDir() + "/third_party/rank_files";
}

RankMap ParseRankFile(std::string_view contents, const std::string& path) {
  // Decode every line into one arena, then hand it to the map whole (see
  // RankMap::AdoptAll). Each line's token decodes to at most 3/4 of the line,
  // so the arena never outgrows this size; it is cut at the end.
  std::string arena(contents.size() / 4 * 3 + 3, '\0');
  size_t arena_end = 0;
  std::vector<uint32_t> ends;  // of each token in the arena
  std::vector<Rank> ranks;
  ends.reserve(contents.size() / 16);
  ranks.reserve(contents.size() / 16);
  if (arena.size() > UINT32_MAX) ThrowInput(path, "rank file is too large; " + FixHint());
  // Calls `visit(line, line_no)` for each non-empty line (without its "\r").
  auto for_each_line = [&contents](auto&& visit) {
    size_t line_no = 0;
    for (size_t pos = 0; pos < contents.size();) {
      size_t eol = contents.find('\n', pos);
      if (eol == std::string_view::npos) eol = contents.size();
      std::string_view line = contents.substr(pos, eol - pos);
      pos = eol + 1;
      ++line_no;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (!line.empty() && !visit(line, line_no)) return;
    }
  };
  auto bad = [&](size_t line, const std::string& why) {
    ThrowInput(path + ":" + std::to_string(line), why + "; " + FixHint());
  };
  for_each_line([&](std::string_view line, size_t line_no) {
    size_t space = line.find(' ');
    if (space == std::string_view::npos) bad(line_no, "expected \"<base64> <rank>\"");
    ptrdiff_t written = DecodeBase64(line.substr(0, space), arena.data() + arena_end);
    if (written <= 0) bad(line_no, "bad base64 token");
    std::string_view digits = line.substr(space + 1);
    if (digits.empty() || digits.size() > 9) bad(line_no, "bad rank");
    uint32_t rank = 0;
    for (char d : digits) {
      if (d < '0' || d > '9') bad(line_no, "bad rank");
      rank = rank * 10 + static_cast<uint32_t>(d - '0');
    }
    arena_end += static_cast<size_t>(written);
    ends.push_back(static_cast<uint32_t>(arena_end));
    ranks.push_back(rank);
    return true;
  });
  arena.resize(arena_end);
  if (ends.empty()) ThrowInput(path, "rank file is empty; " + FixHint());
  RankMap map;
  size_t failed = map.AdoptAll(std::move(arena), ends, ranks);
  if (failed < ends.size()) {
    size_t seen = 0, failed_line = 0;  // the line of token `failed`
    for_each_line([&](std::string_view, size_t line_no) {
      failed_line = line_no;
      return seen++ < failed;
    });
    bad(failed_line, "duplicate token or rank " + std::to_string(ranks[failed]));
  }
  return map;
}

RankMap LoadRankFile(const std::string& path, std::string_view expected_sha256) {
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) ThrowInput(path, "rank file is missing or unreadable; " + FixHint());
  // Read straight into a string of the file's size (one allocation, no
  // copies); a file that changes meanwhile is still read to its end.
  std::string contents;
  struct stat st {};
  if (::fstat(::fileno(file.get()), &st) == 0 && st.st_size > 0) {
    contents.resize(static_cast<size_t>(st.st_size) + 1);  // + 1: EOF shows at once
  }
  size_t used = 0;
  for (;;) {
    if (used == contents.size()) contents.resize(std::max<size_t>(contents.size() * 2, 1 << 16));
    size_t n = std::fread(contents.data() + used, 1, contents.size() - used, file.get());
    used += n;
    if (n == 0) break;
  }
  contents.resize(used);
  if (std::ferror(file.get())) ThrowInput(path, "cannot read rank file; " + FixHint());
  if (!expected_sha256.empty()) {
    std::string got = Sha256Hex(contents);
    if (got != expected_sha256) {
      ThrowInput(path, "rank file is corrupt or not the expected one (SHA-256 " + got +
                           ", expected " + std::string(expected_sha256) + "); " + FixHint());
    }
  }
  return ParseRankFile(contents, path);
}

}  // namespace ctxbench
