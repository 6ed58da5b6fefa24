// The file side of `ctxbench merge` (run/merge.h): copying the shards'
// SQLite stores, response caches, traces and workspaces into the merged run
// folder. Only the episodes each shard is chosen for are copied.
//
// Error channel: throws a runtime ctxbench::Error naming the file that could
// not be read or written. Not thread-safe (one merge at a time per folder).
#pragma once

#include <set>
#include <string>
#include <vector>

#include "events/run_status.h"

namespace ctxbench {

// One shard's contribution: its run folder and the episodes taken from it.
struct ShardPart {
  std::string dir;
  std::set<std::string> episode_ids;
};

// The merged run's row of `runs`.
struct MergedRunRow {
  std::string run_id;
  std::string name;
  std::string config_json;
  double started_at = 0;
  double finished_at = 0;
  RunStatus status = RunStatus::kComplete;
};

// Creates `out_dir`/results.db with the store schema, the run's row, and the
// rows of every table (episodes, steps, llm_calls, experiments, events) of
// each part's episodes from the part's results.db; episodes get the merged
// run_id. REQUIRES: the parts' stores have this build's schema version.
void MergeStores(const std::string& out_dir, const MergedRunRow& run,
                 const std::vector<ShardPart>& parts);

// Merges every part's calls.db (recorded model answers) into
// `out_dir`/calls.db, keeping the first answer of a key. No file when no part
// has one.
void MergeCallCaches(const std::string& out_dir, const std::vector<ShardPart>& parts);

// Copies traces/<id>.jsonl and workspaces/<id>{,.hidden,.snapshots} of each
// part's episodes (those that exist) into `out_dir`.
void CopyEpisodeFiles(const std::string& out_dir, const std::vector<ShardPart>& parts);

}  // namespace ctxbench
