#include "tasks/workspace_spec.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "core/json_int.h"
#include "tasks/workspace.h"

namespace ctxbench {

namespace fs = std::filesystem;

namespace {

std::string SelfExe() {
  std::error_code ec;
  fs::path p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? "ctxbench" : p.string();
}

// `key`'s argv with {task} (the task folder, made absolute against the
// working folder, as relative task_dirs are read: commands run in the
// workspace, where a relative path would point elsewhere) and {ctxbench}
// expanded.
std::vector<std::string> Command(const JsonReader& r, const std::string& key,
                                 const std::string& folder) {
  std::vector<std::string> argv = r.Strings(key);
  if (argv.empty()) r.Fail(key, "must name a program and its arguments");
  std::error_code ec;
  fs::path absolute = fs::absolute(folder, ec);
  const std::string task_dir = ec ? folder : absolute.lexically_normal().string();
  for (std::string& a : argv) {
    for (auto [from, to] :
         {std::pair<std::string, std::string>{"{task}", task_dir}, {"{ctxbench}", SelfExe()}}) {
      for (size_t at = a.find(from); at != std::string::npos; at = a.find(from, at + to.size())) {
        a.replace(at, from.size(), to);
      }
    }
  }
  return argv;
}

// Upper bounds of the limits: far above any real need, low enough that the
// bytes fit a long long and the counts an int.
constexpr long long kMaxMegabytes = 1LL << 20;  // 1 TiB
constexpr long long kMaxProcesses = 100000;
constexpr long long kMaxOutputBytes = 1LL << 30;

ProcessLimits ParseLimits(const JsonReader& r) {
  r.RejectUnknown({"wall_seconds", "cpu_seconds", "memory_mb", "file_mb", "processes",
                   "output_bytes", "disk_mb"});
  ProcessLimits l;
  l.wall_seconds = r.Number("wall_seconds", l.wall_seconds);
  l.cpu_seconds = r.Number("cpu_seconds", l.cpu_seconds);
  // Ranged so that the << 20 and the narrowing below cannot wrap.
  l.memory_bytes = IntInRange(r, "memory_mb", 64, kMaxMegabytes, l.memory_bytes >> 20) << 20;
  l.file_bytes = IntInRange(r, "file_mb", 1, kMaxMegabytes, l.file_bytes >> 20) << 20;
  l.processes = static_cast<int>(IntInRange(r, "processes", 1, kMaxProcesses, l.processes));
  l.output_bytes = static_cast<size_t>(
      IntInRange(r, "output_bytes", 256, kMaxOutputBytes, static_cast<long long>(l.output_bytes)));
  if (l.wall_seconds <= 0) r.Fail("wall_seconds", "must be > 0");
  if (l.cpu_seconds < 1) r.Fail("cpu_seconds", "must be >= 1");
  return l;
}

}  // namespace

const std::vector<std::string>& KnownWorkspaceTools() {
  static const std::vector<std::string> kTools = {
      "list_files", "read_file", "write_file", "edit_file", "undo_edit",   "run",
      "note",       "retrieve",  "ask",        "summarize", "final_answer"};
  return kTools;
}

WorkspaceSpec ParseWorkspaceSpec(const JsonReader& r, const std::string& folder) {
  r.RejectUnknown({"starter", "read_only", "run", "metrics_file", "config_file", "eval", "tools",
                   "limits", "baseline_metric", "prepared_data"});
  WorkspaceSpec w;
  w.starter_dir = fs::absolute(fs::path(folder) / r.String("starter", "starter")).string();
  if (!fs::is_directory(w.starter_dir)) r.Fail("starter", "no folder " + w.starter_dir);
  if (r.Has("read_only")) w.read_only = r.Strings("read_only");
  for (const std::string& p : w.read_only) {
    if (Status valid = CheckWorkspacePath(p); !valid) r.Fail("read_only", valid.error());
    if (!fs::is_regular_file(fs::path(w.starter_dir) / p)) {
      r.Fail("read_only", "'" + p + "' is not a file of the starter folder");
    }
  }
  w.run_command = Command(r, "run", folder);
  w.metrics_file = r.String("metrics_file", w.metrics_file);
  if (Status valid = CheckWorkspacePath(w.metrics_file); !valid) {
    r.Fail("metrics_file", valid.error());
  }
  w.config_file = r.String("config_file", "");
  if (Status valid = CheckWorkspacePath(w.config_file); !w.config_file.empty() && !valid) {
    r.Fail("config_file", valid.error());
  }
  // Trusted scoring needs the task's evaluation: without it every run of every
  // episode would fail, so the task is refused here, naming its file.
  if (!r.Has("eval")) {
    r.Fail("eval", "missing: a workspace task needs the harness's evaluation command");
  }
  w.eval_command = Command(r, "eval", folder);
  w.tools = r.Has("tools") ? r.Strings("tools") : KnownWorkspaceTools();
  for (const std::string& t : w.tools) {
    const auto& known = KnownWorkspaceTools();
    if (std::find(known.begin(), known.end(), t) == known.end()) {
      r.Fail("tools", "unknown tool '" + t + "'");
    }
  }
  for (const char* needed : {"run", "final_answer"}) {
    if (std::find(w.tools.begin(), w.tools.end(), needed) == w.tools.end()) {
      r.Fail("tools", std::string("must include \"") + needed + "\"");
    }
  }
  if (r.Has("limits")) {
    JsonReader limits = r.Child("limits");
    w.limits = ParseLimits(limits);
    w.disk_bytes = IntInRange(limits, "disk_mb", 1, kMaxMegabytes, w.disk_bytes >> 20) << 20;
  }
  if (r.Has("baseline_metric")) w.baseline_metric = r.Number("baseline_metric");
  if (r.Has("prepared_data")) {
    w.prepared_data = ParsePreparedData(r.Child("prepared_data"));
    for (const std::string& f : w.prepared_data->Files()) {
      if (fs::exists(fs::path(w.starter_dir) / f)) {
        r.Fail("prepared_data", "'" + f + "' would overwrite a starter file");
      }
      w.read_only.push_back(f);
    }
  }
  return w;
}

void PrepareEpisodeWorkspace(const std::string& task_name, const WorkspaceSpec& spec,
                             const std::string& data_dir, const std::string& dir, int sandbox_uid) {
  if (spec.prepared_data) WritePreparedData(*spec.prepared_data, task_name, data_dir, dir);
  PrepareWorkspace(spec.starter_dir, dir, spec.read_only, sandbox_uid);
  // The folder of all workspaces: passable, not listable, by the sandbox users.
  std::string parent = fs::path(dir).parent_path().string();
  if (!parent.empty()) ::chmod(parent.c_str(), 0711);
}

}  // namespace ctxbench
