// A still picture of a running grid: what every progress view (the live
// terminal frame, the periodic summary line, the JSON records) shows. Plain
// values, made by LiveState::Snapshot.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ctxbench {

struct InFlightEpisode {
  std::string episode;           // the episode id
  int iteration = 0;             // 1-based; 0 before the first
  int step = 0;                  // model-call steps so far (the current one included)
  int64_t context_tokens = 0;    // of the last context built
  int64_t context_budget = 0;    // the policy's budget per call
  int64_t tokens = 0;            // prompt + completion so far
  double cost_usd = 0;           // so far
  std::string last_action;       // the last step's actions ("run_experiment"), "" before one
  std::optional<double> call_s;  // seconds in the model call under way; none: not calling
  // The summarize policy's model calls (made while the context is built, so
  // never "in call"): how many so far and the seconds they took.
  int summarize_calls = 0;
  double summarize_s = 0;
};

struct ModelGauge {
  std::string name;
  bool calls_server = false;  // false: sim/replay, no connections to count
  int connections = 0;        // requests in flight now
  int max_connections = 0;    // the connection cap now
  bool available = true;      // false: 401/403/404 or the circuit breaker opened
  std::string why;            // why not available
};

struct LiveSnapshot {
  double elapsed_s = 0;
  size_t total = 0;  // episodes to run
  size_t done = 0;   // finished: complete or error
  size_t successes = 0;
  size_t errors = 0;
  std::optional<double> eta_s;             // none until something finished or progressed
  std::vector<InFlightEpisode> in_flight;  // in the order they started
  int64_t calls = 0;                       // model calls answered or failed
  double calls_per_s = 0;                  // over the whole grid
  int64_t tokens = 0;
  int64_t summarize_calls = 0;  // the summarize policy's calls, among `calls`
  double summarize_s = 0;       // seconds they took, over every episode
  double cost_usd = 0;
  double cost_cap_usd = 0;  // budget.run_max_cost_usd, 0: none
  int64_t retries = 0;      // retried attempts so far
  int retries_last_min = 0;
  int rate_limited_last_min = 0;  // attempts answered 429
  std::vector<ModelGauge> models;
  std::vector<std::string> warnings;  // the latest few, oldest first
  size_t warnings_total = 0;
};

}  // namespace ctxbench
