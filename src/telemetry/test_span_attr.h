// Test support: a span's attribute as text, for comparing in tests.
// Used only by *_test.cc.
#pragma once

#include <string>
#include <variant>

#include "telemetry/span.h"

namespace ctxbench {

// The value of the span's attribute `key` as text (numbers via
// std::to_string, booleans "true"/"false"), "<none>" when it has none.
inline std::string Attr(const Span& s, const std::string& key) {
  for (const Attribute& a : s.attributes) {
    if (a.key != key) continue;
    if (auto v = std::get_if<std::string>(&a.value)) return *v;
    if (auto v = std::get_if<int64_t>(&a.value)) return std::to_string(*v);
    if (auto v = std::get_if<double>(&a.value)) return std::to_string(*v);
    return std::get<bool>(a.value) ? "true" : "false";
  }
  return "<none>";
}

}  // namespace ctxbench
