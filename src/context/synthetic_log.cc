#include "context/synthetic_log.h"

#include <random>
#include <string>

namespace ctxbench {

namespace {

Event MessageEvent(EventType type, Role role, std::string content) {
  Event e;
  e.type = type;
  e.message = Message{role, std::move(content), {}, "", ""};
  return e;
}

}  // namespace

std::vector<Event> MakeSyntheticLog(int turns, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<Event> log;
  Event start;
  start.type = EventType::kEpisodeStart;
  start.data = {{"metric", "accuracy"},
                {"higher_is_better", true},
                {"baseline_config", {{"max_depth", 2}}},
                {"baseline_metric", 0.7},
                {"target_metric", 0.77}};
  log.push_back(start);
  log.push_back(MessageEvent(EventType::kPrompt, Role::kSystem, "You are an ML experimenter."));
  log.push_back(MessageEvent(EventType::kPrompt, Role::kUser, "Task: tune max_depth."));
  for (int t = 0; t < turns; ++t) {
    Event call = MessageEvent(EventType::kLlmCall, Role::kAssistant, "");
    std::string id = "c" + std::to_string(t);
    call.message->tool_calls.push_back({id, t % 5 == 4 ? "note" : "train", "{\"max_depth\":3}"});
    log.push_back(call);
    Event result =
        MessageEvent(EventType::kToolResult, Role::kTool,
                     "Experiment " + std::to_string(t + 1) + ": config {\"max_depth\":" +
                         std::to_string(t % 9 + 1) + "} -> validation accuracy = 0." +
                         std::to_string(600 + rng() % 300) + " " + std::string(rng() % 400, 'x'));
    result.message->tool_call_id = id;
    result.message->name = "train";
    result.data = {{"tool", "train"}, {"ok", true}};
    log.push_back(result);
    Event x;
    x.type = EventType::kExperiment;
    x.data = {{"experiment", t + 1},
              {"config", {{"max_depth", t % 9 + 1}}},
              {"ok", true},
              {"valid_metric", 0.6 + static_cast<double>(rng() % 300) / 1000}};
    log.push_back(x);
    if (t % 5 == 4) {
      Event note;
      note.type = EventType::kNote;
      note.data = {{"text", "depth " + std::to_string(t % 9 + 1) + " looked good"}};
      log.push_back(note);
    }
  }
  for (size_t i = 0; i < log.size(); ++i) log[i].seq = static_cast<int64_t>(i);
  return log;
}

}  // namespace ctxbench
