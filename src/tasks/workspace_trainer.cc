#include "tasks/workspace_trainer.h"

#include <filesystem>

#include "core/error.h"
#include "core/json_limits.h"
#include "tasks/dataset.h"

namespace ctxbench {

namespace fs = std::filesystem;

namespace {

TaskSpec LoadTask(const std::string& task, const std::vector<std::string>& task_dirs) {
  std::error_code ec;
  TaskSpec spec = fs::is_directory(task, ec) ? LoadTaskSpec((fs::path(task) / "task.json").string())
                                             : FindTask(task, task_dirs);
  if (spec.is_workspace()) {
    ThrowInput(spec.folder + "/task.json", "task " + spec.name +
                                               " is a workspace task; `ctxbench train` trains "
                                               "tune tasks (kind \"tune\", with knobs)");
  }
  return spec;
}

}  // namespace

TrainReport TrainFromParams(const TrainRequest& request,
                            const std::vector<std::string>& task_dirs) {
  if (request.threads < 1) ThrowUsage("--threads", "must be >= 1");
  TaskSpec task = LoadTask(request.task, task_dirs);
  std::error_code ec;
  if (!fs::is_regular_file(request.params_path, ec)) {
    ThrowInput(request.params_path, "params file not found");
  }
  Json params = ReadJsonInput(request.params_path);
  if (!params.is_object()) {
    ThrowInput(request.params_path, "must be a JSON object of knob values, e.g. {\"" +
                                        (task.knobs.empty() ? "knob" : task.knobs[0].name) +
                                        "\": ...}");
  }
  Json config = MergeConfig(task, task.baseline, params);
  if (Status problem = CheckConfig(task, config); !problem.ok()) {
    ThrowInput(request.params_path, problem.error());
  }

  Splits splits = LoadTaskSplits(task, request.data_dir, request.seed);
  auto learner = MakeXgboostLearner(request.threads);
  TrainReport report{task.name, task.metric, config,
                     learner->Evaluate(task, splits, config, request.seed)};
  if (!report.evaluation.ok) {
    ThrowRuntime("task " + task.name, "training failed: " + report.evaluation.error);
  }
  return report;
}

Json TrainMetricsJson(const TrainReport& report) {
  return {{report.metric, report.evaluation.valid_metric},
          {"train_seconds", report.evaluation.train_seconds}};
}

}  // namespace ctxbench
