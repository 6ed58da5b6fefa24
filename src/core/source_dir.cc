#include "core/source_dir.h"

#include <filesystem>
#include <system_error>

#include "core/share_dir.h"

namespace ctxbench {

namespace fs = std::filesystem;

std::string SourceDir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : SourceDirOf(exe.string());
}

}  // namespace ctxbench
