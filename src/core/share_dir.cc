#include "core/share_dir.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "core/source_dir.h"

namespace ctxbench {

namespace fs = std::filesystem;

std::string ResolveShareDir(const std::string& exe, const char* env, const std::string& source) {
  std::string installed;
  if (!exe.empty()) {
    fs::path share = fs::path(exe).parent_path().parent_path() / "share" / "ctxbench";
    installed = share.lexically_normal().string();
    std::error_code ec;
    if (fs::is_directory(share / "tasks", ec)) return installed;
  }
  if (env != nullptr && *env != '\0') return env;
  if (!source.empty()) return source;
  return installed;
}

std::string ShareDir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  std::string exe_path = ec ? std::string() : exe.string();
  return ResolveShareDir(exe_path, std::getenv("CTXBENCH_SHARE_DIR"), SourceDirOf(exe_path));
}

}  // namespace ctxbench
