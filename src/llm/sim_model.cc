#include "llm/sim_model.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <set>
#include <tuple>
#include <utility>

#include "core/hash.h"
#include "llm/sim_workspace.h"

namespace ctxbench {

namespace {

double RoundSig(double x, int digits) {
  if (x == 0 || !std::isfinite(x)) return x;
  double scale =
      std::pow(10.0, digits - 1 - static_cast<int>(std::floor(std::log10(std::fabs(x)))));
  return std::round(x * scale) / scale;
}

// One coordinate move of `knob` from `value` by `steps` (signed).
Json Move(const SimKnob& knob, const Json& value, int steps) {
  if (knob.kind == SimKnob::kChoice) {
    if (knob.choices.empty()) return value;
    std::string current = value.is_string() ? value.get<std::string>() : knob.choices[0];
    auto it = std::find(knob.choices.begin(), knob.choices.end(), current);
    long idx = it == knob.choices.end() ? 0 : it - knob.choices.begin();
    long n = static_cast<long>(knob.choices.size());
    long next = idx + steps;
    if (next < 0 || next >= n) return value;
    return knob.choices[next];
  }
  double v = value.is_number() ? value.get<double>() : knob.min;
  double next;
  if (knob.kind == SimKnob::kInt) {
    double step = std::max(1.0, std::round((knob.max - knob.min) / 8));
    next = std::clamp(v + steps * step, knob.min, knob.max);
    return static_cast<long long>(std::llround(next));
  }
  if (knob.log && v > 0) {
    next = v * std::pow(2.0, steps);
  } else {
    next = v + steps * (knob.max - knob.min) / 8;
  }
  return RoundSig(std::clamp(next, knob.min, knob.max), 4);
}

// `j` as JSON text; bytes that are not UTF-8 (a path or metric name read off
// the messages) become U+FFFD instead of throwing.
std::string DumpText(const Json& j) {
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string Key(const Json& config) {
  // Canonical text: keys sorted, numbers as written by nlohmann.
  nlohmann::json sorted = nlohmann::json::parse(config.dump());
  return sorted.dump();
}

Json WithDefaults(const SimView& view, Json config) {
  for (const SimKnob& k : view.knobs) {
    if (config.contains(k.name)) continue;
    if (view.baseline_config && view.baseline_config->contains(k.name)) {
      config[k.name] = (*view.baseline_config)[k.name];
    } else if (k.kind == SimKnob::kChoice) {
      config[k.name] = k.choices.empty() ? Json("") : Json(k.choices[0]);
    } else {
      config[k.name] = k.kind == SimKnob::kInt ? Json(static_cast<long long>(k.min)) : Json(k.min);
    }
  }
  return config;
}

// Hinted knobs first (named in a visible clarification), then the task's order:
// task authors list the knobs that matter most first.
std::vector<const SimKnob*> KnobOrder(const SimView& view) {
  std::vector<const SimKnob*> order;
  for (const std::string& name : view.hinted_knobs) {
    for (const SimKnob& k : view.knobs) {
      if (k.name == name) order.push_back(&k);
    }
  }
  for (const SimKnob& k : view.knobs) {
    if (std::find(order.begin(), order.end(), &k) == order.end()) order.push_back(&k);
  }
  return order;
}

// The move that produced the best visible result: the one knob in which it
// differs from the best result before it, and the direction. Coordinate
// search tries that move again first (a line search along what worked).
std::optional<std::pair<std::string, int>> LastImprovingMove(const SimView& view) {
  std::optional<SimResult> best, previous;
  for (const SimResult& r : view.results) {
    if (!r.value || std::isnan(*r.value)) continue;
    if (!best || view.direction.Better(*r.value, *best->value)) {
      previous = best;
      best = r;
    }
  }
  if (!best) return std::nullopt;
  Json before = previous ? WithDefaults(view, previous->config)
                         : WithDefaults(view, view.baseline_config.value_or(Json::object()));
  Json after = WithDefaults(view, best->config);
  std::optional<std::pair<std::string, int>> move;
  for (const SimKnob& k : view.knobs) {
    if (before[k.name] == after[k.name]) continue;
    if (move) return std::nullopt;  // more than one knob changed
    int sign = 1;
    if (k.kind == SimKnob::kChoice) {
      auto pos = [&](const Json& v) {
        return std::find(k.choices.begin(), k.choices.end(),
                         v.is_string() ? v.get<std::string>() : "") -
               k.choices.begin();
      };
      sign = pos(after[k.name]) > pos(before[k.name]) ? 1 : -1;
    } else if (before[k.name].is_number() && after[k.name].is_number()) {
      sign = after[k.name].get<double>() > before[k.name].get<double>() ? 1 : -1;
    }
    move = std::make_pair(k.name, sign);
  }
  return move;
}

std::string FormatNumber(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

}  // namespace

Json SimNextConfig(const SimView& view, uint64_t seed) {
  auto best = view.Best();
  Json center =
      WithDefaults(view, best ? best->config : view.baseline_config.value_or(Json::object()));
  std::set<std::string> tried;
  for (const SimResult& r : view.results) tried.insert(Key(WithDefaults(view, r.config)));
  if (view.baseline_config) tried.insert(Key(WithDefaults(view, *view.baseline_config)));
  tried.insert(Key(center));
  auto order = KnobOrder(view);
  auto try_move = [&](const SimKnob& knob, int steps) -> std::optional<Json> {
    Json candidate = center;
    candidate[knob.name] = Move(knob, center[knob.name], steps);
    if (tried.count(Key(candidate))) return std::nullopt;
    return candidate;
  };
  if (auto move = LastImprovingMove(view)) {
    for (const SimKnob* knob : order) {
      if (knob->name != move->first) continue;
      if (auto c = try_move(*knob, move->second)) return *c;
    }
  }
  for (int scale = 1; scale <= 3; ++scale) {
    for (const SimKnob* knob : order) {
      // The seed picks which direction of each knob is tried first.
      int first = (Mix64(seed ^ Fnv1a64(knob->name)) & 1) ? 1 : -1;
      for (int sign : {first, -first}) {
        if (auto c = try_move(*knob, sign * scale)) return *c;
      }
    }
  }
  // Every neighbour was tried: a seeded jump around the centre.
  Json candidate = center;
  uint64_t h = Mix64(seed ^ Fnv1a64(Key(center)) ^ view.results.size());
  for (const SimKnob* knob : order) {
    int steps = static_cast<int>(h % 5) - 2;
    h = Mix64(h);
    candidate[knob->name] = Move(*knob, center[knob->name], steps);
  }
  return candidate;
}

SimModel::SimModel(std::string name, SimOptions options,
                   std::shared_ptr<const TokenCounter> counter)
    : name_(std::move(name)), options_(options), counter_(std::move(counter)) {}

// A summary the way `sim` writes one: the best visible results verbatim (so
// they stay readable), a count of the rest, and the clarifications it saw.
// Lossy on purpose: configs that are neither best nor recent are forgotten.
std::string SimSummary(const SimView& view, const std::vector<Message>& messages, int max_tokens,
                       const TokenCounter& counter) {
  std::vector<SimResult> ok;
  for (const SimResult& r : view.results) {
    if (r.value && !std::isnan(*r.value)) ok.push_back(r);
  }
  std::stable_sort(ok.begin(), ok.end(), [&](const SimResult& a, const SimResult& b) {
    return view.direction.Better(*a.value, *b.value);
  });
  std::set<std::string> seen;
  std::string text = "Best results so far:";
  int kept = 0;
  for (const SimResult& r : ok) {
    if (!seen.insert(Key(r.config)).second || kept == 5) continue;
    text += "\n- config " + r.config.dump() + " -> validation " + view.metric + " = " +
            FormatNumber(*r.value);
    ++kept;
  }
  size_t others = seen.size() > static_cast<size_t>(kept) ? seen.size() - kept : 0;
  if (kept == 0) text = "No experiment results yet.";
  if (others > 0)
    text += "\n" + std::to_string(others) + " other configs were tried and scored worse.";
  for (const Message& m : messages) {
    size_t at = m.content.find("Clarification:");
    if (at != std::string::npos) {
      std::string line = m.content.substr(at, m.content.find('\n', at) - at);
      if (text.find(line) == std::string::npos) text += "\n" + line;
    }
  }
  while (counter.Count(text) > max_tokens && text.find('\n') != std::string::npos) {
    text = text.substr(0, text.rfind('\n'));
  }
  return text;
}

Completion SimModel::Complete(const CompletionRequest& request) {
  SimView view = ReadSimView(request.messages);
  if (request.purpose == "summarize") {
    Completion out;
    out.message.role = Role::kAssistant;
    out.message.content = SimSummary(view, request.messages, request.max_tokens, *counter_);
    out.usage.prompt_tokens = CountMessagesTokens(*counter_, request.messages);
    out.usage.completion_tokens = CountMessageTokens(*counter_, out.message);
    out.estimated_tokens = !counter_->exact();
    return out;
  }
  const bool agentic = !request.tools.empty();
  // Seeded faults depend on the seed and on what is visible, never on hidden state.
  const std::string last = request.messages.empty() ? "" : request.messages.back().content;
  uint64_t fault_hash =
      Mix64(request.seed ^ Fnv1a64(last) ^ static_cast<uint64_t>(view.assistant_turns) * 0x9e37ull);
  bool malformed = UnitFromHash(fault_hash) < options_.malformed_json_rate;
  bool out_of_range = UnitFromHash(fault_hash ^ 0x51ull) < options_.out_of_range_rate;

  std::string action;
  Json args;
  auto best = view.Best();
  if (agentic && IsWorkspaceToolSet(request.tools)) {
    std::tie(action, args) = SimWorkspaceAction(request.messages, view, request.seed);
  } else if (view.asked_to_finish || (best && view.MeetsTarget(*best->value))) {
    action = "final_answer";
    Json config =
        WithDefaults(view, best ? best->config : view.baseline_config.value_or(Json::object()));
    args = {{"config", config}};
    if (best) args["metric"] = *best->value;
    args["summary"] = best
                          ? "Best visible config reached validation " + view.metric + " = " +
                                FormatNumber(*best->value) + "."
                          : std::string("No experiment result is visible; answering the baseline.");
  } else if (agentic && options_.ask && !view.clarified && view.iteration <= 1 &&
             view.last_action != "ask") {
    action = "ask";
    args = {{"question", "Which knobs matter most for this data, and is the metric noisy?"}};
  } else if (agentic && options_.notes && best && view.last_action == "train" &&
             view.results.size() >= 2 && view.results.back().value &&
             *view.results.back().value == *best->value) {
    action = "note";
    args = {{"text", "Best so far: config " + WithDefaults(view, best->config).dump() +
                         " -> validation " + view.metric + " = " + FormatNumber(*best->value)}};
  } else {
    action = "train";
    Json config = SimNextConfig(view, request.seed);
    if (out_of_range && !view.knobs.empty()) {
      const SimKnob& k = view.knobs[fault_hash % view.knobs.size()];
      if (k.kind == SimKnob::kInt) config[k.name] = static_cast<long long>(k.max) + 1;
      if (k.kind == SimKnob::kFloat) config[k.name] = k.max * 2 + 1;
    }
    args = {{"config", config}};
  }

  Completion out;
  out.message.role = Role::kAssistant;
  if (agentic) {
    std::string text = DumpText(args);
    if (malformed) text = text.substr(0, text.size() / 2);
    out.message.tool_calls.push_back(
        {"call_" + std::to_string(view.assistant_turns + 1), action, text});
    out.finish_reason = "tool_calls";
  } else {
    Json reply = args;
    reply["action"] = action == "final_answer" ? "final_answer" : "train";
    std::string text = DumpText(reply);
    if (malformed) text = text.substr(0, text.size() / 2);
    out.message.content = text;
  }
  out.usage.prompt_tokens =
      CountMessagesTokens(*counter_, request.messages) + CountToolTokens(*counter_, request.tools);
  out.usage.completion_tokens = CountMessageTokens(*counter_, out.message);
  out.estimated_tokens = !counter_->exact();
  return out;
}

}  // namespace ctxbench
