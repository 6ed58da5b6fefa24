// What defines an encoding: its pre-tokenisation pattern, rank file (with the
// SHA-256 tiktoken expects of it) and special tokens. Values come from
// tiktoken's tiktoken_ext/openai_public.py.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "llm/tokenizer/rank_map.h"

namespace ctxbench {

struct EncodingSpec {
  std::string name;       // "cl100k_base"
  std::string pattern;    // PCRE2 syntax, ready to compile (see TiktokenPatternToPcre2)
  std::string rank_file;  // file name inside the rank directory
  std::string sha256;     // expected SHA-256 of the rank file, lowercase hex
  std::vector<std::pair<std::string, Rank>> special_tokens;
};

// The spec of `name`, or nullptr when ctxbench does not know the encoding.
const EncodingSpec* FindEncodingSpec(std::string_view name);

// Names of the exact encodings, e.g. {"cl100k_base", "o200k_base"}.
std::vector<std::string> ExactEncodingNames();

// Rewrites a tiktoken pattern for PCRE2: `\s` / `\S` become explicit classes
// of Unicode White_Space (what Rust's regex means by `\s`; PCRE2's UCP `\s`
// also matches U+180E), and `$` becomes `\z` (PCRE2's `$` also matches before
// a final newline, Rust's does not).
std::string TiktokenPatternToPcre2(std::string_view pattern);

}  // namespace ctxbench
