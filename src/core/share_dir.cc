#include "core/share_dir.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "core/source_dir.h"

namespace ctxbench {

namespace fs = std::filesystem;

std::string ResolveShareDir(const std::string& exe, const char* env, const std::string& source) {
  if (!exe.empty()) {
    fs::path share = fs::path(exe).parent_path().parent_path() / "share" / "ctxbench";
    std::error_code ec;
    if (fs::is_directory(share / "tasks", ec)) return share.lexically_normal().string();
  }
  if (env != nullptr && *env != '\0') return env;
  return source;
}

std::string ShareDir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ResolveShareDir(ec ? std::string() : exe.string(), std::getenv("CTXBENCH_SHARE_DIR"),
                         SourceDir());
}

}  // namespace ctxbench
