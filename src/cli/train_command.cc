// `ctxbench train`: trains a tune task's XGBoost learner once from a params
// file and writes the validation metric as JSON — the experiment command of
// workspace tasks that run ctxbench itself (docs/workspace.md).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "core/error.h"
#include "core/file.h"
#include "tasks/dataset.h"
#include "tasks/workspace_trainer.h"

namespace ctxbench {
namespace {

struct TrainOptions {
  TrainRequest request;
  std::string metrics_path;
  bool hidden_test = false;
};

void RunTrain(const TrainOptions& o) {
  TrainRequest req = o.request;
  if (req.data_dir.empty()) req.data_dir = DefaultDataDir();
  TrainReport r = TrainFromParams(req, DefaultTaskDirs());
  if (!o.metrics_path.empty()) {
    WriteFileAtomic(o.metrics_path, TrainMetricsJson(r).dump() + "\n");
  }
  std::printf("task %s, seed %llu: config %s\nvalidation %s = %.6g (%.3f s)\n", r.task_name.c_str(),
              static_cast<unsigned long long>(req.seed), r.config.dump().c_str(), r.metric.c_str(),
              r.evaluation.valid_metric, r.evaluation.train_seconds);
  if (o.hidden_test) {
    Json scores = {{"valid_metric", r.evaluation.valid_metric},
                   {"test_metric", r.evaluation.test_metric}};
    std::printf("%s\n", scores.dump().c_str());
  }
}

}  // namespace

void AddTrainCommand(CLI::App& app, int* /*exit_code*/) {
  auto o = std::make_shared<TrainOptions>();
  CLI::App* cmd = app.add_subcommand(
      "train",
      "Train a tune task's XGBoost learner once: the task's baseline config with the knobs of "
      "--params on top, trained on the task's train split, scored on its validation split");
  cmd->add_option("--task", o->request.task,
                  "A folder holding task.json, or the name of a bundled task (kind tune)")
      ->required();
  cmd->add_option("--params", o->request.params_path, "JSON object of knob values")->required();
  cmd->add_option("--metrics", o->metrics_path,
                  "Write {\"<metric>\": <validation value>, \"train_seconds\": s} here");
  cmd->add_option("--seed", o->request.seed, "Data and split seed (as an episode seed)")
      ->capture_default_str();
  cmd->add_option("--threads", o->request.threads, "XGBoost threads")->capture_default_str();
  cmd->add_option("--data-dir", o->request.data_dir,
                  "Prepared datasets (default: $CTXBENCH_DATA_DIR or ./data)");
  cmd->add_flag("--hidden-test", o->hidden_test,
                "Also score the held-out test split and print {\"valid_metric\": v, "
                "\"test_metric\": x} as the last line (a workspace task's evaluation)");
  cmd->callback([o] { RunTrain(*o); });
}

}  // namespace ctxbench
