// The `workspace` part of a task spec (kind "workspace"): starter files the
// agent edits, the command that runs an experiment, where it writes its
// metrics, the hidden evaluation and the tools the agent gets. docs/workspace.md
// documents the JSON.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/json.h"
#include "tasks/process_runner.h"
#include "tasks/workspace_data.h"

namespace ctxbench {

struct WorkspaceSpec {
  std::string starter_dir;                    // absolute: copied into each episode's workspace
  std::vector<std::string> read_only;         // relative paths the agent may read, not write
  std::vector<std::string> run_command;       // argv of one experiment, run in the workspace
  std::string metrics_file = "metrics.json";  // JSON object the run writes, with the metric
  std::string config_file;                    // shown as the experiment's config when it is JSON
  // argv of the hidden evaluation, run in the final workspace after the run
  // command; prints a JSON object with "test_metric" as its last line.
  std::vector<std::string> eval_command;
  std::vector<std::string> tools;  // agentic tools offered, by name
  ProcessLimits limits;
  // The workspace's quota ("limits": {"disk_mb": N}): a run after which its
  // regular files hold more fails with an observation saying so.
  long long disk_bytes = 256LL << 20;
  // The baseline when the starter does not run (debug tasks): the metric the
  // fixed starter reaches, used for the target.
  std::optional<double> baseline_metric;
  // A prepared dataset split into the workspace at episode start (its files
  // are added to read_only); nullopt for tasks whose data is in the starter.
  std::optional<PreparedDataSpec> prepared_data;
};

// The workspace tools every workspace task may name.
const std::vector<std::string>& KnownWorkspaceTools();

// Parses the "workspace" object; `folder` is the task's folder. "{task}" in
// commands becomes that folder as an absolute path (a relative `folder` is
// taken from the working folder, as relative task_dirs are) and "{ctxbench}"
// the running ctxbench binary.
// "{hidden}" is left for the session: the episode's hidden folder.
WorkspaceSpec ParseWorkspaceSpec(const JsonReader& r, const std::string& folder);

// Fills the episode's workspace folder `dir`: the prepared data split (read
// from `data_dir`), then the starter files (PrepareWorkspace). Throws an input
// error naming the missing prepared data and the command that prepares it.
void PrepareEpisodeWorkspace(const std::string& task_name, const WorkspaceSpec& spec,
                             const std::string& data_dir, const std::string& dir, int sandbox_uid);

}  // namespace ctxbench
