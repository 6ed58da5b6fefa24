#include "console/live_state.h"

#include <algorithm>

#include "events/payloads.h"
#include "llm/model_health.h"
#include "llm/openai/call_gate.h"

namespace ctxbench {

namespace {

constexpr double kWindowS = 60;  // "in the last minute"
constexpr size_t kWarningsKept = 3;

// How much a count grew within the window: the newest sample minus the
// oldest one kept (DropOld keeps the last sample before the window).
int Growth(const std::deque<std::pair<double, int64_t>>& samples) {
  if (samples.size() < 2) return 0;
  return static_cast<int>(samples.back().second - samples.front().second);
}

}  // namespace

LiveState::LiveState(const Clock& clock) : clock_(clock), start_(clock.MonotonicSeconds()) {}

void LiveState::Start(const GridInfo& info) {
  std::lock_guard<std::mutex> lock(mu_);
  info_ = info;
  start_ = clock_.MonotonicSeconds();
  retry_times_.push_back({start_, 0});
}

void LiveState::DropOld(std::deque<std::pair<double, int64_t>>& samples, double now) {
  while (samples.size() > 1 && samples[1].first <= now - kWindowS) samples.pop_front();
}

void LiveState::AddWarning(const std::string& line) {
  std::lock_guard<std::mutex> lock(mu_);
  warnings_.push_back(line);
  if (warnings_.size() > kWarningsKept) warnings_.pop_front();
  ++warnings_total_;
}

void LiveState::OnEvent(const EpisodeKey& key, const Event& event) {
  double now = clock_.MonotonicSeconds();
  std::lock_guard<std::mutex> lock(mu_);
  std::string id = key.Id();
  if (event.type == EventType::kEpisodeStart) {
    Episode e;
    e.view.episode = id;
    EpisodeStartData start = EpisodeStartData::FromJson(event.data);
    e.view.context_budget = start.context_tokens;
    e.iterations_budget = start.iterations;
    if (!running_.count(id)) order_.push_back(id);
    running_[id] = std::move(e);
    return;
  }
  auto it = running_.find(id);
  if (event.type == EventType::kLlmCall) {  // summariser calls too, and failed calls
    LlmCallData call = LlmCallData::FromJson(event.data);
    ++calls_;
    int64_t tokens = call.prompt_tokens + call.completion_tokens;
    double cost = call.cost_usd;
    tokens_ += tokens;
    cost_ += cost;
    if (!call.retried.empty()) {
      retries_ += static_cast<int64_t>(call.retried.size());
      retry_times_.push_back({now, retries_});
    }
    bool summarize = call.purpose == "summarize";
    double latency = call.latency_s.value_or(0);
    if (summarize) {
      ++summarize_calls_;
      summarize_s_ += latency;
    }
    if (it != running_.end()) {
      it->second.view.tokens += tokens;
      it->second.view.cost_usd += cost;
      if (summarize) {
        ++it->second.view.summarize_calls;
        it->second.view.summarize_s += latency;
      } else {
        it->second.call_started = -1;
      }
    }
    return;
  }
  if (it == running_.end()) return;
  Episode& e = it->second;
  e.view.iteration = std::max(e.view.iteration, event.iteration);
  switch (event.type) {
    case EventType::kContext:  // the agent's call starts right after
      e.view.step = event.step;
      e.view.context_tokens = ContextData::FromJson(event.data).tokens;
      e.call_started = now;
      break;
    case EventType::kStepSummary:
      e.view.last_action = StepSummaryData::FromJson(event.data).action;
      break;
    case EventType::kError:
      e.call_started = -1;
      break;
    case EventType::kEpisodeEnd: {
      EpisodeEndData end = EpisodeEndData::FromJson(event.data);
      std::optional<EpisodeStatus> status = end.status();
      if (status == EpisodeStatus::kComplete || status == EpisodeStatus::kError) {
        ++done_;  // interrupted: unfinished
        errors_ += status == EpisodeStatus::kError;
        successes_ += end.success();
        finished_steps_ += e.view.step;
      }
      running_.erase(it);
      order_.erase(std::find(order_.begin(), order_.end(), id));
      break;
    }
    default:
      break;
  }
}

std::optional<double> LiveState::Eta(double elapsed) const {
  if (info_.episodes == 0) return std::nullopt;
  if (done_ >= info_.episodes) return 0.0;
  double mean_steps =
      done_ > 0 ? static_cast<double>(finished_steps_) / static_cast<double>(done_) : 0;
  double units = static_cast<double>(done_);
  for (const auto& [id, e] : running_) {
    double share = 0;
    if (mean_steps > 0) {
      share = e.view.step / mean_steps;
    } else if (e.iterations_budget > 0) {  // iterations begun before this one
      share = std::max(0, e.view.iteration - 1) / static_cast<double>(e.iterations_budget);
    }
    units += std::min(0.9, share);
  }
  if (units <= 0) return std::nullopt;
  return elapsed * (static_cast<double>(info_.episodes) - units) / units;
}

LiveSnapshot LiveState::Snapshot() {
  double now = clock_.MonotonicSeconds();
  std::lock_guard<std::mutex> lock(mu_);
  LiveSnapshot s;
  s.elapsed_s = now - start_;
  s.total = info_.episodes;
  s.done = done_;
  s.successes = successes_;
  s.errors = errors_;
  s.eta_s = Eta(s.elapsed_s);
  for (const std::string& id : order_) {
    const Episode& e = running_.at(id);
    InFlightEpisode v = e.view;
    if (e.call_started >= 0) v.call_s = now - e.call_started;
    s.in_flight.push_back(std::move(v));
  }
  s.calls = calls_;
  s.calls_per_s = s.elapsed_s > 0 ? static_cast<double>(calls_) / s.elapsed_s : 0;
  s.tokens = tokens_;
  s.summarize_calls = summarize_calls_;
  s.summarize_s = summarize_s_;
  s.cost_usd = cost_;
  s.cost_cap_usd = info_.run_cost_cap;
  s.retries = retries_;
  DropOld(retry_times_, now);
  retry_times_.push_back({now, retries_});
  s.retries_last_min = Growth(retry_times_);
  int64_t limited = 0;
  for (const WatchedModel& m : info_.models) {
    ModelGauge g;
    g.name = m.name;
    if (m.gate) {
      CallGateStats st = m.gate->stats();
      g.calls_server = true;
      g.connections = st.in_flight;
      g.max_connections = st.cap;
      limited += st.rate_limited;
    }
    if (m.health) {
      g.available = m.health->available();
      if (!g.available) g.why = m.health->Unavailable().value_or("");
    }
    s.models.push_back(std::move(g));
  }
  DropOld(limited_samples_, now);
  if (limited_samples_.empty()) limited_samples_.push_back({start_, 0});
  limited_samples_.push_back({now, limited});
  s.rate_limited_last_min = Growth(limited_samples_);
  s.warnings.assign(warnings_.begin(), warnings_.end());
  s.warnings_total = warnings_total_;
  return s;
}

}  // namespace ctxbench
