#include "telemetry/span_sink.h"

#include <algorithm>
#include <deque>
#include <optional>
#include <vector>

#include "context/result_text.h"
#include "telemetry/openinference.h"

namespace ctxbench {

// One episode's spans in the making. Used from the episode's thread only.
class SpanSink::Episode {
 public:
  Episode(const SpanSink& sink, const EpisodeKey& key)
      : sink_(sink), key_(key), session_id_(key.Id()) {}

  void On(const Event& e) {
    bool opens_phase = e.iteration > 0 && e.type != EventType::kEpisodeStart &&
                       e.type != EventType::kEpisodeEnd && e.type != EventType::kIteration;
    if (opens_phase) EnsurePhase(e);
    if (e.message) messages_[e.seq] = *e.message;
    switch (e.type) {
      case EventType::kEpisodeStart:
        Start(e);
        break;
      case EventType::kPrompt:
        if (e.message && e.message->role == Role::kUser && task_.empty())
          task_ = e.message->content;
        break;
      case EventType::kContext:
        Context(e);
        break;
      case EventType::kLlmCall:
        Llm(e);
        break;
      case EventType::kToolResult:
      case EventType::kObservation:
        if (e.data.contains("tool")) Tool(e);
        break;
      case EventType::kExperiment:
        Pending(e, "experiment", e.data);
        Remember(e);
        break;
      case EventType::kClarification:
        Pending(e, "clarification", e.data);
        Remember(e);
        break;
      case EventType::kNote:
        Pending(e, "note", e.data);
        Remember(e);
        break;
      case EventType::kFinalAnswer:
        final_answer_ = e.data;
        Pending(e, "final_answer", e.data);
        break;
      case EventType::kInvalidAction:
        Pending(e, "invalid_action", e.data);
        invalid_reason_ = e.data.value("reason", "invalid action");
        break;
      case EventType::kError: {
        std::string msg = e.data.value("message", "episode error");
        episode_.Fail("EpisodeError", msg, ToUnixNano(e.time));
        if (phase_) phase_->Fail("EpisodeError", msg, ToUnixNano(e.time));
        break;
      }
      case EventType::kIteration:
        if (phase_) {
          SetOutput(*phase_, e.data);
          ClosePhase(e.time);
        }
        closed_iteration_ = std::max(closed_iteration_, e.iteration);
        break;
      case EventType::kEpisodeEnd:
        End(e);
        break;
      case EventType::kSummary:
      case EventType::kStepSummary:
        break;
    }
    prev_time_ = e.time;
  }

  // Closes everything at `time`; used for episodes that did not finish.
  void Abandon(double time) {
    if (phase_) ClosePhase(time);
    episode_.Fail("EpisodeError", "episode did not finish", ToUnixNano(time));
    episode_.end_unix_nano = ToUnixNano(time);
    sink_.emit_(std::move(episode_));
  }

 private:
  Span NewSpan(std::string name, const char* kind, const Span& parent, double start) const {
    Span s;
    s.trace_id = sink_.trace_;
    s.span_id = NewSpanId();
    s.parent_span_id = parent.span_id;
    s.name = std::move(name);
    s.start_unix_nano = ToUnixNano(start);
    SetSpanKind(s, kind);
    s.Set(oi::kSessionId, session_id_);
    return s;
  }
  const Span& Parent() const { return phase_ ? *phase_ : episode_; }
  void Emit(Span& s, double end) {
    s.end_unix_nano = std::max(ToUnixNano(end), s.start_unix_nano);
    sink_.emit_(std::move(s));
  }

  void Start(const Event& e) {
    episode_ = Span();
    episode_.trace_id = sink_.trace_;
    episode_.span_id = NewSpanId();
    episode_.parent_span_id = sink_.run_span_;
    episode_.name = "episode";
    episode_.start_unix_nano = ToUnixNano(e.time);
    SetSpanKind(episode_, oi::kAgent);
    episode_.Set(oi::kSessionId, session_id_);
    episode_.Set("ctxbench.task", key_.task);
    episode_.Set("ctxbench.policy", key_.policy);
    episode_.Set("ctxbench.model", key_.model);
    episode_.Set("ctxbench.mode", key_.mode);
    episode_.Set("ctxbench.seed", static_cast<int64_t>(key_.seed));
    Json meta = {{"task", key_.task},
                 {"policy", key_.policy},
                 {"model", key_.model},
                 {"mode", key_.mode},
                 {"seed", key_.seed}};
    for (const char* k :
         {"policy_type", "model_name", "metric", "higher_is_better", "baseline_config",
          "baseline_metric", "target_metric", "iterations", "context_tokens", "token_counter"}) {
      if (e.data.contains(k)) meta[k] = e.data[k];
    }
    metric_ = ValueOr(e.data, "metric", metric_);
    episode_.Set(oi::kMetadata, meta.dump(-1, ' ', false, Json::error_handler_t::replace));
  }

