#include "core/source_dir.h"

#include <filesystem>
#include <fstream>
#include <system_error>

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

std::string SourceDir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : SourceDirOf(exe.string());
}

}  // namespace ctxbench
