// Test support: a small checker for the JSON Schema subset OpenAI's strict
// mode accepts (docs/models.md, "Strict schemas"), written for that subset
// only. Used only by *_test.cc, to check the schemas ctxbench sends and that
// they agree with its validators.
//
// The subset: keywords type (a name or a list of names), enum, properties,
// required, additionalProperties, items, anyOf, description, minimum,
// maximum. Every object schema lists all its properties in `required` and
// sets additionalProperties to false; the root is an object, not an anyOf.
#pragma once

#include <cmath>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "core/json.h"

namespace ctxbench {

namespace strict_schema_detail {

inline std::set<std::string> Types(const Json& schema) {
  std::set<std::string> out;
  if (!schema.contains("type")) return out;
  const Json& t = schema["type"];
  if (t.is_string()) out.insert(t.get<std::string>());
  if (t.is_array()) {
    for (const Json& n : t) {
      if (n.is_string()) out.insert(n.get<std::string>());
    }
  }
  return out;
}

inline bool HasType(const Json& value, const std::string& type) {
  if (type == "object") return value.is_object();
  if (type == "array") return value.is_array();
  if (type == "string") return value.is_string();
  if (type == "boolean") return value.is_boolean();
  if (type == "null") return value.is_null();
  if (type == "number") return value.is_number();
  if (type == "integer") {
    if (value.is_number_integer()) return true;
    if (!value.is_number_float()) return false;
    double d = value.get<double>();
    return std::isfinite(d) && d == std::floor(d);
  }
  return false;
}

inline std::string Problem(const Json& s, const std::string& path) {
  static const std::set<std::string> kKeywords = {
      "type",  "enum",  "properties",  "required", "additionalProperties",
      "items", "anyOf", "description", "minimum",  "maximum"};
  static const std::set<std::string> kTypes = {"object",  "array",   "string", "number",
                                               "integer", "boolean", "null"};
  if (!s.is_object()) return path + ": a schema must be an object";
  for (auto it = s.begin(); it != s.end(); ++it) {
    if (!kKeywords.count(it.key())) return path + ": keyword '" + it.key() + "' is not supported";
  }
  if (!s.contains("type") && !s.contains("anyOf") && !s.contains("enum")) {
    return path + ": needs type, enum or anyOf";
  }
  if (s.contains("type")) {
    const Json& t = s["type"];
    if (!t.is_string() && !t.is_array()) return path + ".type: a name or a list of names";
    std::set<std::string> types = Types(s);
    if (types.empty()) return path + ".type: names no type";
    for (const std::string& name : types) {
      if (!kTypes.count(name)) return path + ".type: unknown type '" + name + "'";
    }
  }
  std::set<std::string> types = Types(s);
  if (types.count("object")) {
    if (!s.contains("properties") || !s["properties"].is_object()) {
      return path + ": an object lists its properties";
    }
    if (!s.contains("additionalProperties") || s["additionalProperties"] != false) {
      return path + ": an object sets additionalProperties to false";
    }
    if (!s.contains("required") || !s["required"].is_array()) {
      return path + ": an object lists its required properties";
    }
    std::set<std::string> required;
    for (const Json& r : s["required"]) {
      if (!r.is_string()) return path + ".required: names only";
      required.insert(r.get<std::string>());
    }
    std::set<std::string> props;
    for (auto it = s["properties"].begin(); it != s["properties"].end(); ++it) {
      props.insert(it.key());
      std::string p = Problem(it.value(), path + ".properties." + it.key());
      if (!p.empty()) return p;
    }
    if (required != props) return path + ": required must list every property, and only those";
  } else if (s.contains("properties") || s.contains("required") ||
             s.contains("additionalProperties")) {
    return path + ": object keywords on a schema that is not an object";
  }
  if (types.count("array")) {
    if (!s.contains("items")) return path + ": an array names its items";
    std::string p = Problem(s["items"], path + ".items");
    if (!p.empty()) return p;
  } else if (s.contains("items")) {
    return path + ": items on a schema that is not an array";
  }
  if (s.contains("enum") && (!s["enum"].is_array() || s["enum"].empty())) {
    return path + ".enum: a non-empty list";
  }
  for (const char* k : {"minimum", "maximum"}) {
    if (!s.contains(k)) continue;
    if (!s[k].is_number()) return path + "." + k + ": a number";
    if (!types.count("number") && !types.count("integer")) {
      return path + "." + k + ": only on numbers";
    }
  }
  if (s.contains("description") && !s["description"].is_string()) {
    return path + ".description: a string";
  }
  if (s.contains("anyOf")) {
    if (!s["anyOf"].is_array() || s["anyOf"].empty()) return path + ".anyOf: a non-empty list";
    for (size_t i = 0; i < s["anyOf"].size(); ++i) {
      std::string p = Problem(s["anyOf"][i], path + ".anyOf[" + std::to_string(i) + "]");
      if (!p.empty()) return p;
    }
  }
  return "";
}

inline std::string Violation(const Json& s, const Json& v, const std::string& path) {
  if (s.contains("anyOf")) {
    bool any = false;
    for (const Json& branch : s["anyOf"]) any = any || Violation(branch, v, path).empty();
    if (!any) return path + ": matches no anyOf branch";
  }
  std::set<std::string> types = Types(s);
  if (!types.empty()) {
    bool ok = false;
    for (const std::string& t : types) ok = ok || HasType(v, t);
    if (!ok) return path + ": wrong type " + std::string(v.type_name());
  }
  if (s.contains("enum")) {
    bool found = false;
    for (const Json& e : s["enum"]) found = found || e == v;
    if (!found) return path + ": not in enum";
  }
  if (v.is_number()) {
    double d = v.get<double>();
    if (s.contains("minimum") && d < s["minimum"].get<double>()) return path + ": below minimum";
    if (s.contains("maximum") && d > s["maximum"].get<double>()) return path + ": above maximum";
  }
  if (v.is_object() && s.contains("properties")) {
    const Json& props = s["properties"];
    for (const Json& r : s.value("required", Json::array())) {
      if (!v.contains(r.get<std::string>())) return path + ": missing " + r.get<std::string>();
    }
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (props.contains(it.key())) {
        std::string p = Violation(props[it.key()], it.value(), path + "." + it.key());
        if (!p.empty()) return p;
      } else if (s.value("additionalProperties", true) == false) {
        return path + ": unexpected property " + it.key();
      }
    }
  }
  if (v.is_array() && s.contains("items")) {
    for (size_t i = 0; i < v.size(); ++i) {
      std::string p = Violation(s["items"], v[i], path + "[" + std::to_string(i) + "]");
      if (!p.empty()) return p;
    }
  }
  return "";
}

}  // namespace strict_schema_detail

