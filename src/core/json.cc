#include "core/json.h"

#include <algorithm>

#include "core/error.h"
#include "core/file.h"
#include "core/json_limits.h"

namespace ctxbench {

JsonReader::JsonReader(const Json& value, std::string source, std::string path)
    : value_(value), source_(std::move(source)), path_(std::move(path)) {}

std::string JsonReader::Where(const std::string& key) const {
  std::string p = key.empty() ? path_ : path_ + "." + key;
  return source_.empty() ? p : source_ + ": " + p;
}

void JsonReader::Fail(const std::string& key, const std::string& what) const {
  ThrowInput(Where(key), what);
}

bool JsonReader::Has(const std::string& key) const {
  return value_.is_object() && value_.contains(key) && !value_.at(key).is_null();
}

JsonReader JsonReader::Child(const std::string& key) const {
  if (!value_.is_object()) Fail("", "expected an object");
  if (!Has(key)) Fail(key, "missing required field");
  return JsonReader(value_.at(key), source_, path_ + "." + key);
}

JsonReader JsonReader::At(size_t index) const {
  if (!value_.is_array() || index >= value_.size()) Fail("", "index out of range");
  return JsonReader(value_.at(index), source_, path_ + "[" + std::to_string(index) + "]");
}

size_t JsonReader::Size() const {
  if (!value_.is_array()) Fail("", "expected an array");
  return value_.size();
}

std::string JsonReader::String(const std::string& key) const {
  const Json& v = Child(key).value();
  if (!v.is_string()) Fail(key, "expected a string");
  return v.get<std::string>();
}

std::string JsonReader::String(const std::string& key, const std::string& fallback) const {
  return Has(key) ? String(key) : fallback;
}

double JsonReader::Number(const std::string& key) const {
  const Json& v = Child(key).value();
  if (!v.is_number()) Fail(key, "expected a number");
  return v.get<double>();
}

double JsonReader::Number(const std::string& key, double fallback) const {
  return Has(key) ? Number(key) : fallback;
}

long long JsonReader::Int(const std::string& key) const {
  const Json& v = Child(key).value();
  if (!v.is_number_integer()) Fail(key, "expected an integer");
  return v.get<long long>();
}

long long JsonReader::Int(const std::string& key, long long fallback) const {
  return Has(key) ? Int(key) : fallback;
}

bool JsonReader::Bool(const std::string& key, bool fallback) const {
  if (!Has(key)) return fallback;
  const Json& v = value_.at(key);
  if (!v.is_boolean()) Fail(key, "expected true or false");
  return v.get<bool>();
}

std::vector<std::string> JsonReader::Strings(const std::string& key) const {
  const Json& v = Child(key).value();
  std::vector<std::string> out;
  if (v.is_string()) return {v.get<std::string>()};
  if (!v.is_array()) Fail(key, "expected a string or an array of strings");
  for (size_t i = 0; i < v.size(); ++i) {
    if (!v[i].is_string()) Fail(key + "[" + std::to_string(i) + "]", "expected a string");
    out.push_back(v[i].get<std::string>());
  }
  return out;
}

void JsonReader::RejectUnknown(const std::vector<std::string>& known) const {
  if (!value_.is_object()) Fail("", "expected an object");
  for (auto it = value_.begin(); it != value_.end(); ++it) {
    if (std::find(known.begin(), known.end(), it.key()) == known.end()) {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      Fail(it.key(), "unknown field (known: " + list + ")");
    }
  }
}

Json ParseJson(const std::string& text, const std::string& source) {
  if (JsonNestingDepth(text, kMaxStoredJsonDepth) > kMaxStoredJsonDepth) {
    ThrowInput(source, JsonLimitProblem(text, text.size(), kMaxStoredJsonDepth));
  }
  try {
    return Json::parse(text);
  } catch (const Json::parse_error& e) {
    ThrowInput(source, std::string("malformed JSON at byte ") + std::to_string(e.byte) + " (" +
                           e.what() + ")");
  }
}

Json ReadJsonFile(const std::string& path) { return ParseJson(ReadFile(path), path); }

}  // namespace ctxbench
