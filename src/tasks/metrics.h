// Scoring predictions: the task metrics, computed here rather than by the
// learner so every learner is scored the same way.
#pragma once

#include <string>
#include <vector>

namespace ctxbench {

// `pred` holds one value per row for regression and binary problems (the
// probability of class 1), and rows * num_classes probabilities for
// multiclass (row-major). `labels` holds targets or class indices.
// REQUIRES: labels non-empty, pred sized as above, metric valid for the problem.
double ComputeMetric(const std::string& metric, const std::vector<float>& labels,
                     const std::vector<float>& pred, int num_classes);

double Accuracy(const std::vector<float>& labels, const std::vector<float>& pred, int num_classes);
// Probabilities are clipped to [1e-15, 1 - 1e-15].
double LogLoss(const std::vector<float>& labels, const std::vector<float>& pred, int num_classes);
double MeanAbsoluteError(const std::vector<float>& labels, const std::vector<float>& pred);
double RootMeanSquaredError(const std::vector<float>& labels, const std::vector<float>& pred);
// Root mean squared log error (Kaggle's NOMAD 2018 metric, per target); NaN
// when a prediction or label is <= -1.
double RootMeanSquaredLogError(const std::vector<float>& labels, const std::vector<float>& pred);
// Binary ROC AUC with tied scores averaged; 0.5 when only one class is present.
double RocAuc(const std::vector<float>& labels, const std::vector<float>& pred);

}  // namespace ctxbench
