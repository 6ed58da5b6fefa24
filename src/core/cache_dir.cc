#include "core/cache_dir.h"

#include <cstdlib>

namespace ctxbench {

std::string UserCacheDir() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  // The XDG spec: a relative path is invalid and is to be ignored.
  if (xdg != nullptr && xdg[0] == '/') return std::string(xdg) + "/ctxbench";
  const char* home = std::getenv("HOME");
  if (home != nullptr && home[0] != '\0') return std::string(home) + "/.cache/ctxbench";
  return "";
}

}  // namespace ctxbench
