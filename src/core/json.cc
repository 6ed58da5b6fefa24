#include "core/json.h"

#include <algorithm>
#include <climits>

#include "core/error.h"
#include "core/file.h"
#include "core/json_limits.h"

namespace ctxbench {

namespace {

// Follows the JSON path while nlohmann's SAX parser reads, and keeps the path
// of the value being read when the parser stops at an error.
class PathAtError : public nlohmann::json_sax<Json> {
 public:
  std::string path;  // "$.budget.wall_seconds" once parse_error was called

  bool null() override { return Value(); }
  bool boolean(bool) override { return Value(); }
  bool number_integer(number_integer_t) override { return Value(); }
  bool number_unsigned(number_unsigned_t) override { return Value(); }
  bool number_float(number_float_t, const string_t&) override { return Value(); }
  bool string(string_t&) override { return Value(); }
  bool binary(binary_t&) override { return Value(); }
  bool start_object(std::size_t) override { return Open(false); }
  bool start_array(std::size_t) override { return Open(true); }
  bool end_object() override { return Close(); }
  bool end_array() override { return Close(); }
  bool key(string_t& k) override {
    frames_.back().key = k;
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    path = "$";
    for (size_t i = 0; i < frames_.size(); ++i) {
      const Frame& f = frames_[i];
      bool innermost = i + 1 == frames_.size();
      if (!f.array) {
        path += "." + f.key;
      } else {
        // The innermost array's element being read has not started yet.
        size_t index = innermost ? f.values : f.values - 1;
        path += "[" + std::to_string(index) + "]";
      }
    }
    return false;
  }

 private:
  struct Frame {
    bool array = false;
    size_t values = 0;  // values started in this array
    std::string key;    // the key being read in this object
  };
  bool Value() {
    if (!frames_.empty() && frames_.back().array) ++frames_.back().values;
    return true;
  }
  bool Open(bool array) {
    Value();
    frames_.push_back({array, 0, ""});
    return true;
  }
  bool Close() {
    frames_.pop_back();
    return true;
  }
  std::vector<Frame> frames_;
};

// The JSON path of the value at which parsing `text` fails ("" when it parses).
std::string JsonPathOfParseError(const std::string& text) {
  PathAtError sax;
  Json::sax_parse(text, &sax);
  return sax.path;
}

}  // namespace

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
  if (v.is_number_unsigned() &&
      v.get<unsigned long long>() > static_cast<unsigned long long>(LLONG_MAX)) {
    Fail(key, "integer out of range");  // it would wrap to a negative value
  }
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
    ThrowInput(source, CheckJsonLimits(text, text.size(), kMaxStoredJsonDepth).error());
  }
  try {
    return Json::parse(text);
  } catch (const Json::parse_error& e) {
    ThrowInput(source, std::string("malformed JSON at byte ") + std::to_string(e.byte) + " (" +
                           e.what() + ")");
  } catch (const Json::exception& e) {
    // A number too large for a double (1e400): named by its JSON path.
    std::string where = JsonPathOfParseError(text);
    ThrowInput(source + ": " + (where.empty() ? "$" : where),
               std::string("number out of range (") + e.what() + ")");
  }
}

Json ReadJsonFile(const std::string& path) { return ParseJson(ReadFile(path), path); }

}  // namespace ctxbench
