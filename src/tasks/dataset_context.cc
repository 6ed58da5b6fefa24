#include "tasks/dataset_context.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace ctxbench {
namespace {

double Round6(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return std::strtod(buf, nullptr);
}

// Stats over the present values of a strided float column.
void AddNumericStats(const float* values, size_t n, size_t stride, Json* out) {
  size_t count = 0, missing = 0;
  double sum = 0, sum_sq = 0;
  double lo = 0, hi = 0;
  for (size_t i = 0; i < n; ++i) {
    double v = values[i * stride];
    if (std::isnan(v)) {
      ++missing;
      continue;
    }
    if (count == 0 || v < lo) lo = v;
    if (count == 0 || v > hi) hi = v;
    sum += v;
    sum_sq += v * v;
    ++count;
  }
  (*out)["missing"] = missing;
  if (count == 0) return;
  double mean = sum / count;
  double var = count > 1 ? (sum_sq - count * mean * mean) / (count - 1) : 0;
  (*out)["min"] = Round6(lo);
  (*out)["max"] = Round6(hi);
  (*out)["mean"] = Round6(mean);
  (*out)["std"] = Round6(std::sqrt(var > 0 ? var : 0));
}

}  // namespace

Json DatasetContext(const Dataset& data) {
  Json out = Json::object();
  out["rows"] = data.rows;
  out["cols"] = data.cols;
  Json target = Json::object();
  target["name"] = data.target_name;
  if (data.num_classes > 0) {
    target["type"] = "class";
    Json classes = Json::array();
    std::vector<size_t> counts(data.num_classes, 0);
    for (float y : data.y) {
      if (y >= 0 && y < data.num_classes) ++counts[static_cast<size_t>(y)];
    }
    for (int k = 0; k < data.num_classes; ++k) {
      std::string name =
          k < static_cast<int>(data.class_names.size()) ? data.class_names[k] : std::to_string(k);
      classes.push_back({{"name", name}, {"count", counts[k]}});
    }
    target["classes"] = classes;
  } else {
    target["type"] = "numeric";
    AddNumericStats(data.y.data(), data.rows, 1, &target);
  }
  out["target"] = target;
  if (!data.other_y.empty()) {  // a multi-target task's other targets (numeric)
    Json others = Json::array();
    for (size_t k = 0; k < data.other_y.size(); ++k) {
      Json t = Json::object();
      t["name"] = k < data.other_target_names.size() ? data.other_target_names[k] : "";
      t["type"] = "numeric";
      AddNumericStats(data.other_y[k].data(), data.rows, 1, &t);
      others.push_back(t);
    }
    out["other_targets"] = others;
  }

  Json columns = Json::array();
  for (size_t j = 0; j < data.cols; ++j) {
    Json col = Json::object();
    col["name"] = data.feature_names[j];
    bool categorical = j < data.categories.size() && !data.categories[j].empty();
    col["type"] = categorical ? "categorical" : "numeric";
    if (categorical) {
      size_t missing = 0;
      for (size_t i = 0; i < data.rows; ++i) missing += std::isnan(data.x[i * data.cols + j]);
      col["missing"] = missing;
      col["distinct"] = data.categories[j].size();
      col["categories"] = data.categories[j];
    } else {
      AddNumericStats(data.x.data() + j, data.rows, data.cols, &col);
    }
    columns.push_back(col);
  }
  out["columns"] = columns;
  return out;
}

std::string DescribeDataset(const Dataset& data, size_t max_columns) {
  Json ctx = DatasetContext(data);
  size_t categorical = 0;
  std::vector<std::string> with_missing;
  std::string names;
  for (size_t j = 0; j < data.cols; ++j) {
    const Json& c = ctx["columns"][j];
    if (c["type"] == "categorical") ++categorical;
    if (c["missing"].get<size_t>() > 0) {
      with_missing.push_back(data.feature_names[j] + " (" + c["missing"].dump() + ")");
    }
    if (j < max_columns) {
      if (!names.empty()) names.append(", ");
      names.append(data.feature_names[j]);
    }
  }
  if (data.cols > max_columns)
    names += ", ... (" + std::to_string(data.cols - max_columns) + " more)";
  std::ostringstream s;
  s << data.rows << " rows, " << data.cols << " features (" << data.cols - categorical
    << " numeric, " << categorical << " categorical): " << names << ". ";
  const Json& t = ctx["target"];
  if (data.num_classes > 0) {
    s << "Target '" << data.target_name << "' has " << data.num_classes << " classes:";
    for (const auto& c : t["classes"]) {
      s << " " << c["name"].get<std::string>() << " (" << c["count"].dump() << ")";
    }
    s << ".";
  } else if (t.contains("mean")) {
    s << "Target '" << data.target_name << "' is numeric: min " << t["min"].dump() << ", max "
      << t["max"].dump() << ", mean " << t["mean"].dump() << ", std " << t["std"].dump() << ".";
  }
  if (ctx.contains("other_targets")) {
    for (const auto& o : ctx["other_targets"]) {
      s << " Target '" << o["name"].get<std::string>() << "' is numeric: min " << o["min"].dump()
        << ", max " << o["max"].dump() << ", mean " << o["mean"].dump() << ", std "
        << o["std"].dump() << ".";
    }
    s << " Each target has its own model; the metric is the mean over targets.";
  }
  if (with_missing.empty()) {
    s << " No missing values.";
  } else {
    s << " Missing values (count) in:";
    for (size_t i = 0; i < with_missing.size(); ++i) s << (i > 0 ? ", " : " ") << with_missing[i];
    s << "; XGBoost handles them natively.";
  }
  return s.str();
}

}  // namespace ctxbench
