#include "llm/tokenizer/rank_file.h"

#include <array>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <memory>

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
  // Decode every line first, then add all tokens at once (see RankMap::AddAll).
  // Each line's token decodes to at most 3/4 of the line, so the arena never
  // outgrows this size (and views into it stay valid); it is cut at the end.
  std::string arena(contents.size() / 4 * 3 + 3, '\0');
  size_t arena_end = 0;
  std::vector<std::pair<size_t, Rank>> entries;  // (end offset in arena, rank)
  std::vector<size_t> line_numbers;
  entries.reserve(contents.size() / 16);
  line_numbers.reserve(contents.size() / 16);
  size_t line_no = 0;
  size_t pos = 0;
  auto bad = [&](size_t line, const std::string& why) {
    ThrowInput(path + ":" + std::to_string(line), why + "; " + FixHint());
  };
  while (pos < contents.size()) {
    size_t eol = contents.find('\n', pos);
    if (eol == std::string_view::npos) eol = contents.size();
    std::string_view line = contents.substr(pos, eol - pos);
    pos = eol + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
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
    entries.push_back({arena_end, rank});
    line_numbers.push_back(line_no);
  }
  arena.resize(arena_end);
  if (entries.empty()) ThrowInput(path, "rank file is empty; " + FixHint());
  std::vector<std::pair<std::string_view, Rank>> tokens(entries.size());
  size_t begin = 0;
  for (size_t i = 0; i < entries.size(); ++i) {
    tokens[i] = {std::string_view(arena).substr(begin, entries[i].first - begin),
                 entries[i].second};
    begin = entries[i].first;
  }
  RankMap ranks;
  size_t failed = ranks.AddAll(tokens);
  if (failed < tokens.size()) {
    bad(line_numbers[failed], "duplicate token or rank " + std::to_string(tokens[failed].second));
  }
  return ranks;
}

RankMap LoadRankFile(const std::string& path, std::string_view expected_sha256) {
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) ThrowInput(path, "rank file is missing or unreadable; " + FixHint());
  std::string contents;
  char buffer[1 << 16];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), file.get())) > 0) contents.append(buffer, n);
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