  void EnsurePhase(const Event& e) {
    if (phase_ && phase_iteration_ == e.iteration) return;
    if (phase_) ClosePhase(prev_time_);
    bool final_phase = e.iteration <= closed_iteration_;
    phase_ = NewSpan(final_phase ? "final_answer_phase" : "iteration", oi::kChain, episode_,
                     prev_time_ > 0 ? prev_time_ : e.time);
    phase_->Set("ctxbench.iteration", e.iteration);
    phase_iteration_ = e.iteration;
  }

  void ClosePhase(double time) {
    Emit(*phase_, time);
    phase_.reset();
  }

  void Context(const Event& e) {
    Span s = NewSpan("context", oi::kChain, Parent(), prev_time_);
    static const Json kNoManifest = Json::object();
    auto it = e.data.find("manifest");
    const Json& manifest = it != e.data.end() ? *it : kNoManifest;
    ContextMessages(manifest);
    s.Set("ctxbench.context_tokens", static_cast<int64_t>(e.data.value("tokens", 0)));
    std::string dumped = manifest.dump(-1, ' ', false, Json::error_handler_t::replace);
    s.Set(oi::kOutputValue, dumped);
    s.Set(oi::kOutputMime, oi::kJsonMime);
    s.Set(oi::kMetadata, std::move(dumped));
    context_time_ = e.time;
    RetrievedSection(manifest, s, e.time);
    Emit(s, e.time);
  }

  // The policy's retrieved section (retrieve and mix policies), as a
  // RETRIEVER child of the context span: manifest extra.sections.retrieved
  // .items [{seq, kind, bm25}].
  void RetrievedSection(const Json& manifest, const Span& context, double end) {
    const Json* items = &manifest;
    for (const char* k : {"extra", "sections", "retrieved", "items"}) {
      if (!items->is_object() || !items->contains(k)) return;
      items = &(*items)[k];
    }
    if (!items->is_array() || items->empty()) return;
    Span r = NewSpan("retrieved", oi::kRetriever, context, prev_time_);
    std::vector<RetrievedDocument> docs;
    for (const Json& item : *items) {
      int64_t seq = ValueOr(item, "seq", int64_t{-1});
      docs.push_back(Document(seq, ValueOr(item, "kind", std::string()), ValueOr(item, "bm25", 0.0),
                              MemoryText(seq)));
    }
    SetDocuments(r, docs);
    Emit(r, end);
  }

  // A BM25 hit as a document: score = -bm25 (FTS5's bm25() is lower-is-better).
  static RetrievedDocument Document(int64_t seq, const std::string& kind, double bm25,
                                    std::string content) {
    Json meta = {{"kind", kind}, {"bm25", bm25}};
    return {std::to_string(seq), std::move(content), -bm25, meta.dump()};
  }

  // The text an event stands for in the episode's memory: its message, or
  // the note, clarification answer or experiment result line.
  std::string MemoryText(int64_t seq) const {
    if (auto it = messages_.find(seq); it != messages_.end()) return it->second.content;
    if (auto it = memory_.find(seq); it != memory_.end()) return it->second;
    return "";
  }
  void Remember(const Event& e) {
    // Null-safe reads: workspace experiments carry null metrics.
    const Json& d = e.data;
    if (e.type == EventType::kNote) {
      memory_[e.seq] = "Note: " + ValueOr(d, "text", std::string());
    } else if (e.type == EventType::kClarification) {
      memory_[e.seq] = ValueOr(d, "answer", std::string());
    } else {
      int n = ValueOr(d, "experiment", 0);
      Json config = ValueOr(d, "config", Json::object());
      memory_[e.seq] =
          ValueOr(d, "ok", false)
              ? ExperimentResultText(n, metric_, config, ValueOr(d, "valid_metric", 0.0))
              : ExperimentFailedText(n, config, ValueOr(d, "error", std::string()));
    }
  }

