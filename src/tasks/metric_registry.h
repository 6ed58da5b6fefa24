// Competition metrics by name: how a submission's target columns are scored
// against the answers' columns. The names are MLE-bench's grader names (its
// competitions' config.yaml), with a few aliases; docs/tasks.md lists which
// metrics of MLE-bench's Lite competitions are covered.
//
// Error channel: unknown names return nullptr from FindCompetitionMetric;
// ScoreCompetitionMetric throws ctxbench::Error (kInput) when a cell is not
// what the metric needs (a submission value that is not a number, a
// probability outside [0, 1], answers with one class only), the message
// naming the column and row but never an answer's value. Thread-safe (no
// state).
#pragma once

#include <string>
#include <vector>

namespace ctxbench {

struct CompetitionMetric {
  std::string name;  // the canonical name
  bool higher_is_better = true;
  // What the target columns hold: "numeric" (one or more value columns),
  // "binary" (0/1 answers, probabilities or scores submitted), "label" (one
  // column of class labels), "one-hot" (answers one-hot over the class
  // columns, probabilities submitted), "ranked" (answers one label,
  // submission space-separated labels, best first).
  std::string columns;
  std::string summary;  // one line for docs and --help
};

// Every metric, canonical names only, in a stable order.
const std::vector<CompetitionMetric>& CompetitionMetrics();

// The metric called `name` (canonical or alias, e.g. "root-mean-squared-error",
// "map@5" for any k >= 1), or nullptr when unknown.
const CompetitionMetric* FindCompetitionMetric(const std::string& name);

// Scores `pred` against `truth`: column-major cells (truth[c][i] is target
// column c of row i), the same shape, rows already aligned by id.
// REQUIRES: FindCompetitionMetric(metric) != nullptr, at least one column and
// one row, pred.size() == truth.size() and equal column lengths.
double ScoreCompetitionMetric(const std::string& metric,
                              const std::vector<std::vector<std::string>>& truth,
                              const std::vector<std::vector<std::string>>& pred);

}  // namespace ctxbench
