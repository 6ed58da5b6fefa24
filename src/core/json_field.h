// Strict reads of one field of a recorded JSON object (an event payload, an
// outcome, a context manifest): a field that is missing or null leaves its
// target as it was (an older writer); a field of another type is an input
// Error naming it. Header-only; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/error.h"
#include "core/json.h"

namespace ctxbench {

// Reads `json[key]` into `out` when `json` is an object whose `key` is not
// null. On a type mismatch throws ThrowInput(where, <prefix>'<name>' has the
// wrong type), `name` being `key` when empty.
template <typename T>
void ReadJsonField(const Json& json, const char* key, T& out, std::string_view where,
                   std::string_view prefix = {}, std::string_view name = {}) {
  if (!json.is_object()) return;
  auto it = json.find(key);
  if (it == json.end() || it->is_null()) return;
  try {
    out = it->template get<T>();
  } catch (const Json::exception&) {
    ThrowInput(std::string(where), std::string(prefix) + "'" +
                                       std::string(name.empty() ? std::string_view(key) : name) +
                                       "' has the wrong type");
  }
}

// As above into an optional: set when the field is present and not null.
template <typename T>
void ReadJsonField(const Json& json, const char* key, std::optional<T>& out, std::string_view where,
                   std::string_view prefix = {}, std::string_view name = {}) {
  if (!json.is_object()) return;
  auto it = json.find(key);
  if (it == json.end() || it->is_null()) return;
  T value{};
  ReadJsonField(json, key, value, where, prefix, name);
  out = std::move(value);
}

}  // namespace ctxbench
