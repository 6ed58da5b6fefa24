// Process-wide cache of loaded encodings: each rank file is read, verified and
// parsed once per (encoding, rank folder), then shared. Thread-safe.
#pragma once

#include <memory>
#include <string>

#include "llm/tokenizer/encoding.h"

namespace ctxbench {

// The encoding `name` ("cl100k_base" or "o200k_base") with its rank file from
// `rank_dir` (empty: DefaultRankDir()). Throws an input error for an unknown
// name (listing the valid ones) or a missing or corrupt rank file (naming it
// and the command that fetches it).
std::shared_ptr<const Encoding> LoadEncoding(const std::string& name,
                                             const std::string& rank_dir = "");

// Loads without the cache (for benchmarks of load time).
std::shared_ptr<const Encoding> LoadEncodingUncached(const std::string& name,
                                                     const std::string& rank_dir = "");

}  // namespace ctxbench
