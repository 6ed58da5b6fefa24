// Integer fields read within a range, so a value too large for the field is
// an error naming it instead of wrapping (`num_steps` 2^32+1 once ran as 1).
#pragma once

#include <string>

#include "core/json.h"

namespace ctxbench {

// `key` of `r` as an integer in [lo, hi]. Throws an input error naming the
// JSON path ("must be an integer in [1, 1000]") when the field is missing,
// not an integer (1.5, "3", 1e400 never get here: they fail earlier or as
// "not an integer") or outside the range, however large. Thread-safe.
long long IntInRange(const JsonReader& r, const std::string& key, long long lo, long long hi);
// As above; `fallback` when the field is missing or null.
long long IntInRange(const JsonReader& r, const std::string& key, long long lo, long long hi,
                     long long fallback);

}  // namespace ctxbench
