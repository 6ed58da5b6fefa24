#include "events/event.h"

#include <array>
#include <nlohmann/detail/output/output_adapters.hpp>
#include <nlohmann/detail/output/serializer.hpp>
#include <utility>

#include "core/error.h"
#include "events/event_text.h"

namespace ctxbench {

namespace {
constexpr std::array<std::pair<EventType, const char*>, 18> kNames = {{
    {EventType::kEpisodeStart, "episode.start"},
    {EventType::kPrompt, "op.prompt"},
    {EventType::kContext, "op.context"},
    {EventType::kLlmCall, "op.llm"},
    {EventType::kToolResult, "op.tool"},
    {EventType::kObservation, "op.observation"},
    {EventType::kExperiment, "op.experiment"},
    {EventType::kClarification, "op.clarification"},
    {EventType::kSummary, "op.summary"},
    {EventType::kNote, "op.note"},
    {EventType::kFinalAnswer, "op.final_answer"},
    {EventType::kInvalidAction, "op.invalid_action"},
    {EventType::kError, "op.error"},
    {EventType::kIteration, "agent.iteration"},
    {EventType::kStepSummary, "step.summary"},
    {EventType::kStop, "op.stop"},
    {EventType::kFinalEvaluation, "op.final_evaluation"},
    {EventType::kEpisodeEnd, "episode.end"},
}};
}  // namespace

std::string EventTypeName(EventType type) {
  for (const auto& [t, name] : kNames) {
    if (t == type) return name;
  }
  return "unknown";
}

std::optional<EventType> ParseEventType(const std::string& name) {
  for (const auto& [t, n] : kNames) {
    if (name == n) return t;
  }
  return std::nullopt;
}

Json EventToJson(const Event& e) {
  Json j;
  j["seq"] = e.seq;
  j["event"] = EventTypeName(e.type);
  j["iteration"] = e.iteration;
  j["step"] = e.step;
  j["time"] = e.time;
  if (e.message) j["message"] = MessageToJson(*e.message);
  j["data"] = e.data;
  return j;
}

std::string EventJsonText(const Event& e) {
  // The same bytes as EventToJson(e).dump(...): keys in EventToJson's order,
  // values through nlohmann's serializer, which writes each value straight
  // into `out` (nothing is buffered between calls), so event.data and the
  // message are not copied into a tree first.
  std::string out;
  out.reserve(128);
  nlohmann::detail::serializer<Json> writer(nlohmann::detail::output_adapter<char>(out), ' ',
                                            Json::error_handler_t::replace);
  auto value = [&](const Json& j) { writer.dump(j, false, false, 0); };
  out += "{\"seq\":";
  value(Json(e.seq));
  out += ",\"event\":";
  value(Json(EventTypeName(e.type)));
  out += ",\"iteration\":";
  value(Json(e.iteration));
  out += ",\"step\":";
  value(Json(e.step));
  out += ",\"time\":";
  value(Json(e.time));
  if (e.message) {
    out += ",\"message\":";
    value(MessageToJson(*e.message));
  }
  out += ",\"data\":";
  value(e.data);
  out += '}';
  return out;
}

std::optional<Event> EventFromJson(const Json& j) {
  if (!j.is_object()) ThrowInput("event", "an event is not a JSON object");
  std::optional<EventType> type = ParseEventType(j.value("event", ""));
  if (!type) return std::nullopt;
  Event e;
  e.seq = j.value("seq", 0LL);
  e.type = *type;
  e.iteration = j.value("iteration", 0);
  e.step = j.value("step", 0);
  e.time = j.value("time", 0.0);
  if (j.contains("message")) e.message = MessageFromJson(j["message"]);
  if (j.contains("data")) e.data = j["data"];
  return e;
}

EventLog::EventLog(EpisodeKey key, std::vector<EventSink*> sinks)
    : key_(std::move(key)), sinks_(std::move(sinks)) {}

const Event& EventLog::Append(Event event) {
  event.seq = static_cast<int64_t>(events_.size());
  events_.push_back(std::move(event));
  for (EventSink* sink : sinks_) sink->OnEvent(key_, events_.back());
  return events_.back();
}

}  // namespace ctxbench
