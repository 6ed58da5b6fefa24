// "Did you mean ...?": the known name nearest to a mistyped one, for errors
// about unknown flags, fields and names.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ctxbench {

// Edit distance (Levenshtein: insertions, deletions, substitutions) between
// `a` and `b`, byte-wise. O(|a|·|b|) time, O(|b|) memory.
size_t EditDistance(std::string_view a, std::string_view b);

// The candidate nearest to `word` when it is near enough to be a likely typo
// (an edit distance of at most max(1, |word| / 3)), or a candidate `word` is
// a prefix of; "" when none is. Ties go to the earliest candidate.
// Thread-safe; never throws.
std::string NearestName(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace ctxbench
