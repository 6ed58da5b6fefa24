// The report's charts, built from a run: one function per kind of plot. Each
// chart covers one task and model (and mode, where it says) and names them in
// its title; each policy keeps its colour across charts (its position in the
// run's config).
#pragma once

#include <string>
#include <vector>

#include "report/ranking.h"
#include "report/run_data.h"
#include "report/svg_chart.h"

namespace ctxbench {

// A chart's scope: the episodes of one task, model and mode.
struct Panel {
  std::string task;
  std::string model;
  std::string mode;
};

// Task × model × mode combinations that have complete episodes, in config
// order (errored episodes are in no chart).
std::vector<Panel> Panels(const RunData& run);

// Value at `x` of the step function through `points` (sorted by x): the y of
// the last point with point.x <= x; the first y before the first point.
double StepValue(const std::vector<SeriesPoint>& points, double x);

// Best-so-far validation metric vs iteration: per policy, median over seeds
// with the interquartile band (episodes that stopped early keep their best),
// and the task's target as a reference line.
XYChart BestByIterationChart(const RunData& run, const Panel& panel);
// Best-so-far validation metric vs cumulative tokens of all LLM calls.
XYChart BestByTokensChart(const RunData& run, const Panel& panel);
// Context tokens sent per step (from the op.context manifests): median, IQR,
// and the run's context budget as a reference line.
XYChart ContextByStepChart(const RunData& run, const Panel& panel);
// Improvement vs tokens: each episode a dot, each policy's mean a large
// marker, the Pareto frontier over the policy means dashed.
XYChart EfficiencyChart(const RunData& run, const Panel& panel);
// Success rate per mode × policy with Wilson 95% intervals, for one task and model.
IntervalChart SuccessChart(const RunData& run, const std::string& task, const std::string& model);

// The answer's figure for one model × mode, pooled over tasks: each policy's
// success rate (%) with its Wilson 95% whisker against its mean tokens per
// episode, and the non-dominated policies joined (the frontier).
XYChart AnswerChart(const RunData& run, const PolicyRanking& ranking);

// "toy_tabular · model sim (built-in sim experimenter, not an LLM) · agentic"
std::string PanelSubtitle(const RunData& run, const Panel& panel);

}  // namespace ctxbench
