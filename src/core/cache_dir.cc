#include "core/cache_dir.h"

#include <cstdlib>

#include "core/env.h"

namespace ctxbench {

std::string UserCacheDir() {
  std::optional<std::string> xdg = GetEnv("XDG_CACHE_HOME");
  // The XDG spec: a relative path is invalid and is to be ignored.
  if (xdg && (*xdg)[0] == '/') return *xdg + "/ctxbench";
  if (std::optional<std::string> home = GetEnv("HOME")) return *home + "/.cache/ctxbench";
  return "";
}

}  // namespace ctxbench
