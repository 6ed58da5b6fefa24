#include "viewer/run_catalog.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "core/error.h"

namespace ctxbench {

namespace fs = std::filesystem;

namespace {

bool IsRunFolder(const fs::path& dir) {
  std::error_code ec;
  return fs::is_regular_file(dir / "results.db", ec);
}

}  // namespace

RunCatalog::RunCatalog(const std::vector<std::string>& dirs) { AddRuns(dirs, true, nullptr); }

RunCatalog::RunCatalog(const std::vector<std::string>& dirs, const RunCatalog& previous) {
  AddRuns(dirs, false, &previous);
}

void RunCatalog::AddRuns(const std::vector<std::string>& dirs, bool strict,
                         const RunCatalog* previous) {
  std::vector<fs::path> found;
  for (const std::string& given : dirs) {
    std::error_code ec;
    fs::path dir = fs::canonical(given, ec);
    if (ec || !fs::is_directory(dir, ec)) {
      if (strict) ThrowInput(given, "no such folder");
      continue;
    }
    if (IsRunFolder(dir)) {
      found.push_back(dir);
      continue;
    }
    std::vector<fs::path> children;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      std::error_code entry_ec;
      if (entry.is_directory(entry_ec) && IsRunFolder(entry.path())) {
        children.push_back(entry.path());
      }
    }
    if (children.empty() && strict) {
      ThrowInput(given, "not a run folder (no results.db) and holds none");
    }
    std::sort(children.begin(), children.end());
    for (const fs::path& child : children) {
      fs::path canonical = fs::canonical(child, ec);
      if (!ec) found.push_back(canonical);
    }
  }
  // Ids taken: every id the previous catalog gave, so a link to a run that
  // vanished never leads to another one.
  std::map<std::string, std::string> kept;  // dir -> id
  std::set<std::string> ids;
  if (previous != nullptr) {
    for (const RunFolder& run : previous->runs()) {
      kept[run.dir] = run.id;
      ids.insert(run.id);
    }
  }
  std::set<std::string> added;
  for (const fs::path& dir : found) {
    if (!added.insert(dir.string()).second) continue;  // named twice: served once
    auto it = kept.find(dir.string());
    if (it != kept.end()) {
      runs_.push_back({it->second, dir.string(), (dir / "results.db").string()});
      continue;
    }
    std::string base = dir.filename().string();
    std::string id = base;
    for (int n = 2; ids.count(id); ++n) id = base + "-" + std::to_string(n);
    ids.insert(id);
    runs_.push_back({id, dir.string(), (dir / "results.db").string()});
  }
}

const RunFolder* RunCatalog::Find(const std::string& id) const {
  for (const RunFolder& run : runs_) {
    if (run.id == id) return &run;
  }
  return nullptr;
}

std::optional<std::string> RunCatalog::ResolveFile(const RunFolder& run,
                                                   const std::string& relative) const {
  if (relative.empty() || relative.find('\0') != std::string::npos) return std::nullopt;
  fs::path rel(relative);
  if (rel.is_absolute()) return std::nullopt;
  for (const fs::path& part : rel) {
    if (part == "..") return std::nullopt;
  }
  std::error_code ec;
  fs::path target = fs::canonical(fs::path(run.dir) / rel, ec);
  if (ec || !fs::is_regular_file(target, ec)) return std::nullopt;
  // The resolved path (symlinks followed) must still lie inside the folder.
  fs::path root(run.dir);
  auto [r, t] = std::mismatch(root.begin(), root.end(), target.begin(), target.end());
  if (r != root.end()) return std::nullopt;
  return target.string();
}

}  // namespace ctxbench
