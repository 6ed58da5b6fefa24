// One episode's OpenInference spans in the making: fed the episode's events
// in log order, it hands each span to `emit` as the span ends (children
// before parents). The tree it builds under the episode span:
//
//   episode (AGENT; session.id = episode id)
//   └─ iteration (CHAIN; one per agent iteration) / final_answer_phase (CHAIN)
//      └─ agent.step (CHAIN; one per model-call step, ctxbench.step)
//         ├─ llm (LLM; summariser calls: purpose "summarize", their own request)
//         ├─ context (CHAIN; the policy's manifest)
//         │  └─ retrieved (RETRIEVER; the policy's retrieved section)
//         ├─ llm (LLM; the agent's call: messages rebuilt from the manifest)
//         └─ <tool name> (TOOL) or retrieve (RETRIEVER)
//
// Every span carries session.id and the episode's ctxbench.task, .policy,
// .policy_type, .reasoning_mode, .model and .seed. A child never starts
// before its parent nor ends after it. Names and attributes are documented
// in docs/tracing.md.
//
// Not thread-safe: the caller (SpanSink) serialises On and Abandon.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/json.h"
#include "events/event.h"
#include "events/payloads.h"
#include "telemetry/span.h"

namespace ctxbench {

struct Manifest;  // context/policy.h

// What the sink knows of a model beyond its name, for LLM spans.
struct SpanModelInfo {
  std::string kind;              // "sim", "openai", ... → llm.provider
  Json params = Json::object();  // → llm.invocation_parameters, secrets removed
};

class EpisodeSpans {
 public:
  using Emit = std::function<void(Span)>;

  // Spans go to trace `trace`; the episode span is a child of `parent`.
  // `model` may be null (nothing known beyond the key's model name).
  EpisodeSpans(TraceId trace, SpanId parent, const EpisodeKey& key, const SpanModelInfo* model,
               Emit emit);

  // Takes the next event of the episode. Ignored after Abandon.
  void On(const Event& e);

  // Ends every open span at `time` (the episode span with status ERROR,
  // "episode did not finish") and emits them. Later events are ignored.
  void Abandon(double time);

  // True once episode.end or Abandon closed the episode span.
  bool done() const { return done_; }

 private:
  Span NewSpan(std::string name, const char* kind, const Span& parent, double start) const;
  const Span& Parent() const;
  void EndSpan(Span& s, double end);  // sets the end (>= start) and emits
  void SetCommon(Span& s) const;

  void Start(const Event& e);
  void EnsurePhase(const Event& e);
  void ClosePhase(double time);
  void OpenStep(const Event& e);
  void CloseStep(double time);
  void Context(const Event& e);
  void RetrievedSpan(const Manifest& manifest, const Span& context, double end);
  void ContextMessages(const Manifest& manifest);
  void Llm(const Event& e);
  void SetModel(Span& s) const;
  void SetTools(Span& s) const;
  void Pending(const char* what, const Json& data);
  void Tool(const Event& e);
  void Documents(Span& s, const std::vector<RetrieveHit>& hits) const;
  void End(const Event& e);
  std::string MemoryText(int64_t seq) const;
  void Remember(const Event& e);
  const Json* ToolDefinition(const std::string& name) const;

  const TraceId trace_;
  const SpanId parent_;
  const EpisodeKey key_;
  const SpanModelInfo* const model_;
  const Emit emit_;
  const std::string session_id_;
  std::string policy_type_;
  bool done_ = false;

  Span episode_;
  std::optional<Span> phase_;
  std::optional<Span> step_;
  bool phase_output_ = false;  // the phase span has its output.value
  Json phase_answer_;          // the final answer given in this phase (null if none)
  int phase_iteration_ = 0;
  int closed_iteration_ = 0;
  int step_number_ = 0;
  double prev_time_ = 0;
  double context_time_ = 0;
  double pending_start_ = 0;
  std::map<int64_t, Message> messages_;
  std::map<int64_t, std::string> memory_;  // notes, clarifications, experiments: MemoryText
  std::string metric_ = "metric";
  std::vector<ToolCall> last_calls_;
  std::vector<const Message*> input_;  // the last context's messages, as sent
  std::deque<Message> generated_;      // those not in the log as they are
  Json tools_ = Json::array();         // episode.start's tool definitions, as sent
  std::string invocation_parameters_;  // llm.invocation_parameters, made once
  Json pending_ = Json::object();
  Json pending_config_;  // the config of the pending experiment (pending_["experiment"])
  Json final_answer_;
  std::string invalid_reason_;
  std::string task_;
};

}  // namespace ctxbench
