// The replies of the viewer's run-level pages (Runs, Grid), cached per run
// folder: each aggregates the whole `episodes` table, which on a
// 10,000-episode run costs hundreds of milliseconds, while the run folder
// does not change between most requests.
//
// An entry is valid while the run's stamp is unchanged: the size and
// modification time of results.db, results.db-wal (a running writer appends
// there) and run.json. A run in progress thus gets fresh replies as it writes;
// a finished one is computed once.
//
// Error channel: Get propagates what `compute` throws (nothing is cached
// then). Thread safety: safe from any thread; two threads missing the same
// entry may both compute it.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>

#include "core/json.h"
#include "viewer/run_catalog.h"

namespace ctxbench {

// "size:mtime" of results.db, results.db-wal and run.json ("-" for a missing one).
std::string RunStamp(const RunFolder& run);

class RunPageCache {
 public:
  // The cached reply of `page` for `run` when `run`'s stamp has not changed
  // since it was computed; otherwise compute(), remembered under the stamp
  // taken before computing.
  Json Get(const RunFolder& run, const std::string& page, const std::function<Json()>& compute);

  // Replies computed (misses) and served from the cache (hits) so far.
  int64_t misses() const;
  int64_t hits() const;

 private:
  struct Entry {
    std::string stamp;
    Json value;
  };
  mutable std::mutex mu_;
  std::map<std::pair<std::string, std::string>, Entry> entries_;  // by (run dir, page)
  int64_t misses_ = 0, hits_ = 0;
};

}  // namespace ctxbench