  // The messages the model saw, from the last manifest, in log order; a
  // message cut short is shown as stored.
  // The messages the model saw, in order, from the manifest's record: event
  // messages as they are (read in place), changed (masked, truncated) or the
  // policy's own sections.
  void ContextMessages(const Json& manifest) {
    input_.clear();
    generated_.clear();
    auto list = manifest.find("messages");
    if (list == manifest.end() || !list->is_array()) return;
    for (const Json& r : *list) {
      if (!r.is_object()) continue;
      auto content = r.find("content");
      bool changed = content != r.end() && content->is_string();
      if (r.contains("section")) {
        if (!changed) continue;
        generated_.push_back({Role::kUser, content->get<std::string>(), {}, "", ""});
        input_.push_back(&generated_.back());
        continue;
      }
      auto seq = r.find("seq");
      if (seq == r.end() || !seq->is_number_integer()) continue;
      auto it = messages_.find(seq->get<int64_t>());
      if (it == messages_.end()) continue;
      if (!changed) {
        input_.push_back(&it->second);
        continue;
      }
      generated_.push_back(it->second);
      generated_.back().content = content->get<std::string>();
      input_.push_back(&generated_.back());
    }
  }

  void Llm(const Event& e) {
    Span s = NewSpan("llm", oi::kLlm, Parent(), context_time_ > 0 ? context_time_ : prev_time_);
    const Json& d = e.data;
    s.Set("llm.model_name", d.value("model", key_.model));
    auto model = sink_.models_.find(key_.model);
    if (model != sink_.models_.end()) {
      s.Set("llm.provider", model->second.kind);
      if (model->second.kind == "openai") s.Set("llm.system", "openai");
      if (invocation_parameters_.empty()) {
        Json params = SafeInvocationParameters(model->second.params);
        params["seed"] = key_.seed;
        invocation_parameters_ = params.dump();
      }
      s.Set("llm.invocation_parameters", invocation_parameters_);
    }
    const std::vector<const Message*>& input = input_;
    s.attributes.reserve(s.attributes.size() + 3 * input.size() + 24);
    SetMessages(s, "llm.input_messages", input);
    if (!input.empty()) SetInput(s, input.back()->content);
    if (e.message) {
      SetMessages(s, "llm.output_messages", {&*e.message});
      last_calls_ = e.message->tool_calls;
      if (!e.message->content.empty() || e.message->tool_calls.empty()) {
        SetOutput(s, e.message->content);
      } else {
        SetOutput(s, MessageToJson(*e.message));
      }
    }
    int64_t prompt = d.value("prompt_tokens", 0), completion = d.value("completion_tokens", 0);
    s.Set("llm.token_count.prompt", prompt);
    s.Set("llm.token_count.completion", completion);
    s.Set("llm.token_count.total", prompt + completion);
    s.Set("llm.token_count.prompt_details.cache_read",
          static_cast<int64_t>(d.value("cached_prompt_tokens", 0)));
    s.Set("llm.cost.total", d.value("cost_usd", 0.0));
    Json meta = Json::object();
    for (const char* k : {"purpose", "latency_s", "cache_hit", "finish_reason", "context_tokens",
                          "estimated_tokens"}) {
      if (d.contains(k)) meta[k] = d[k];
    }
    s.Set(oi::kMetadata, meta.dump(-1, ' ', false, Json::error_handler_t::replace));
    Emit(s, e.time);
  }

  void Pending(const Event& e, const char* what, const Json& data) {
    if (pending_.empty()) pending_start_ = prev_time_;
    pending_[what] = data;
    (void)e;
  }

  void Tool(const Event& e) {
    std::string tool = e.data.value("tool", "");
    bool retrieve = tool == "retrieve";
    double start = pending_.empty() ? prev_time_ : pending_start_;
    Span s = NewSpan(tool.empty() ? "invalid_action" : tool, retrieve ? oi::kRetriever : oi::kTool,
                     Parent(), start);
    std::optional<Json> args;
    if (e.message && !e.message->tool_call_id.empty()) {
      for (const ToolCall& c : last_calls_) {
        if (c.id != e.message->tool_call_id) continue;
        Json parsed = Json::parse(c.arguments, nullptr, /*allow_exceptions=*/false);
        args = parsed.is_discarded() ? Json(c.arguments) : parsed;
      }
    } else if (pending_.contains("experiment")) {
      args = Json{{"config", pending_["experiment"].value("config", Json::object())}};
    }
    std::string output = e.message ? e.message->content : "";
    if (retrieve) {
      if (args && args->is_object() && args->contains("query")) SetInput(s, (*args)["query"]);
      Documents(s, e.data);
    } else {
      s.Set("tool.name", tool);
      if (args) {
        std::string dumped = args->dump(-1, ' ', false, Json::error_handler_t::replace);
        if (args->is_string()) {
          SetInput(s, *args);
        } else {
          s.Set(oi::kInputValue, dumped);
          s.Set(oi::kInputMime, oi::kJsonMime);
        }
        s.Set("tool.parameters", std::move(dumped));
      }
    }
    SetOutput(s, output);
    if (!pending_.empty()) {
      s.Set(oi::kMetadata, pending_.dump(-1, ' ', false, Json::error_handler_t::replace));
    }
    if (!e.data.value("ok", true)) {
      bool invalid = pending_.contains("invalid_action");
      s.Fail(invalid ? "InvalidAction" : "ToolError", invalid ? invalid_reason_ : output,
             ToUnixNano(e.time));
    }
    pending_ = Json::object();
    Emit(s, e.time);
  }

