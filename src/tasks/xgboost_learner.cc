// The XGBoost learner: training through the C API, errors as values.
#include <xgboost/c_api.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "core/hash.h"
#include "tasks/evaluation_memo.h"
#include "tasks/learner.h"
#include "tasks/metrics.h"

namespace ctxbench {
namespace {

// The knob (or fixed param) that sets the number of boosting rounds; it is
// not an XGBoost booster param.
constexpr const char* kRoundsKey = "num_round";
constexpr int kDefaultRounds = 100;

// Owns a DMatrix handle.
class DMatrix {
 public:
  DMatrix() = default;
  DMatrix(const DMatrix&) = delete;
  DMatrix& operator=(const DMatrix&) = delete;
  ~DMatrix() {
    if (handle_ != nullptr) XGDMatrixFree(handle_);
  }
  DMatrixHandle* out() { return &handle_; }
  DMatrixHandle get() const { return handle_; }

 private:
  DMatrixHandle handle_ = nullptr;
};

// Owns a Booster handle.
class Booster {
 public:
  Booster() = default;
  Booster(const Booster&) = delete;
  Booster& operator=(const Booster&) = delete;
  ~Booster() {
    if (handle_ != nullptr) XGBoosterFree(handle_);
  }
  BoosterHandle* out() { return &handle_; }
  BoosterHandle get() const { return handle_; }

 private:
  BoosterHandle handle_ = nullptr;
};

// An XGBoost call failed: carries XGBGetLastError().
struct XgbFailure {
  std::string message;
};

void Check(int rc, const char* what) {
  if (rc != 0) {
    const char* err = XGBGetLastError();
    throw XgbFailure{std::string("XGBoost ") + what + " failed: " + (err ? err : "unknown error")};
  }
}

std::string ParamValue(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "1" : "0";
  if (v.is_number_integer()) return std::to_string(v.get<long long>());
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v.get<double>());
  return buf;
}

// A matrix of `d`'s features labelled with `labels` (d.y or one of
// d.other_y).
void MakeMatrix(const Dataset& d, const std::vector<float>& labels, int threads, DMatrix* m) {
  Check(XGDMatrixCreateFromMat_omp(d.x.data(), d.rows, d.cols,
                                   std::numeric_limits<float>::quiet_NaN(), m->out(), threads),
        "DMatrix creation");
  Check(XGDMatrixSetFloatInfo(m->get(), "label", labels.data(), d.rows), "setting labels");
}

// The matrices of one split. XGBoost keeps the training matrix's quantised
// histogram index (built on its first training) inside the matrix, so a set
// that is reused skips both the copy of the data and the quantile sketch.
// A multi-target task has one more training matrix per other target (each
// labelled with that target); predictions need no labels.
struct SplitMatrices {
  DMatrix train, valid, test;
  std::vector<std::unique_ptr<DMatrix>> other_train;  // by Dataset::other_y index
};

// Matrix sets per split (by fingerprint), reused across evaluations and
// episodes. An evaluation checks a set out for itself and gives it back: one
// XGBoost matrix is never trained on by two threads at once (its lazily
// built index is not guarded), so a split has at most as many sets as
// evaluations ran on it at the same time. Thread-safe.
class MatrixPool {
 public:
  // A checked-out set; goes back to the pool when destroyed.
  class Lease {
   public:
    Lease(MatrixPool* pool, uint64_t key, std::unique_ptr<SplitMatrices> set)
        : pool_(pool), key_(key), set_(std::move(set)) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() { pool_->Return(key_, std::move(set_)); }
    const SplitMatrices& operator*() const { return *set_; }

   private:
    MatrixPool* pool_;
    uint64_t key_;
    std::unique_ptr<SplitMatrices> set_;
  };

