#include "core/dotenv.h"

#include <cstdlib>
#include <filesystem>

#include "core/env.h"
#include "core/error.h"
#include "core/file.h"

namespace ctxbench {

namespace {
std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}
}  // namespace

std::map<std::string, std::string> ParseDotenv(const std::string& text, const std::string& source) {
  std::map<std::string, std::string> vars;
  size_t line_no = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = Trim(text.substr(pos, end - pos));
    pos = end + 1;
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    if (line.rfind("export ", 0) == 0) line = Trim(line.substr(7));
    size_t eq = line.find('=');
    std::string where = source + ":" + std::to_string(line_no);
    if (eq == std::string::npos || eq == 0) ThrowInput(where, "expected KEY=VALUE");
    std::string key = Trim(line.substr(0, eq));
    for (char c : key) {
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) {
        ThrowInput(where, "variable names may hold only letters, digits and _");
      }
    }
    std::string value = Trim(line.substr(eq + 1));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    } else {
      size_t hash = value.find(" #");
      if (hash != std::string::npos) value = Trim(value.substr(0, hash));
    }
    vars[key] = value;
  }
  return vars;
}

int LoadDotenv(const std::string& path) {
  if (!std::filesystem::is_regular_file(path)) return 0;
  int set = 0;
  for (const auto& [key, value] : ParseDotenv(ReadFile(path), path)) {
    if (EnvIsSet(key)) continue;
    ::setenv(key.c_str(), value.c_str(), 0);
    ++set;
  }
  return set;
}

}  // namespace ctxbench