  // retrieval.documents from the retrieve tool's hits: data.hits [{seq,
  // kind, bm25, text}] (agent/memory.h).
  void Documents(Span& s, const Json& data) const {
    if (!data.contains("hits") || !data["hits"].is_array()) return;
    std::vector<RetrievedDocument> docs;
    for (const Json& h : data["hits"]) {
      if (!h.is_object()) continue;
      docs.push_back(Document(ValueOr(h, "seq", int64_t{-1}), ValueOr(h, "kind", std::string()),
                              ValueOr(h, "bm25", 0.0), ValueOr(h, "text", std::string())));
    }
    SetDocuments(s, docs);
  }

  void End(const Event& e) {
    if (phase_) ClosePhase(e.time);
    Json outcome = e.data.value("outcome", Json::object());
    if (!task_.empty()) SetInput(episode_, task_);
    SetOutput(episode_, outcome);
    if (!final_answer_.is_null()) {
      episode_.Set("ctxbench.final_answer",
                   final_answer_.dump(-1, ' ', false, Json::error_handler_t::replace));
    }
    if (outcome.value("status", "complete") != "complete" &&
        episode_.status != SpanStatus::kError) {
      episode_.Fail("EpisodeError", outcome.value("error", "episode failed"), ToUnixNano(e.time));
    } else if (episode_.status != SpanStatus::kError) {
      episode_.status = SpanStatus::kOk;
    }
    Emit(episode_, e.time);
  }

  const SpanSink& sink_;
  const EpisodeKey key_;
  const std::string session_id_;
  Span episode_;
  std::optional<Span> phase_;
  int phase_iteration_ = 0;
  int closed_iteration_ = 0;
  double prev_time_ = 0;
  double context_time_ = 0;
  double pending_start_ = 0;
  std::map<int64_t, Message> messages_;
  std::map<int64_t, std::string> memory_;  // notes, clarifications, experiments: MemoryText
  std::string metric_ = "metric";
  std::vector<ToolCall> last_calls_;
  std::vector<const Message*> input_;  // the last context's messages, as sent
  std::deque<Message> generated_;      // those not in the log as they are
  std::string invocation_parameters_;  // llm.invocation_parameters, made once
  Json pending_ = Json::object();
  Json final_answer_;
  std::string invalid_reason_;
  std::string task_;
};

SpanSink::SpanSink(TraceId trace, SpanId run_span, std::map<std::string, SpanModelInfo> models,
                   Emit emit)
    : trace_(trace), run_span_(run_span), models_(std::move(models)), emit_(std::move(emit)) {}

SpanSink::~SpanSink() = default;

SpanSink::Episode* SpanSink::Find(const EpisodeKey& key, bool create) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = episodes_.find(key.Id());
  if (it != episodes_.end()) return it->second.get();
  if (!create) return nullptr;
  return episodes_.emplace(key.Id(), std::make_unique<Episode>(*this, key)).first->second.get();
}

void SpanSink::OnEvent(const EpisodeKey& key, const Event& event) {
  Episode* ep = Find(key, event.type == EventType::kEpisodeStart);
  if (!ep) return;  // events before episode.start: nothing to hang them on
  ep->On(event);
  if (event.type == EventType::kEpisodeEnd) {
    std::lock_guard<std::mutex> lock(mu_);
    episodes_.erase(key.Id());
  }
}

void SpanSink::CloseOpenEpisodes(double now) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [id, ep] : episodes_) ep->Abandon(now);
  episodes_.clear();
}

}  // namespace ctxbench
