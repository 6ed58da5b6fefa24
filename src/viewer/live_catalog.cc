#include "viewer/live_catalog.h"

#include <utility>

namespace ctxbench {

namespace {

bool SameRuns(const RunCatalog& a, const RunCatalog& b) {
  if (a.runs().size() != b.runs().size()) return false;
  for (size_t i = 0; i < a.runs().size(); ++i) {
    if (a.runs()[i].dir != b.runs()[i].dir || a.runs()[i].id != b.runs()[i].id) return false;
  }
  return true;
}

}  // namespace

LiveRunCatalog::LiveRunCatalog(std::vector<std::string> dirs)
    : dirs_(std::move(dirs)), current_(std::make_shared<const RunCatalog>(dirs_)) {}

std::shared_ptr<const RunCatalog> LiveRunCatalog::Current() const {
  std::lock_guard<std::mutex> lock(mu_);
  return current_;
}

std::shared_ptr<const RunCatalog> LiveRunCatalog::Rescan() {
  // One scan at a time: each builds on the ids of the one before.
  std::lock_guard<std::mutex> lock(mu_);
  auto scanned = std::make_shared<const RunCatalog>(dirs_, *current_);
  if (!SameRuns(*scanned, *current_)) current_ = std::move(scanned);
  return current_;
}

}  // namespace ctxbench
