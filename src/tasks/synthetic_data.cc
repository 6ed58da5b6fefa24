#include "tasks/synthetic_data.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "tasks/seeded_random.h"

namespace ctxbench {

Dataset MakeClassificationData(int rows, int features, int num_classes, uint64_t seed) {
  SeededRandom rng(seed);
  size_t n = static_cast<size_t>(rows);
  size_t d = static_cast<size_t>(features);
  size_t informative = std::max<size_t>(4, d / 3);
  if (informative > d) informative = d;

  std::vector<double> weights(informative);
  for (auto& w : weights) w = (rng.Uniform() < 0.5 ? -1.0 : 1.0) * (0.3 + 0.7 * rng.Uniform());

  Dataset data;
  data.rows = n;
  data.cols = d;
  data.num_classes = num_classes;
  data.target_name = "label";
  data.categories.assign(d, {});
  for (size_t j = 0; j < d; ++j) {
    std::string name = "f";
    name += std::to_string(j);
    data.feature_names.push_back(name);
  }
  for (int c = 0; c < num_classes; ++c) data.class_names.push_back(std::to_string(c));
  data.x.resize(n * d);

  std::vector<double> score(n);
  for (size_t i = 0; i < n; ++i) {
    float* row = &data.x[i * d];
    for (size_t j = 0; j < d; ++j) row[j] = static_cast<float>(rng.Normal());
    // A noisy copy of feature 0 sits right after the informative block.
    if (informative < d) row[informative] = row[0] + static_cast<float>(0.5 * rng.Normal());
    double s = 0;
    for (size_t j = 0; j < informative; ++j) s += 0.5 * weights[j] * row[j];
    s += 1.5 * row[0] * row[1];
    s += 1.0 * std::sin(2.0 * row[2]);
    s += 0.6 * (row[3] * row[3] - 1.0);
    s += 0.3 * rng.Normal();
    score[i] = s;
  }

  std::vector<double> sorted = score;
  std::sort(sorted.begin(), sorted.end());
  std::vector<double> cuts;
  for (int c = 1; c < num_classes; ++c) cuts.push_back(sorted[n * c / num_classes]);
  data.y.resize(n);
  for (size_t i = 0; i < n; ++i) {
    int label = 0;
    while (label < num_classes - 1 && score[i] >= cuts[label]) ++label;
    if (rng.Uniform() < 0.05) label = static_cast<int>(rng.Below(num_classes));
    data.y[i] = static_cast<float>(label);
  }
  return data;
}

}  // namespace ctxbench
