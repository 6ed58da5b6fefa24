// Harness overhead of a workspace `run` call (see bench/README.md ## Workspace):
// WorkspaceSession::Run() on a command that does almost nothing (`cp`ies a
// prepared metrics file), so the time is the harness's: environment, fork,
// exec, limits, supervision, reaping, reading the metrics and the config.
// Counters: run_s = whole call, process_s = fork to reap (includes cp's own
// run), outside_s = the harness's time around the process.
#include <benchmark/benchmark.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "agent/workspace_session.h"
#include "core/file.h"

namespace ctxbench {
namespace {

namespace fs = std::filesystem;

void BM_WorkspaceRun(benchmark::State& state) {
  fs::path dir = fs::temp_directory_path() / ("ctxbench-bench-ws-" + std::to_string(::getpid()));
  fs::create_directories(dir / "starter");
  ::chmod(dir.c_str(), 0755);
  WriteFileAtomic((dir / "starter" / "m.json").string(), "{\"accuracy\": 0.5}\n");
  WriteFileAtomic((dir / "starter" / "params.json").string(), "{\"n\": 1}\n");
  PrepareWorkspace((dir / "starter").string(), (dir / "ws").string(), {}, DefaultSandboxUid());
  TaskSpec task;
  task.kind = "workspace";
  task.metric = "accuracy";
  task.workspace.run_command = {"cp", "m.json", "metrics.json"};
  task.workspace.config_file = "params.json";
  auto runner = MakePosixProcessRunner();
  WorkspaceSession session(task, (dir / "ws").string(), runner.get(), DefaultSandboxUid());
  double process = 0, outside = 0;
  for (auto _ : state) {
    WorkspaceRun run = session.Run();
    if (!run.ok) state.SkipWithError(run.error.c_str());
    process += run.result.seconds;
    outside += run.overhead_seconds;
  }
  state.counters["process_ms"] = 1000 * process / static_cast<double>(state.iterations());
  state.counters["outside_ms"] = 1000 * outside / static_cast<double>(state.iterations());
  fs::remove_all(dir);
}
BENCHMARK(BM_WorkspaceRun)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace ctxbench

BENCHMARK_MAIN();
