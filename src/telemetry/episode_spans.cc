#include "telemetry/episode_spans.h"

#include <algorithm>

#include "context/memory_text.h"
#include "context/policy.h"
#include "context/retrieved_section.h"
#include "core/json_limits.h"
#include "core/redact.h"
#include "events/payloads.h"
#include "telemetry/openinference.h"

namespace ctxbench {

namespace {

std::string Dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

// The policy type the prototype reported: the preset's name when the policy
// is a --policy-type preset (short_context, long_context), else its type.
std::string PolicyType(const std::string& policy, const std::string& type) {
  for (const char* preset : {"short_context", "long_context"}) {
    if (policy == preset && PresetPolicy(preset, "policy_type").type == type) return policy;
  }
  return type;
}

// A BM25 hit as a document: score = -bm25 (FTS5's bm25() is lower-is-better).
RetrievedDocument Document(int64_t seq, const std::string& kind, double bm25, std::string content) {
  Json meta = {{"kind", kind}, {"bm25", bm25}};
  return {std::to_string(seq), std::move(content), -bm25, meta.dump()};
}

}  // namespace

EpisodeSpans::EpisodeSpans(TraceId trace, SpanId parent, const EpisodeKey& key,
                           const SpanModelInfo* model, Emit emit)
    : trace_(trace),
      parent_(parent),
      key_(key),
      model_(model),
      emit_(std::move(emit)),
      session_id_(key.Id()) {}

void EpisodeSpans::On(const Event& e) {
  if (done_) return;
  if (e.type == EventType::kEpisodeStart) {
    Start(e);
    prev_time_ = e.time;
    return;
  }
  bool opens_phase =
      e.iteration > 0 && e.type != EventType::kEpisodeEnd && e.type != EventType::kIteration;
  if (opens_phase) EnsurePhase(e);
  // A step begins with the first event of a new model-call step (summariser
  // calls, the context); the iteration's opening prompt keeps the last step.
  if (phase_ && e.step > step_number_ && e.type != EventType::kEpisodeEnd &&
      e.type != EventType::kIteration) {
    OpenStep(e);
  }
  if (e.message) messages_[e.seq] = *e.message;
  switch (e.type) {
    case EventType::kEpisodeStart:
      break;
    case EventType::kPrompt:
      if (e.message && e.message->role == Role::kUser && task_.empty()) task_ = e.message->content;
      break;
    case EventType::kContext:
      Context(e);
      break;
    case EventType::kLlmCall:
      Llm(e);
      break;
    case EventType::kToolResult:
    case EventType::kObservation:
      if (ResponseData::FromJson(e.data)) Tool(e);
      break;
    case EventType::kExperiment:
      Pending("experiment", e.data);
      pending_config_ = ExperimentData::FromJson(e.data).config;
      Remember(e);
      break;
    case EventType::kClarification:
      Pending("clarification", e.data);
      Remember(e);
      break;
    case EventType::kNote:
      Pending("note", e.data);
      Remember(e);
      break;
    case EventType::kFinalAnswer:
      final_answer_ = e.data;
      phase_answer_ = e.data;
      Pending("final_answer", e.data);
      break;
    case EventType::kInvalidAction:
      Pending("invalid_action", e.data);
      invalid_reason_ = InvalidActionData::FromJson(e.data).reason;
      if (invalid_reason_.empty()) invalid_reason_ = "invalid action";
      break;
    case EventType::kError: {
      ErrorData error = ErrorData::FromJson(e.data);
      std::string msg = RedactSecrets(error.message.empty() ? "episode error" : error.message);
      if (error.purpose == "summarize") {
        // The policy went on without a summary: the episode did not fail.
        Span& where = step_ ? *step_ : phase_ ? *phase_ : episode_;
        where.events.push_back(
            {"summarize.error", ToUnixNano(e.time), {{"exception.message", msg}}});
        break;
      }
      episode_.Fail("EpisodeError", msg, ToUnixNano(e.time));
      if (phase_) phase_->Fail("EpisodeError", msg, ToUnixNano(e.time));
      if (step_) step_->Fail("EpisodeError", msg, ToUnixNano(e.time));
      break;
    }
    case EventType::kIteration:
      if (phase_) {
        SetOutput(*phase_, e.data);
        phase_output_ = true;
        ClosePhase(e.time);
      }
      closed_iteration_ = std::max(closed_iteration_, e.iteration);
      break;
    case EventType::kStepSummary:
      if (step_) SetOutput(*step_, e.data);
      break;
    case EventType::kEpisodeEnd:
      End(e);
      break;
    case EventType::kSummary:
    case EventType::kStop:             // the outcome says it again at episode.end
    case EventType::kFinalEvaluation:  // in the episode's output (the outcome)
      break;
  }
  prev_time_ = e.time;
}

void EpisodeSpans::Abandon(double time) {
  if (done_) return;
  if (phase_) ClosePhase(time);
  episode_.Fail("EpisodeError", "episode did not finish", ToUnixNano(time));
  EndSpan(episode_, time);
  done_ = true;
}

Span EpisodeSpans::NewSpan(std::string name, const char* kind, const Span& parent,
                           double start) const {
  Span s;
  s.trace_id = trace_;
  s.span_id = NewSpanId();
  s.parent_span_id = parent.span_id;
  s.name = std::move(name);
  // A child never starts before its parent.
  s.start_unix_nano = std::max(ToUnixNano(start), parent.start_unix_nano);
  SetSpanKind(s, kind);
  SetCommon(s);
  return s;
}

void EpisodeSpans::SetCommon(Span& s) const {
  s.Set(oi::kSessionId, session_id_);
  s.Set("ctxbench.task", key_.task);
  s.Set("ctxbench.policy", key_.policy);
  s.Set("ctxbench.policy_type", policy_type_);
  s.Set("ctxbench.reasoning_mode", key_.mode);
  s.Set("ctxbench.model", key_.model);
  s.Set("ctxbench.seed", static_cast<int64_t>(key_.seed));
}

const Span& EpisodeSpans::Parent() const {
  if (step_) return *step_;
  return phase_ ? *phase_ : episode_;
}

void EpisodeSpans::EndSpan(Span& s, double end) {
  s.end_unix_nano = std::max(ToUnixNano(end), s.start_unix_nano);
  emit_(std::move(s));
}

void EpisodeSpans::Start(const Event& e) {
  EpisodeStartData start = EpisodeStartData::FromJson(e.data);
  policy_type_ =
      PolicyType(key_.policy, start.policy_type.empty() ? key_.policy : start.policy_type);
  episode_ = Span();
  episode_.trace_id = trace_;
  episode_.span_id = NewSpanId();
  episode_.parent_span_id = parent_;
  episode_.name = "episode";
  episode_.start_unix_nano = ToUnixNano(e.time);
  SetSpanKind(episode_, oi::kAgent);
  SetCommon(episode_);
  episode_.Set("ctxbench.mode", key_.mode);
  Json meta = {{"task", key_.task},
               {"policy", key_.policy},
               {"model", key_.model},
               {"mode", key_.mode},
               {"seed", key_.seed}};
  meta["policy_type"] = policy_type_;
  meta["model_name"] = start.model_name;
  meta["metric"] = start.metric;
  meta["higher_is_better"] = start.higher_is_better;
  meta["baseline_config"] = start.baseline_config;
  if (start.baseline_metric) meta["baseline_metric"] = *start.baseline_metric;
  if (start.target_metric) meta["target_metric"] = *start.target_metric;
  meta["iterations"] = start.iterations;
  meta["context_tokens"] = start.context_tokens;
  meta["token_counter"] = start.token_counter;
  if (!start.metric.empty()) metric_ = start.metric;
  if (start.tools.is_array()) tools_ = start.tools;
  episode_.Set(oi::kMetadata, Dump(meta));
}

void EpisodeSpans::EnsurePhase(const Event& e) {
  if (phase_ && phase_iteration_ == e.iteration) return;
  if (phase_) ClosePhase(prev_time_);
  bool final_phase = e.iteration <= closed_iteration_;
  phase_ = NewSpan(final_phase ? "final_answer_phase" : "iteration", oi::kChain, episode_,
                   prev_time_ > 0 ? prev_time_ : e.time);
  phase_->Set("ctxbench.iteration", e.iteration);
  phase_iteration_ = e.iteration;
  phase_output_ = false;
  phase_answer_ = Json();
}

void EpisodeSpans::ClosePhase(double time) {
  if (step_) CloseStep(time);
  if (!phase_output_ && !phase_answer_.is_null()) SetOutput(*phase_, phase_answer_);
  EndSpan(*phase_, time);
  phase_.reset();
}

void EpisodeSpans::OpenStep(const Event& e) {
  if (step_) CloseStep(prev_time_);
  step_ = NewSpan("agent.step", oi::kChain, *phase_, prev_time_ > 0 ? prev_time_ : e.time);
  step_->Set("ctxbench.step", e.step);
  step_->Set("ctxbench.iteration", e.iteration);
  step_number_ = e.step;
}

void EpisodeSpans::CloseStep(double time) {
  EndSpan(*step_, time);
  step_.reset();
}

void EpisodeSpans::Context(const Event& e) {
  Span s = NewSpan("context", oi::kChain, Parent(), prev_time_);
  ContextData context = ContextData::FromJson(e.data);
  const Manifest manifest = Manifest::FromJson(context.manifest);
  ContextMessages(manifest);
  s.Set("ctxbench.context_tokens", static_cast<int64_t>(context.tokens));
  // The manifest as recorded (an older writer's shape stays as it was).
  std::string dumped = Dump(context.manifest.is_null() ? Json::object() : context.manifest);
  s.Set(oi::kOutputValue, dumped);
  s.Set(oi::kOutputMime, oi::kJsonMime);
  s.Set(oi::kMetadata, std::move(dumped));
  context_time_ = e.time;
  RetrievedSpan(manifest, s, e.time);
  EndSpan(s, e.time);
}

// The policy's retrieved section (retrieve and mix policies), as a RETRIEVER
// child of the context span (context/retrieved_section.h).
void EpisodeSpans::RetrievedSpan(const Manifest& manifest, const Span& context, double end) {
  std::optional<RetrievedSection> section = RetrievedSection::FromManifest(manifest);
  if (!section || section->items.empty()) return;
  Span r = NewSpan("retrieved", oi::kRetriever, context, prev_time_);
  if (section->query) SetInput(r, *section->query);
  std::vector<RetrievedDocument> docs;
  for (const RetrievedItem& item : section->items) {
    docs.push_back(Document(item.seq, item.kind, item.bm25, MemoryText(item.seq)));
  }
  SetDocuments(r, docs);
  EndSpan(r, end);
}

// The text an event stands for in the episode's memory: its message, or the
// note, clarification answer or experiment result line.
std::string EpisodeSpans::MemoryText(int64_t seq) const {
  if (auto it = messages_.find(seq); it != messages_.end()) return it->second.content;
  if (auto it = memory_.find(seq); it != memory_.end()) return it->second;
  return "";
}

void EpisodeSpans::Remember(const Event& e) {
  if (std::optional<MemoryItem> item = ctxbench::MemoryText(e, metric_))
    memory_[e.seq] = item->text;
}

// The messages the model saw, in order, from the manifest's record: event
// messages as they are (read in place), changed (masked, truncated; with
// their tool calls' arguments as cut) or the policy's own sections.
void EpisodeSpans::ContextMessages(const Manifest& manifest) {
  input_.clear();
  generated_.clear();
  for (const SentMessage& r : manifest.messages) {
    if (r.seq < 0) {
      generated_.push_back({Role::kUser, r.content, {}, "", ""});
      input_.push_back(&generated_.back());
      continue;
    }
    auto it = messages_.find(r.seq);
    if (it == messages_.end()) continue;
    if (r.as.empty()) {
      input_.push_back(&it->second);
      continue;
    }
    generated_.push_back(it->second);
    Message& sent = generated_.back();
    sent.content = r.content;
    // Tool-call arguments the policy cut: the span shows them as sent.
    if (r.cut_arguments) {
      for (size_t i = 0; i < sent.tool_calls.size() && i < r.arguments.size(); ++i) {
        sent.tool_calls[i].arguments = r.arguments[i];
      }
    }
    input_.push_back(&sent);
  }
}

// llm.model_name is the name the API knows (`model` of an openai model's
// params); `sim` for the simulator.
void EpisodeSpans::SetModel(Span& s) const {
  std::string name = key_.model;
  if (model_) {
    auto api = model_->params.find("model");
    if (api != model_->params.end() && api->is_string()) {
      name = api->get<std::string>();
    } else if (model_->kind == "sim") {
      name = "sim";
    }
  }
  s.Set("llm.model_name", name);
  if (!model_) return;
  s.Set("llm.provider", model_->kind);
  if (model_->kind == "openai") s.Set("llm.system", "openai");
}

void EpisodeSpans::SetTools(Span& s) const {
  for (size_t i = 0; i < tools_.size(); ++i) {
    std::string p = "llm.tools." + std::to_string(i) + ".tool.";
    const Json& t = tools_[i];
    if (t.contains("function") && t["function"].is_object()) {
      s.Set(p + "name", ValueOr(t["function"], "name", std::string()));
    }
    s.Set(p + "json_schema", Dump(t));
  }
}

void EpisodeSpans::Llm(const Event& e) {
  LlmCallData call = LlmCallData::FromJson(e.data);
  bool summarize = call.purpose == "summarize";
  // A summariser call ran inside the policy's build, and ended at e.time;
  // an agent call ran from the context build to the reply.
  double start = context_time_ > 0 ? context_time_ : prev_time_;
  if (summarize) start = std::max(prev_time_, e.time - call.latency_s.value_or(0.0));
  Span s = NewSpan("llm", oi::kLlm, Parent(), std::min(start, e.time));
  SetModel(s);
  if (model_) {
    if (invocation_parameters_.empty()) {
      Json params = SafeInvocationParameters(model_->params);
      params["seed"] = key_.seed;
      invocation_parameters_ = params.dump();
    }
    s.Set("llm.invocation_parameters", invocation_parameters_);
  }
  std::vector<Message> request;  // a summariser call's own messages
  std::vector<const Message*> own;
  if (summarize) {
    if (call.messages.is_array()) {
      for (const Json& j : call.messages) request.push_back(MessageFromJson(j));
    }
    for (const Message& m : request) own.push_back(&m);
  } else {
    SetTools(s);
  }
  const std::vector<const Message*>& input = summarize ? own : input_;
  s.attributes.reserve(s.attributes.size() + 3 * input.size() + 24);
  SetMessages(s, "llm.input_messages", input);
  if (!input.empty()) SetInput(s, input.back()->content);
  if (e.message) {
    SetMessages(s, "llm.output_messages", {&*e.message});
    if (!summarize) last_calls_ = e.message->tool_calls;
    if (!e.message->content.empty() || e.message->tool_calls.empty()) {
      SetOutput(s, e.message->content);
    } else {
      SetOutput(s, MessageToJson(*e.message));
    }
  }
  if (!call.finish_reason.empty()) s.Set("llm.finish_reason", call.finish_reason);
  int64_t prompt = call.prompt_tokens;
  int64_t completion = call.completion_tokens;
  s.Set("llm.token_count.prompt", prompt);
  s.Set("llm.token_count.completion", completion);
  s.Set("llm.token_count.total", prompt + completion);
  s.Set("llm.token_count.prompt_details.cache_read",
        static_cast<int64_t>(call.cached_prompt_tokens));
  s.Set("llm.cost.total", call.cost_usd);
  Json meta = {{"purpose", call.purpose}, {"attempts", call.attempts}};
  if (!call.failed()) {  // what an answered call's payload holds
    meta["cache_hit"] = call.cache_hit;
    meta["finish_reason"] = call.finish_reason;
    meta["estimated_tokens"] = call.estimated_tokens;
  }
  if (call.latency_s) meta["latency_s"] = *call.latency_s;
  if (call.context_tokens) meta["context_tokens"] = *call.context_tokens;
  if (!call.retried.empty()) meta["retried"] = call.retried;
  s.Set(oi::kMetadata, Dump(meta));
  if (!e.message && call.failed()) {
    // A call that failed for good: no reply, the error (credentials removed).
    s.Fail("ModelCallError", RedactSecrets(*call.error), ToUnixNano(e.time));
  }
  EndSpan(s, e.time);
}

void EpisodeSpans::Pending(const char* what, const Json& data) {
  if (pending_.empty()) pending_start_ = prev_time_;
  pending_[what] = data;
}

// The definition (ToolSpecToJson: {type, function: {name, description,
// parameters}}) of the tool named `name`, or null.
const Json* EpisodeSpans::ToolDefinition(const std::string& name) const {
  for (const Json& t : tools_) {
    auto f = t.find("function");
    if (f != t.end() && f->is_object() && ValueOr(*f, "name", std::string()) == name) return &*f;
  }
  return nullptr;
}

void EpisodeSpans::Tool(const Event& e) {
  std::optional<ResponseData> response = ResponseData::FromJson(e.data);
  std::string tool = response ? response->tool : "";
  std::string call_id = e.message ? e.message->tool_call_id : "";
  std::optional<Json> args;
  for (const ToolCall& c : last_calls_) {
    if (call_id.empty() || c.id != call_id) continue;
    if (tool.empty()) tool = c.name;             // an invalid call still names what it asked for
    Json parsed = ParseJsonWithin(c.arguments);  // a model wrote them: depth-checked
    args = parsed.is_discarded() ? Json(c.arguments) : parsed;
  }
  if (call_id.empty() && pending_.contains("experiment")) args = Json{{"config", pending_config_}};
  bool retrieve = tool == "retrieve";
  double start = pending_.empty() ? prev_time_ : pending_start_;
  Span s = NewSpan(tool.empty() ? "invalid_action" : tool, retrieve ? oi::kRetriever : oi::kTool,
                   Parent(), start);
  std::string output = e.message ? e.message->content : "";
  if (!call_id.empty()) s.Set("tool.id", call_id);
  if (retrieve) {
    if (args && args->is_object() && args->contains("query")) SetInput(s, (*args)["query"]);
    if (response && response->hits) Documents(s, *response->hits);
  } else {
    s.Set("tool.name", tool.empty() ? std::string("invalid_action") : tool);
    if (const Json* def = ToolDefinition(tool)) {
      s.Set("tool.description", ValueOr(*def, "description", std::string()));
      if (def->contains("parameters")) s.Set("tool.parameters", Dump((*def)["parameters"]));
    }
    if (args) SetInput(s, *args);
  }
  SetOutput(s, output);
  if (!pending_.empty()) s.Set(oi::kMetadata, Dump(pending_));
  if (response && !response->ok) {
    bool invalid = pending_.contains("invalid_action");
    s.Fail(invalid ? "InvalidAction" : "ToolError", invalid ? invalid_reason_ : output,
           ToUnixNano(e.time));
  }
  pending_ = Json::object();
  EndSpan(s, e.time);
}

// retrieval.documents from the retrieve tool's hits (agent/memory_retriever.h).
void EpisodeSpans::Documents(Span& s, const std::vector<RetrieveHit>& hits) const {
  std::vector<RetrievedDocument> docs;
  for (const RetrieveHit& h : hits) docs.push_back(Document(h.seq, h.kind, h.bm25, h.text));
  SetDocuments(s, docs);
}

void EpisodeSpans::End(const Event& e) {
  if (phase_) ClosePhase(e.time);
  EpisodeEndData end = EpisodeEndData::FromJson(e.data);
  Json outcome = end.outcome.is_object() ? end.outcome : Json::object();
  if (!task_.empty()) SetInput(episode_, task_);
  SetOutput(episode_, outcome);
  if (!final_answer_.is_null()) episode_.Set("ctxbench.final_answer", Dump(final_answer_));
  if (end.status().value_or(EpisodeStatus::kComplete) != EpisodeStatus::kComplete &&
      episode_.status != SpanStatus::kError) {
    episode_.Fail("EpisodeError", RedactSecrets(end.error().value_or("episode failed")),
                  ToUnixNano(e.time));
  } else if (episode_.status != SpanStatus::kError) {
    episode_.status = SpanStatus::kOk;
  }
  EndSpan(episode_, e.time);
  done_ = true;
}

}  // namespace ctxbench
