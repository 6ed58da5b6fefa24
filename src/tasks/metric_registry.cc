#include "tasks/metric_registry.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <numeric>
#include <utility>

#include "core/error.h"

namespace ctxbench {
namespace {

using Column = std::vector<std::string>;
using Columns = std::vector<Column>;

constexpr double kLogLossEps = 1e-15;

const std::vector<std::pair<std::string, std::string>>& Aliases() {
  static const std::vector<std::pair<std::string, std::string>> aliases = {
      {"root-mean-squared-error", "rmse"},
      {"root_mean_squared_error", "rmse"},
      {"mean-absolute-error", "mae"},
      {"multi-class-classification-accuracy", "accuracy"},
      {"auc", "auc-roc"},
      {"roc-auc", "auc-roc"},
      {"column-wise-roc-auc", "mean-column-wise-roc-auc"},
      {"column-wise ROC AUC", "mean-column-wise-roc-auc"},
      {"logloss", "log-loss"},
      {"qwk", "quadratic-weighted-kappa"},
  };
  return aliases;
}

std::string Where(size_t column, size_t row) {
  return "target column " + std::to_string(column + 1) + ", row " + std::to_string(row + 1);
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

// A cell as a finite number ("True"/"False" as 1/0); false otherwise.
bool ToNumber(const std::string& cell, double* out) {
  std::string s = Trim(cell);
  if (s == "True" || s == "true") {
    *out = 1;
    return true;
  }
  if (s == "False" || s == "false") {
    *out = 0;
    return true;
  }
  if (s.empty()) return false;
  char* end = nullptr;
  *out = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size() && std::isfinite(*out);
}

std::vector<double> Numbers(const Column& cells, size_t column, const std::string& side) {
  std::vector<double> v(cells.size());
  for (size_t i = 0; i < cells.size(); ++i) {
    if (!ToNumber(cells[i], &v[i])) ThrowInput(side, Where(column, i) + ": expected a number");
  }
  return v;
}

void CheckProbabilities(const std::vector<double>& p, size_t column) {
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] < 0 || p[i] > 1) {
      ThrowInput("submission", Where(column, i) + ": expected a probability in [0, 1]");
    }
  }
}

double Rmsle(const std::vector<double>& y, const std::vector<double>& p, size_t column) {
  double sum = 0;
  for (size_t i = 0; i < y.size(); ++i) {
    if (p[i] <= -1) ThrowInput("submission", Where(column, i) + ": RMSLE needs values above -1");
    if (y[i] <= -1) ThrowInput("answers", Where(column, i) + ": RMSLE needs values above -1");
    double d = std::log1p(p[i]) - std::log1p(y[i]);
    sum += d * d;
  }
  return std::sqrt(sum / static_cast<double>(y.size()));
}

double Rmse(const std::vector<double>& y, const std::vector<double>& p) {
  double sum = 0;
  for (size_t i = 0; i < y.size(); ++i) sum += (p[i] - y[i]) * (p[i] - y[i]);
  return std::sqrt(sum / static_cast<double>(y.size()));
}

double Mae(const std::vector<double>& y, const std::vector<double>& p) {
  double sum = 0;
  for (size_t i = 0; i < y.size(); ++i) sum += std::fabs(p[i] - y[i]);
  return sum / static_cast<double>(y.size());
}

// Binary ROC AUC with tied scores averaged (Mann-Whitney U).
double Auc(const std::vector<double>& y, const std::vector<double>& p, size_t column) {
  size_t n = y.size();
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return p[a] < p[b]; });
  double rank_sum = 0, positives = 0;
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j < n && p[order[j]] == p[order[i]]) ++j;
    double avg_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
    for (size_t k = i; k < j; ++k) {
      if (y[order[k]] > 0.5) {
        rank_sum += avg_rank;
        positives += 1;
      }
    }
    i = j;
  }
  double negatives = static_cast<double>(n) - positives;
  if (positives == 0 || negatives == 0) {
    ThrowInput("answers", "target column " + std::to_string(column + 1) +
                              ": ROC AUC needs both classes in the answers");
  }
  return (rank_sum - positives * (positives + 1) / 2.0) / (positives * negatives);
}

double BinaryLogLoss(const std::vector<double>& y, const std::vector<double>& p) {
  double sum = 0;
  for (size_t i = 0; i < y.size(); ++i) {
    double q = std::clamp(p[i], kLogLossEps, 1 - kLogLossEps);
    sum -= y[i] > 0.5 ? std::log(q) : std::log(1 - q);
  }
  return sum / static_cast<double>(y.size());
}

