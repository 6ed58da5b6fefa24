#include "tasks/metrics.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace ctxbench {
namespace {

constexpr double kEps = 1e-15;

double Clip(double p) { return std::min(std::max(p, kEps), 1.0 - kEps); }

}  // namespace

double Accuracy(const std::vector<float>& labels, const std::vector<float>& pred, int num_classes) {
  size_t correct = 0;
  for (size_t i = 0; i < labels.size(); ++i) {
    int guess = 0;
    if (num_classes <= 2) {
      guess = pred[i] > 0.5f ? 1 : 0;
    } else {
      const float* row = &pred[i * num_classes];
      guess = static_cast<int>(std::max_element(row, row + num_classes) - row);
    }
    if (guess == static_cast<int>(labels[i])) ++correct;
  }
  return static_cast<double>(correct) / static_cast<double>(labels.size());
}

double LogLoss(const std::vector<float>& labels, const std::vector<float>& pred, int num_classes) {
  double sum = 0;
  for (size_t i = 0; i < labels.size(); ++i) {
    if (num_classes <= 2) {
      double p = Clip(pred[i]);
      sum -= labels[i] > 0.5f ? std::log(p) : std::log(1.0 - p);
    } else {
      sum -= std::log(Clip(pred[i * num_classes + static_cast<size_t>(labels[i])]));
    }
  }
  return sum / static_cast<double>(labels.size());
}

double MeanAbsoluteError(const std::vector<float>& labels, const std::vector<float>& pred) {
  double sum = 0;
  for (size_t i = 0; i < labels.size(); ++i) sum += std::fabs(double{pred[i]} - labels[i]);
  return sum / static_cast<double>(labels.size());
}

double RootMeanSquaredError(const std::vector<float>& labels, const std::vector<float>& pred) {
  double sum = 0;
  for (size_t i = 0; i < labels.size(); ++i) {
    double d = double{pred[i]} - labels[i];
    sum += d * d;
  }
  return std::sqrt(sum / static_cast<double>(labels.size()));
}

double RootMeanSquaredLogError(const std::vector<float>& labels, const std::vector<float>& pred) {
  double sum = 0;
  for (size_t i = 0; i < labels.size(); ++i) {
    if (pred[i] <= -1 || labels[i] <= -1) return std::nan("");
    double d = std::log1p(double{pred[i]}) - std::log1p(double{labels[i]});
    sum += d * d;
  }
  return std::sqrt(sum / static_cast<double>(labels.size()));
}

double RocAuc(const std::vector<float>& labels, const std::vector<float>& pred) {
  size_t n = labels.size();
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return pred[a] < pred[b]; });
  // Sum of (1-based, tie-averaged) ranks of the positives: Mann-Whitney U.
  double rank_sum = 0;
  size_t positives = 0;
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j < n && pred[order[j]] == pred[order[i]]) ++j;
    double avg_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
    for (size_t k = i; k < j; ++k) {
      if (labels[order[k]] > 0.5f) {
        rank_sum += avg_rank;
        ++positives;
      }
    }
    i = j;
  }
  size_t negatives = n - positives;
  if (positives == 0 || negatives == 0) return 0.5;
  double p = static_cast<double>(positives);
  return (rank_sum - p * (p + 1) / 2.0) / (p * static_cast<double>(negatives));
}

double ComputeMetric(const std::string& metric, const std::vector<float>& labels,
                     const std::vector<float>& pred, int num_classes) {
  if (metric == "accuracy") return Accuracy(labels, pred, num_classes);
  if (metric == "logloss") return LogLoss(labels, pred, num_classes);
  if (metric == "mae") return MeanAbsoluteError(labels, pred);
  if (metric == "rmse") return RootMeanSquaredError(labels, pred);
  if (metric == "rmsle") return RootMeanSquaredLogError(labels, pred);
  if (metric == "auc") return RocAuc(labels, pred);
  return std::nan("");
}

}  // namespace ctxbench
