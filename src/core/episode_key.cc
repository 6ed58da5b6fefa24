#include "core/episode_key.h"

namespace ctxbench {

namespace {
std::string Safe(const std::string& s) {
  std::string out;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    out += ok ? c : '-';
  }
  return out;
}
}  // namespace

std::string EpisodeKey::Id() const {
  return Safe(task) + "." + Safe(policy) + "." + Safe(model) + "." + Safe(mode) + ".s" +
         std::to_string(seed);
}

}  // namespace ctxbench