  // A set for `splits` (whose fingerprint is `key`): an idle one, else a new
  // one built with `threads` threads. Throws XgbFailure if building fails.
  std::unique_ptr<Lease> Acquire(uint64_t key, const Splits& splits, int threads) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = idle_.find(key);
      if (it != idle_.end() && !it->second.empty()) {
        auto set = std::move(it->second.back());
        it->second.pop_back();
        return std::make_unique<Lease>(this, key, std::move(set));
      }
    }
    auto set = std::make_unique<SplitMatrices>();
    MakeMatrix(splits.train, splits.train.y, threads, &set->train);
    MakeMatrix(splits.valid, splits.valid.y, threads, &set->valid);
    MakeMatrix(splits.test, splits.test.y, threads, &set->test);
    for (const auto& labels : splits.train.other_y) {
      set->other_train.push_back(std::make_unique<DMatrix>());
      MakeMatrix(splits.train, labels, threads, set->other_train.back().get());
    }
    return std::make_unique<Lease>(this, key, std::move(set));
  }

 private:
  // Splits kept at most: a run has one per (task, seed); past this, sets of
  // splits not yet kept are dropped when given back.
  static constexpr size_t kMaxSplits = 64;

  void Return(uint64_t key, std::unique_ptr<SplitMatrices> set) {
    std::lock_guard<std::mutex> lock(mu_);
    if (idle_.size() >= kMaxSplits && !idle_.count(key)) return;
    idle_[key].push_back(std::move(set));
  }

  std::mutex mu_;
  std::map<uint64_t, std::vector<std::unique_ptr<SplitMatrices>>> idle_;
};

std::vector<float> Predict(const Booster& booster, const DMatrix& m, size_t expected) {
  bst_ulong len = 0;
  const float* out = nullptr;
  Check(XGBoosterPredict(booster.get(), m.get(), 0, 0, 0, &len, &out), "prediction");
  if (len != expected || out == nullptr) {
    throw XgbFailure{"XGBoost returned " + std::to_string(len) + " predictions, expected " +
                     std::to_string(expected)};
  }
  return std::vector<float>(out, out + len);
}

class XgboostLearner : public Learner {
 public:
  XgboostLearner(int threads, size_t memo_entries)
      : threads_(threads < 1 ? 1 : threads), memo_(memo_entries) {
    static std::once_flag quiet;
    std::call_once(quiet, [] { XGBSetGlobalConfig(R"({"verbosity": 0})"); });
  }

  Evaluation Evaluate(const TaskSpec& task, const Splits& splits, const Json& config,
                      uint64_t seed) override {
    Evaluation eval;
    if (Status bad = CheckConfig(task, config); !bad.ok()) {
      eval.error = bad.error();
      return eval;
    }
    Json canonical = CanonicalConfig(task, config);
    const uint64_t fingerprint = SplitsFingerprint(splits);
    std::string key = task.name + "|" + std::to_string(static_cast<int>(task.problem)) + "|" +
                      task.metric + "|" + Hex64(fingerprint) + "|" + task.fixed_params.dump() +
                      "|" + canonical.dump() + "|" + std::to_string(seed) + "|" +
                      std::to_string(threads_);
    return memo_.GetOrCompute(
        key, [&] { return TrainAndScore(task, splits, fingerprint, canonical, seed); });
  }

 private:
  // One training and its scores; failures are error values.
  Evaluation TrainAndScore(const TaskSpec& task, const Splits& splits, uint64_t fingerprint,
                           const Json& canonical, uint64_t seed) {
    Evaluation eval;
    auto start = std::chrono::steady_clock::now();
    try {
      Train(task, splits, fingerprint, canonical, seed, &eval);
    } catch (const XgbFailure& f) {
      eval = Evaluation{};
      eval.error = f.message;
      return eval;
    } catch (const std::exception& e) {
      eval = Evaluation{};
      eval.error = std::string("training failed: ") + e.what();
      return eval;
    }
    eval.train_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    eval.ok = true;
    return eval;
  }