// Rows are renormalised to sum to 1 after clipping, as scikit-learn does.
double MulticlassLogLoss(const Columns& truth, const Columns& pred) {
  size_t rows = truth[0].size();
  std::vector<std::vector<double>> y, p;
  for (size_t c = 0; c < truth.size(); ++c) {
    y.push_back(Numbers(truth[c], c, "answers"));
    p.push_back(Numbers(pred[c], c, "submission"));
    CheckProbabilities(p.back(), c);
  }
  double sum = 0;
  for (size_t i = 0; i < rows; ++i) {
    double total = 0;
    for (size_t c = 0; c < p.size(); ++c)
      total += std::clamp(p[c][i], kLogLossEps, 1 - kLogLossEps);
    for (size_t c = 0; c < p.size(); ++c) {
      double q = std::clamp(p[c][i], kLogLossEps, 1 - kLogLossEps) / total;
      sum -= y[c][i] * std::log(q);
    }
  }
  return sum / static_cast<double>(rows);
}

// Two cells name the same label: equal text, or equal numbers ("1" and "1.0").
bool SameLabel(const std::string& a, const std::string& b) {
  std::string x = Trim(a), y = Trim(b);
  if (x == y) return true;
  double u = 0, v = 0;
  return ToNumber(x, &u) && ToNumber(y, &v) && u == v;
}

// A label's canonical text: numbers as numbers, so "1.0" and "1" agree.
std::string LabelKey(const std::string& cell) {
  std::string s = Trim(cell);
  double v = 0;
  if (!ToNumber(s, &v)) return s;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

double Accuracy(const Column& y, const Column& p) {
  size_t hits = 0;
  for (size_t i = 0; i < y.size(); ++i) hits += SameLabel(y[i], p[i]) ? 1 : 0;
  return static_cast<double>(hits) / static_cast<double>(y.size());
}

// F1 of each label in the union of both columns; `positive_only` keeps label 1.
double F1(const Column& y, const Column& p, bool positive_only) {
  std::map<std::string, std::array<double, 3>> counts;  // tp, fp, fn
  for (size_t i = 0; i < y.size(); ++i) {
    std::string a = LabelKey(y[i]), b = LabelKey(p[i]);
    if (a == b) {
      counts[a][0] += 1;
    } else {
      counts[b][1] += 1;
      counts[a][2] += 1;
    }
  }
  auto f1 = [](const std::array<double, 3>& c) {
    double d = 2 * c[0] + c[1] + c[2];
    return d == 0 ? 0.0 : 2 * c[0] / d;
  };
  if (positive_only) return f1(counts[LabelKey("1")]);
  double sum = 0;
  for (const auto& [label, c] : counts) sum += f1(c);
  return sum / static_cast<double>(counts.size());
}

// Cohen's kappa with quadratic weights over the sorted labels' indices (as
// scikit-learn's cohen_kappa_score(weights="quadratic")).
double QuadraticWeightedKappa(const Column& y, const Column& p, size_t column) {
  std::vector<double> a = Numbers(y, column, "answers"), b = Numbers(p, column, "submission");
  std::vector<double> labels = a;
  labels.insert(labels.end(), b.begin(), b.end());
  std::sort(labels.begin(), labels.end());
  labels.erase(std::unique(labels.begin(), labels.end()), labels.end());
  size_t k = labels.size();
  if (k < 2) return 1.0;
  auto index = [&](double v) {
    return static_cast<size_t>(std::lower_bound(labels.begin(), labels.end(), v) - labels.begin());
  };
  std::vector<double> observed(k * k, 0), rows(k, 0), cols(k, 0);
  for (size_t i = 0; i < a.size(); ++i) {
    size_t r = index(a[i]), c = index(b[i]);
    observed[r * k + c] += 1;
    rows[r] += 1;
    cols[c] += 1;
  }
  double n = static_cast<double>(a.size()), num = 0, den = 0;
  for (size_t r = 0; r < k; ++r) {
    for (size_t c = 0; c < k; ++c) {
      double w = (static_cast<double>(r) - static_cast<double>(c)) *
                 (static_cast<double>(r) - static_cast<double>(c));
      num += w * observed[r * k + c];
      den += w * rows[r] * cols[c] / n;
    }
  }
  return den == 0 ? 1.0 : 1.0 - num / den;
}

// Mean average precision at k with one true label per row (Kaggle's apk).
double MapAtK(const Column& y, const Column& p, size_t k) {
  double sum = 0;
  for (size_t i = 0; i < y.size(); ++i) {
    std::vector<std::string> seen;
    std::string cell = p[i];
    size_t pos = 0;
    while (seen.size() < k && pos < cell.size()) {
      size_t b = cell.find_first_not_of(" \t", pos);
      if (b == std::string::npos) break;
      size_t e = cell.find_first_of(" \t", b);
      std::string label = cell.substr(b, e == std::string::npos ? std::string::npos : e - b);
      pos = e == std::string::npos ? cell.size() : e;
      if (std::find(seen.begin(), seen.end(), label) != seen.end()) continue;
      seen.push_back(label);
      if (label == Trim(y[i])) {
        sum += 1.0 / static_cast<double>(seen.size());
        break;
      }
    }
  }
  return sum / static_cast<double>(y.size());
}

// "map@K" -> K, or 0 when `name` is not of that form.
size_t MapK(const std::string& name) {
  if (name.rfind("map@", 0) != 0 || name.size() == 4 || name.size() > 7) return 0;
  size_t k = 0;
  for (size_t i = 4; i < name.size(); ++i) {
    if (name[i] < '0' || name[i] > '9') return 0;
    k = k * 10 + static_cast<size_t>(name[i] - '0');
  }
  return k;
}

}  // namespace

