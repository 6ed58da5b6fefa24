#include "context/policy_registry.h"

#include <mutex>
#include <utility>

#include "core/error.h"

namespace ctxbench {

namespace {

struct Registry {
  std::mutex mutex;
  std::vector<std::pair<std::string, PolicyMaker>> types;  // in registration order
};

// Made on first use, with the built-ins in it: a registration from a static
// initialiser elsewhere (or a static library the linker dropped) cannot be
// missed or run before it.
Registry& TheRegistry() {
  static Registry* registry = [] {
    auto* r = new Registry;
    r->types = BuiltinPolicies();
    return r;
  }();
  return *registry;
}

bool ValidTypeName(const std::string& type) {
  if (type.empty()) return false;
  for (char c : type) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

void RegisterPolicy(const std::string& type, PolicyMaker maker) {
  if (!ValidTypeName(type)) {
    ThrowUsage("RegisterPolicy",
               "policy type '" + type + "' must be non-empty letters, digits, '_' or '-'");
  }
  if (!maker) ThrowUsage("RegisterPolicy", "policy type '" + type + "' has no maker");
  Registry& r = TheRegistry();
  std::lock_guard<std::mutex> lock(r.mutex);
  for (const auto& [name, _] : r.types) {
    if (name == type)
      ThrowUsage("RegisterPolicy", "policy type '" + type + "' is registered already");
  }
  r.types.emplace_back(type, std::move(maker));
}

PolicyMaker FindPolicyMaker(const std::string& type) {
  Registry& r = TheRegistry();
  std::lock_guard<std::mutex> lock(r.mutex);
  for (const auto& [name, maker] : r.types) {
    if (name == type) return maker;
  }
  return nullptr;
}

std::vector<std::string> PolicyTypes() {
  Registry& r = TheRegistry();
  std::lock_guard<std::mutex> lock(r.mutex);
  std::vector<std::string> names;
  names.reserve(r.types.size());
  for (const auto& entry : r.types) names.push_back(entry.first);
  return names;
}

}  // namespace ctxbench
