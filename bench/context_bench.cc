// Context build time per step at histories of 100, 1,000 and 10,000 events,
// for every policy, at an 8k-token budget. A policy instance serves one
// episode and indexes the log incrementally, so a step's build costs what the
// budget holds, not what the history holds: "warm" is the steady-state cost of
// one more build, "cold" the first build over the whole log.
//
//   ./build/bench/ctxbench_bench_context --benchmark_min_time=0.2
#include <benchmark/benchmark.h>

#include "context/policy.h"
#include "context/summarizer.h"
#include "context/synthetic_log.h"
#include "llm/token_counter.h"

namespace ctxbench {
namespace {

// The summariser stand-in: a fixed-size digest, so the benchmark measures the
// policy, not a model. Like the episode's summariser it leaves an op.summary
// event to append to the log, which later builds start from.
class DigestSummarizer final : public Summarizer {
 public:
  std::optional<std::string> Summarize(const std::string&, const std::vector<Message>& dropped,
                                       int64_t covers_to, int) override {
    std::string text = "digest of " + std::to_string(dropped.size()) + " messages up to " +
                       std::to_string(covers_to);
    pending_.push_back({{"text", text}, {"covers_to", covers_to}});
    return text;
  }
  // Appends the summaries made since the last call to `log`, as the episode does.
  void AppendTo(std::vector<Event>& log) {
    for (Json& data : pending_) {
      Event e;
      e.seq = static_cast<int64_t>(log.size());
      e.type = EventType::kSummary;
      e.data = std::move(data);
      log.push_back(std::move(e));
    }
    pending_.clear();
  }

 private:
  std::vector<Json> pending_;
};

const std::vector<PolicyConfig>& Policies() {
  static const std::vector<PolicyConfig> policies = {
      {"full", "full", Json::object()},
      {"window", "window", {{"max_turns", 8}}},
      {"mask", "mask", {{"after_turns", 2}}},
      {"summarize", "summarize", {{"keep_turns", 4}}},
      {"retrieve", "retrieve", {{"keep_turns", 3}}},
      {"state", "state", {{"keep_turns", 3}}},
      {"mix", "mix", Json::object()},
  };
  return policies;
}

std::shared_ptr<const TokenCounter> Counter() {
  static auto counter = [] {
    try {
      return MakeTokenCounter("o200k_base");
    } catch (const std::exception&) {
      return MakeTokenCounter("estimate");
    }
  }();
  return counter;
}

// About 3.5 events a turn in the synthetic log.
std::vector<Event> LogOf(int64_t events) {
  return MakeSyntheticLog(static_cast<int>(events * 2 / 7), 1);
}

void BM_BuildWarm(benchmark::State& state) {
  const PolicyConfig& pc = Policies()[state.range(0)];
  auto log = LogOf(state.range(1));
  auto counter = Counter();
  std::vector<ToolSpec> tools;
  DigestSummarizer summarizer;
  auto policy = MakePolicy(pc, "bench");
  // Warm the index, and append what the summariser wrote, as an episode does
  // between steps; the timed builds are the steady state that follows.
  policy->Build({log, 8000, *counter, tools, &summarizer});
  summarizer.AppendTo(log);
  policy->Build({log, 8000, *counter, tools, &summarizer});
  summarizer.AppendTo(log);
  for (auto _ : state) {
    Context ctx = policy->Build({log, 8000, *counter, tools, &summarizer});
    benchmark::DoNotOptimize(ctx);
  }
  state.SetLabel(pc.name + " events=" + std::to_string(log.size()) + " " + counter->name());
}

void BM_BuildCold(benchmark::State& state) {
  const PolicyConfig& pc = Policies()[state.range(0)];
  auto log = LogOf(state.range(1));
  auto counter = Counter();
  std::vector<ToolSpec> tools;
  DigestSummarizer summarizer;
  for (auto _ : state) {
    auto policy = MakePolicy(pc, "bench");
    Context ctx = policy->Build({log, 8000, *counter, tools, &summarizer});
    benchmark::DoNotOptimize(ctx);
  }
  state.SetLabel(pc.name + " events=" + std::to_string(log.size()) + " " + counter->name());
}

void Args(benchmark::internal::Benchmark* b) {
  for (int64_t p = 0; p < static_cast<int64_t>(Policies().size()); ++p) {
    for (int64_t n : {100, 1000, 10000}) b->Args({p, n});
  }
  b->Unit(benchmark::kMicrosecond);
}

BENCHMARK(BM_BuildWarm)->Apply(Args);
// Past the retrieval memory's capacity (1,000 items): bounded policies stay flat.
BENCHMARK(BM_BuildWarm)->ArgsProduct({{1, 2, 3, 4, 5, 6}, {30000}})->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_BuildCold)->Apply(Args);

}  // namespace
}  // namespace ctxbench

BENCHMARK_MAIN();
