// Rank files: tiktoken's vocabulary format, one "<base64 token bytes> <rank>"
// a line, and where ctxbench finds them.
#pragma once

#include <string>
#include <string_view>

#include "llm/tokenizer/rank_map.h"

namespace ctxbench {

// The command that installs the rank files; error messages quote it.
inline constexpr std::string_view kFetchRankFilesCommand = "bash scripts/fetch-rank-files.sh";

// The folder holding rank files: $CTXBENCH_RANK_DIR when set and non-empty,
// else ShareDir()/third_party/rank_files (core/share_dir.h: beside an installed
// binary, else the source tree, where the fetch script puts them).
std::string DefaultRankDir();

// Parses the contents of a rank file. `path` only names the file in errors.
// Throws an input error on a malformed line or a duplicate token or rank.
RankMap ParseRankFile(std::string_view contents, const std::string& path);

// Reads `path`, checks its SHA-256 against `expected_sha256` (lowercase hex;
// no check when empty) and parses it. A missing, unreadable or corrupt file is
// an input error naming the file and kFetchRankFilesCommand.
RankMap LoadRankFile(const std::string& path, std::string_view expected_sha256);

}  // namespace ctxbench
