#include "core/env.h"

#include <cstdlib>

namespace ctxbench {

std::optional<std::string> GetEnv(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}

bool EnvIsSet(const std::string& name) { return std::getenv(name.c_str()) != nullptr; }

}  // namespace ctxbench
