// UTF-8 validation and repair at the tokenizer's edge.
//
// tiktoken encodes Python `str`s, never bytes: its callers turn bytes into text
// with `bytes.decode("utf-8", errors="replace")` (or JavaScript's TextDecoder),
// which replace each maximal ill-formed subsequence with U+FFFD (Unicode's
// "best practice", chapter 3 "U+FFFD Substitution of Maximal Subparts"). We do
// the same, so invalid input tokenises exactly as those callers see it.
#pragma once

#include <string>
#include <string_view>

namespace ctxbench {

// True when `text` is well-formed UTF-8 (no surrogates, no overlongs, <= U+10FFFF).
bool IsValidUtf8(std::string_view text);

// `text` with each maximal ill-formed subsequence replaced by U+FFFD (EF BF BD).
// Valid input comes back unchanged.
std::string ReplaceInvalidUtf8(std::string_view text);

}  // namespace ctxbench