// "" when `schema` is a root schema inside the strict subset, else the first
// problem with its path ("$.properties.config: ...").
inline std::string StrictSchemaProblem(const Json& schema) {
  if (schema.contains("anyOf")) return "$: the root must not be an anyOf";
  if (strict_schema_detail::Types(schema) != std::set<std::string>{"object"}) {
    return "$: the root must be an object";
  }
  return strict_schema_detail::Problem(schema, "$");
}

// A random value `schema` (of the subset) allows, as a server that builds
// arguments from the schema alone would: every required property, numbers
// within minimum/maximum (often at a bound), an enum member, a random type of
// a type list or branch of an anyOf, short random strings.
inline Json RandomInstance(const Json& schema, std::mt19937& rng) {
  auto coin = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
  if (schema.contains("anyOf")) {
    return RandomInstance(
        schema["anyOf"][static_cast<size_t>(coin(static_cast<int>(schema["anyOf"].size())))], rng);
  }
  if (schema.contains("enum")) {
    return schema["enum"][static_cast<size_t>(coin(static_cast<int>(schema["enum"].size())))];
  }
  std::set<std::string> type_set = strict_schema_detail::Types(schema);
  std::vector<std::string> types(type_set.begin(), type_set.end());
  std::string type = types[static_cast<size_t>(coin(static_cast<int>(types.size())))];
  if (type == "null") return Json();
  if (type == "boolean") return coin(2) == 1;
  if (type == "string") {
    std::string out;
    for (int i = coin(12); i > 0; --i) out += static_cast<char>('a' + coin(26));
    return out;
  }
  if (type == "number" || type == "integer") {
    double lo = schema.value("minimum", -1000.0), hi = schema.value("maximum", 1000.0);
    int bound = coin(4);
    double v = bound == 0   ? lo
               : bound == 1 ? hi
                            : std::uniform_real_distribution<double>(lo, hi)(rng);
    if (type == "number") return v;
    long long i = static_cast<long long>(std::ceil(v));
    if (static_cast<double>(i) > hi) i = static_cast<long long>(std::floor(hi));
    return i;
  }
  if (type == "array") {
    Json out = Json::array();
    for (int i = coin(3); i > 0; --i) out.push_back(RandomInstance(schema["items"], rng));
    return out;
  }
  Json out = Json::object();
  for (auto it = schema["properties"].begin(); it != schema["properties"].end(); ++it) {
    out[it.key()] = RandomInstance(it.value(), rng);
  }
  return out;
}

// "" when `value` satisfies `schema` (a schema of the subset), else why.
inline std::string SchemaViolation(const Json& schema, const Json& value) {
  return strict_schema_detail::Violation(schema, value, "$");
}

}  // namespace ctxbench
