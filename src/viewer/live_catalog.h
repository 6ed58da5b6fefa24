// The run folders a running viewer serves, kept current: a run folder created
// under a served folder of runs after the viewer started is found by the next
// Rescan, one removed is dropped, and the runs already served keep their ids.
//
// The viewer rescans when the run list is asked for and when a URL names a
// run the current catalog does not hold; the pages of a run already served
// need no rescan (they read its results.db on each request, through
// RunPageCache's stamp).
//
// Error channel: the constructor throws as RunCatalog's does (the folders
// given at start must exist and hold runs); Rescan never throws.
// Thread safety: safe from any thread; a catalog handed out stays valid (and
// unchanged) for as long as its holder keeps it.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "viewer/run_catalog.h"

namespace ctxbench {

class LiveRunCatalog {
 public:
  explicit LiveRunCatalog(std::vector<std::string> dirs);

  // The catalog of the last scan.
  std::shared_ptr<const RunCatalog> Current() const;
  // Scans the folders again and returns the result; the previous catalog
  // (same object) when the scan found the same runs.
  std::shared_ptr<const RunCatalog> Rescan();

 private:
  const std::vector<std::string> dirs_;
  mutable std::mutex mu_;
  std::shared_ptr<const RunCatalog> current_;
};

}  // namespace ctxbench
