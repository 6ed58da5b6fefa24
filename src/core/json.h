// JSON at the edges: config, wire formats, traces. The core works on typed
// structs; these helpers read typed fields out of a JSON object and report a
// bad field by its JSON path ("config.json: $.budget.tokens: expected integer").
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

namespace ctxbench {

using Json = nlohmann::ordered_json;

// A JSON object being read, with the path used in error messages.
class JsonReader {
 public:
  // `source` names the file ("config.json"); `path` is the JSON path ("$").
  JsonReader(const Json& value, std::string source, std::string path = "$");

  const Json& value() const { return value_; }
  const std::string& path() const { return path_; }
  // "config.json: $.a.b" for use in errors.
  std::string Where(const std::string& key = "") const;

  bool Has(const std::string& key) const;
  JsonReader Child(const std::string& key) const;  // throws if missing
  JsonReader At(size_t index) const;               // for arrays
  size_t Size() const;                             // array length; throws if not an array

  std::string String(const std::string& key) const;
  std::string String(const std::string& key, const std::string& fallback) const;
  double Number(const std::string& key) const;
  double Number(const std::string& key, double fallback) const;
  long long Int(const std::string& key) const;
  long long Int(const std::string& key, long long fallback) const;
  bool Bool(const std::string& key, bool fallback) const;
  std::vector<std::string> Strings(const std::string& key) const;

  // Throws an input error naming any key of this object not in `known`.
  void RejectUnknown(const std::vector<std::string>& known) const;
  [[noreturn]] void Fail(const std::string& key, const std::string& what) const;

 private:
  const Json& value_;
  std::string source_;
  std::string path_;
};

// Parses `text`; on failure throws an input error naming `source` and the byte offset.
Json ParseJson(const std::string& text, const std::string& source);
// Reads and parses a file; throws an input error naming the path.
Json ReadJsonFile(const std::string& path);

}  // namespace ctxbench

namespace ctxbench {

// `json[key]` as a T, or `fallback` when the key is missing, null or of
// another type. For reading event payloads, where a field may be null.
template <typename T>
T ValueOr(const Json& json, const char* key, T fallback) {
  if (!json.is_object()) return fallback;
  auto it = json.find(key);
  if (it == json.end() || it->is_null()) return fallback;
  if constexpr (std::is_same_v<T, bool>) {
    return it->is_boolean() ? it->template get<bool>() : fallback;
  } else if constexpr (std::is_arithmetic_v<T>) {
    return it->is_number() ? it->template get<T>() : fallback;
  } else if constexpr (std::is_same_v<T, std::string>) {
    return it->is_string() ? it->template get<std::string>() : fallback;
  } else {
    return it->template get<T>();
  }
}

}  // namespace ctxbench
