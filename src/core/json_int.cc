#include "core/json_int.h"

#include <climits>

namespace ctxbench {

long long IntInRange(const JsonReader& r, const std::string& key, long long lo, long long hi) {
  const Json& v = r.Child(key).value();
  std::string rule =
      "must be an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
  // An unsigned value above LLONG_MAX would wrap to a negative long long.
  if (v.is_number_unsigned() &&
      v.get<unsigned long long>() > static_cast<unsigned long long>(LLONG_MAX)) {
    r.Fail(key, rule);
  }
  if (!v.is_number_integer()) r.Fail(key, rule + " (got " + v.dump().substr(0, 40) + ")");
  long long value = v.get<long long>();
  if (value < lo || value > hi) r.Fail(key, rule);
  return value;
}

long long IntInRange(const JsonReader& r, const std::string& key, long long lo, long long hi,
                     long long fallback) {
  return r.Has(key) ? IntInRange(r, key, lo, hi) : fallback;
}

}  // namespace ctxbench
