// The run folders a viewer serves, each under a short id used in URLs.
//
// Ids are looked up, never joined onto a path: a URL can only name a run the
// catalog holds. Files inside a run folder are resolved by ResolveFile, which
// refuses any path that leaves the folder (`..`, absolute paths, symlinks
// pointing out).
//
// A catalog is a snapshot of the folders at the time it was made; a running
// viewer keeps a current one with LiveRunCatalog (viewer/live_catalog.h).
//
// Error channel: the first constructor throws an input ctxbench::Error naming
// the folder that is not a run folder; the rescanning one never throws;
// lookups return nullptr / nullopt.
// Thread safety: immutable after construction; safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace ctxbench {

struct RunFolder {
  std::string id;   // the folder's name; "-2", "-3", ... appended when two share one
  std::string dir;  // canonical absolute path
  std::string db;   // dir + "/results.db"
};

class RunCatalog {
 public:
  // Each entry of `dirs` is a run folder (holds results.db) or a folder of
  // run folders (e.g. runs/), whose run folders are added in name order. A
  // folder named twice is served once.
  explicit RunCatalog(const std::vector<std::string>& dirs);
  // A new scan of `dirs`: the runs `previous` held keep their ids, runs found
  // since get new ones (never an id `previous` gave another folder). A folder
  // that vanished or holds no run any more contributes none.
  RunCatalog(const std::vector<std::string>& dirs, const RunCatalog& previous);

  const std::vector<RunFolder>& runs() const { return runs_; }
  // The run with this id, or nullptr.
  const RunFolder* Find(const std::string& id) const;
  // The canonical path of `relative` inside the run's folder if it names an
  // existing regular file there; nullopt for anything else, including a path
  // that resolves outside the folder.
  std::optional<std::string> ResolveFile(const RunFolder& run, const std::string& relative) const;

 private:
  void AddRuns(const std::vector<std::string>& dirs, bool strict, const RunCatalog* previous);

  std::vector<RunFolder> runs_;
};

}  // namespace ctxbench
