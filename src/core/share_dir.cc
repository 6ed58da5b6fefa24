#include "core/share_dir.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "core/env.h"

namespace ctxbench {

namespace fs = std::filesystem;

std::string SourceDirOf(const std::string& exe) {
  if (exe.empty()) return "";
  fs::path dir = fs::path(exe).parent_path();
  for (int up = 0; up < 2 && !dir.empty(); ++up, dir = dir.parent_path()) {
    std::ifstream in(dir / kSourceDirFile);
    std::string line;
    if (!in || !std::getline(in, line)) continue;
    while (!line.empty() && (line.back() == '/' || line.back() == '\r')) line.pop_back();
    std::error_code ec;
    if (!line.empty() && fs::is_directory(line, ec)) return line;
  }
  return "";
}

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
  std::optional<std::string> env = GetEnv("CTXBENCH_SHARE_DIR");
  return ResolveShareDir(exe_path, env ? env->c_str() : nullptr, SourceDirOf(exe_path));
}

}  // namespace ctxbench