const std::vector<CompetitionMetric>& CompetitionMetrics() {
  static const std::vector<CompetitionMetric> metrics = {
      {"mean-column-wise-rmsle", false, "numeric",
       "root mean squared log error, averaged over the target columns (NOMAD 2018)"},
      {"rmsle", false, "numeric", "root mean squared log error (mean over columns)"},
      {"rmse", false, "numeric", "root mean squared error (mean over columns)"},
      {"mae", false, "numeric", "mean absolute error (mean over columns)"},
      {"accuracy", true, "label", "share of rows whose label equals the answer's"},
      {"auc-roc", true, "binary", "area under the ROC curve, ties averaged"},
      {"mean-column-wise-roc-auc", true, "binary", "ROC AUC averaged over the target columns"},
      {"log-loss", false, "binary",
       "binary cross-entropy of the submitted probability, clipped to [1e-15, 1-1e-15]"},
      {"multi-class-log-loss", false, "one-hot",
       "cross-entropy over the class columns, rows clipped and renormalised"},
      {"quadratic-weighted-kappa", true, "label",
       "Cohen's kappa with quadratic weights over the sorted labels"},
      {"f1", true, "label", "F1 of label 1"},
      {"macro-f1", true, "label", "unweighted mean of each label's F1"},
      {"map@k", true, "ranked",
       "mean average precision at k, one true label per row (written map@3, map@5, ...)"},
  };
  return metrics;
}

const CompetitionMetric* FindCompetitionMetric(const std::string& name) {
  std::string canonical = name;
  for (const auto& [alias, target] : Aliases()) {
    if (name == alias) canonical = target;
  }
  if (canonical == "map@k") return nullptr;  // needs a k
  if (MapK(canonical) > 0) canonical = "map@k";
  for (const CompetitionMetric& m : CompetitionMetrics()) {
    if (m.name == canonical) return &m;
  }
  return nullptr;
}

double ScoreCompetitionMetric(const std::string& metric, const Columns& truth,
                              const Columns& pred) {
  const CompetitionMetric* m = FindCompetitionMetric(metric);
  if (m == nullptr) ThrowUsage("metric", "unknown metric '" + metric + "'");
  if (m->name == "multi-class-log-loss") return MulticlassLogLoss(truth, pred);
  double sum = 0;
  for (size_t c = 0; c < truth.size(); ++c) {
    const Column& y = truth[c];
    const Column& p = pred[c];
    const std::string& n = m->name;
    double score = 0;
    if (m->columns == "numeric" || m->columns == "binary") {
      std::vector<double> a = Numbers(y, c, "answers"), b = Numbers(p, c, "submission");
      if (n == "mean-column-wise-rmsle" || n == "rmsle") score = Rmsle(a, b, c);
      if (n == "rmse") score = Rmse(a, b);
      if (n == "mae") score = Mae(a, b);
      if (n == "auc-roc" || n == "mean-column-wise-roc-auc") score = Auc(a, b, c);
      if (n == "log-loss") {
        CheckProbabilities(b, c);
        score = BinaryLogLoss(a, b);
      }
    } else if (n == "accuracy") {
      score = Accuracy(y, p);
    } else if (n == "quadratic-weighted-kappa") {
      score = QuadraticWeightedKappa(y, p, c);
    } else if (n == "f1" || n == "macro-f1") {
      score = F1(y, p, n == "f1");
    } else {
      score = MapAtK(y, p, MapK(metric));
    }
    sum += score;
  }
  return sum / static_cast<double>(truth.size());
}

}  // namespace ctxbench
