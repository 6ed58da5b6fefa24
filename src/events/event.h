// The episode event log: the single source of truth of an episode.
//
// Every fact about an episode is an appended Event; the payload of each type
// is a struct in events/payloads.h (written and read through it, never by
// string key outside src/events: CTest payload_reads_source_tree checks
// it). Traces (JSONL), the SQLite
// store, OTLP spans and the report are views of these events, fed through
// EventSink. Events that carry a chat message (the prompt head, assistant
// replies, tool results, observations) are what context policies build from.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/episode_key.h"
#include "core/json.h"
#include "events/run_status.h"
#include "llm/message.h"

namespace ctxbench {

enum class EventType {
  kEpisodeStart,     // "episode.start"     data: EpisodeStartData
  kPrompt,           // "op.prompt"         message: system prompt or task statement (the head)
  kContext,          // "op.context"        data: the manifest of the context just built
  kLlmCall,          // "op.llm"            message: the assistant reply; data: usage, latency, ...
  kToolResult,       // "op.tool"           message: tool result (role tool); data: tool, ok
  kObservation,      // "op.observation"    message: harness text to the agent (role user)
  kExperiment,       // "op.experiment"     data: config, metric, ok, error, cached, seconds
  kClarification,    // "op.clarification"  data: question, answer, source
  kSummary,          // "op.summary"        data: summary text, covers events up to seq
  kNote,             // "op.note"           data: text
  kFinalAnswer,      // "op.final_answer"   data: config, claimed metric, valid, errors
  kInvalidAction,    // "op.invalid_action" data: reason, raw text
  kError,            // "op.error"          data: message (an error that ended the episode)
  kIteration,        // "agent.iteration"   data: iteration, best so far, experiment this iteration
  kStepSummary,      // "step.summary"      data: step, context tokens, action
  kStop,             // "op.stop"           data: the stop rule that ended the loop, status, error
  kFinalEvaluation,  // "op.final_evaluation" data: the final config's validation and hidden scores
  kEpisodeEnd,       // "episode.end"       data: the outcome metrics
};

// The trace name of a type ("op.llm") and back. ParseEventType returns
// nullopt for a name it does not know (a newer writer's type).
std::string EventTypeName(EventType type);
std::optional<EventType> ParseEventType(const std::string& name);

struct Event {
  int64_t seq = 0;  // position in the episode's log, from 0
  EventType type = EventType::kNote;
  int iteration = 0;  // 1-based; 0 before the first iteration
  int step = 0;       // 1-based model-call step within the episode; 0 outside steps
  double time = 0;    // Unix seconds
  std::optional<Message> message;
  Json data = Json::object();
};

// The trace form of an event and back. EventFromJson returns nullopt for an
// event of a type this build does not know, so readers skip what a newer
// writer added; a known type with a malformed envelope throws an input Error.
Json EventToJson(const Event& event);
std::optional<Event> EventFromJson(const Json& json);

// What a sink is told when a run starts and ends.
struct RunStartInfo {
  std::string run_id;
  std::string name;         // the config's name
  std::string config_json;  // the run's config
  double started_at = 0;    // Unix seconds
};
struct RunEndInfo {
  RunStatus status = RunStatus::kComplete;
  double finished_at = 0;
};

// A view of the event log (the store, the JSONL traces, the OTLP spans).
//
// The rule every sink keeps: it never throws. A sink that fails keeps the
// first failure (Failure()) and goes on without the view, so a broken view
// never changes the episode it views nor the other views; the runner ends
// the run failed, naming it.
//
// Threads: OnEvent is called from the episode's thread, in order within an
// episode; implementations shared between episodes must be thread-safe.
// OnRunStart is called once before any episode starts and OnRunEnd once
// after every episode has stopped, from the runner's thread.
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void OnEvent(const EpisodeKey& key, const Event& event) = 0;
  virtual void OnRunStart(const RunStartInfo&) {}
  // Returns a warning for the user ("" for none): a view that could not be
  // completed (e.g. spans not delivered) but did not fail the run.
  virtual std::string OnRunEnd(const RunEndInfo&) { return ""; }
  // The first failure this sink met, "" if none.
  virtual std::string Failure() const { return ""; }
};

// An episode's log. Appending stamps seq and forwards to the sinks.
// Not thread-safe: one episode, one thread.
class EventLog {
 public:
  EventLog(EpisodeKey key, std::vector<EventSink*> sinks);

  // Appends and returns the stored event (seq filled in).
  const Event& Append(Event event);
  const std::vector<Event>& events() const { return events_; }
  const EpisodeKey& key() const { return key_; }
  size_t size() const { return events_.size(); }

 private:
  EpisodeKey key_;
  std::vector<EventSink*> sinks_;
  std::vector<Event> events_;
};

}  // namespace ctxbench