  void Train(const TaskSpec& task, const Splits& splits, uint64_t fingerprint, const Json& config,
             uint64_t seed, Evaluation* eval) {
    auto lease = matrices_.Acquire(fingerprint, splits, threads_);
    const SplitMatrices& m = **lease;
    TrainOne(task, splits, m.train, m, splits.valid.y, splits.test.y, config, seed, eval);
    if (splits.train.other_y.empty()) return;
    // Multi-target: one model per target, the metric averaged over targets
    // (mean column-wise), each model with the same params and seed.
    const size_t targets = 1 + splits.train.other_y.size();
    double valid_sum = eval->valid_metric, test_sum = eval->test_metric;
    for (size_t k = 0; k < splits.train.other_y.size(); ++k) {
      Evaluation one;
      TrainOne(task, splits, *m.other_train[k], m, splits.valid.other_y[k], splits.test.other_y[k],
               config, seed, &one);
      valid_sum += one.valid_metric;
      test_sum += one.test_metric;
    }
    eval->valid_metric = valid_sum / static_cast<double>(targets);
    eval->test_metric = test_sum / static_cast<double>(targets);
  }

  // Trains one model on `train` (the features labelled with one target) and
  // scores it on the split's valid and test features against that target's
  // `valid_y` and `test_y`.
  void TrainOne(const TaskSpec& task, const Splits& splits, const DMatrix& train,
                const SplitMatrices& m, const std::vector<float>& valid_y,
                const std::vector<float>& test_y, const Json& config, uint64_t seed,
                Evaluation* eval) {
    const DMatrix& valid = m.valid;
    const DMatrix& test = m.test;

    Booster booster;
    DMatrixHandle cache[] = {train.get()};
    Check(XGBoosterCreate(cache, 1, booster.out()), "booster creation");
    auto set = [&](const std::string& name, const std::string& value) {
      Check(XGBoosterSetParam(booster.get(), name.c_str(), value.c_str()),
            ("setting " + name + "=" + value).c_str());
    };
    set("verbosity", "0");
    set("nthread", std::to_string(threads_));
    set("seed", std::to_string(seed & 0x7fffffff));
    int classes = splits.train.num_classes;
    switch (task.problem) {
      case Problem::kBinary:
        set("objective", "binary:logistic");
        break;
      case Problem::kMulticlass:
        set("objective", "multi:softprob");
        set("num_class", std::to_string(classes));
        break;
      case Problem::kRegression:
        set("objective", "reg:squarederror");
        break;
    }
    int rounds = kDefaultRounds;
    for (const Json* params : {&task.fixed_params, &config}) {
      for (auto it = params->begin(); it != params->end(); ++it) {
        if (it.key() == kRoundsKey) {
          rounds = static_cast<int>(it->get<double>());
        } else {
          set(it.key(), ParamValue(*it));
        }
      }
    }
    if (rounds < 1) throw XgbFailure{"num_round must be >= 1"};
    for (int i = 0; i < rounds; ++i) {
      Check(XGBoosterUpdateOneIter(booster.get(), i, train.get()), "training");
    }
    size_t width = task.problem == Problem::kMulticlass ? static_cast<size_t>(classes) : 1;
    std::vector<float> pv = Predict(booster, valid, splits.valid.rows * width);
    std::vector<float> pt = Predict(booster, test, splits.test.rows * width);
    eval->valid_metric = ComputeMetric(task.metric, valid_y, pv, classes);
    eval->test_metric = ComputeMetric(task.metric, test_y, pt, classes);
    if (!std::isfinite(eval->valid_metric) || !std::isfinite(eval->test_metric)) {
      throw XgbFailure{"metric '" + task.metric + "' is not finite for this config"};
    }
  }

  const int threads_;
  MatrixPool matrices_;
  EvaluationMemo memo_;
};

}  // namespace

std::unique_ptr<Learner> MakeXgboostLearner(int threads, size_t memo_entries) {
  return std::make_unique<XgboostLearner>(threads, memo_entries);
}

}  // namespace ctxbench
