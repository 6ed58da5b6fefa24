#include "telemetry/span_sink.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "telemetry/openinference.h"

namespace ctxbench {

// One episode's spans in the making. Used from the episode's thread only.
class SpanSink::Episode {
 public:
  Episode(const SpanSink& sink, const EpisodeKey& key) : sink_(sink), key_(key) {}

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
        break;
      case EventType::kClarification:
        Pending(e, "clarification", e.data);
        break;
      case EventType::kNote:
        Pending(e, "note", e.data);
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
    s.Set(oi::kSessionId, key_.Id());
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
    episode_.Set(oi::kSessionId, key_.Id());
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
    manifest_ = e.data.value("manifest", Json::object());
    s.Set("ctxbench.context_tokens", static_cast<int64_t>(e.data.value("tokens", 0)));
    s.Set(oi::kMetadata, manifest_.dump(-1, ' ', false, Json::error_handler_t::replace));
    SetOutput(s, manifest_);
    context_time_ = e.time;
    Emit(s, e.time);
  }

  // The messages the model saw, rebuilt from the last manifest: events kept
  // whole and events cut short (shown as stored), in log order.
  std::vector<Message> InputMessages() const {
    std::vector<int64_t> seqs;
    for (const char* k : {"kept", "truncated"}) {
      if (manifest_.contains(k) && manifest_[k].is_array()) {
        for (const Json& s : manifest_[k]) seqs.push_back(s.get<int64_t>());
      }
    }
    std::sort(seqs.begin(), seqs.end());
    std::vector<Message> out;
    for (int64_t s : seqs) {
      if (auto it = messages_.find(s); it != messages_.end()) out.push_back(it->second);
    }
    return out;
  }

  void Llm(const Event& e) {
    Span s = NewSpan("llm", oi::kLlm, Parent(), context_time_ > 0 ? context_time_ : prev_time_);
    const Json& d = e.data;
    s.Set("llm.model_name", d.value("model", key_.model));
    auto model = sink_.models_.find(key_.model);
    if (model != sink_.models_.end()) {
      s.Set("llm.provider", model->second.kind);
      if (model->second.kind == "openai") s.Set("llm.system", "openai");
      Json params = SafeInvocationParameters(model->second.params);
      params["seed"] = key_.seed;
      s.Set("llm.invocation_parameters", params.dump());
    }
    std::vector<Message> input = InputMessages();
    SetMessages(s, "llm.input_messages", input);
    if (!input.empty()) SetInput(s, input.back().content);
    if (e.message) {
      SetMessages(s, "llm.output_messages", {*e.message});
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
    Json d = data;
    pending_[what] = d;
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
      Documents(s, output);
    } else {
      s.Set("tool.name", tool);
      if (args) {
        s.Set("tool.parameters", args->dump(-1, ' ', false, Json::error_handler_t::replace));
        SetInput(s, *args);
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

  // retrieval.documents from the retrieve tool's text: lines "[seq] text".
  static void Documents(Span& s, const std::string& text) {
    size_t pos = 0;
    int i = 0;
    while (pos < text.size()) {
      size_t end = text.find('\n', pos);
      if (end == std::string::npos) end = text.size();
      std::string line = text.substr(pos, end - pos);
      pos = end + 1;
      size_t close = line.find("] ");
      if (line.empty() || line[0] != '[' || close == std::string::npos) continue;
      std::string p = "retrieval.documents." + std::to_string(i++) + ".document.";
      s.Set(p + "id", line.substr(1, close - 1));
      s.Set(p + "content", line.substr(close + 2));
    }
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
  Span episode_;
  std::optional<Span> phase_;
  int phase_iteration_ = 0;
  int closed_iteration_ = 0;
  double prev_time_ = 0;
  double context_time_ = 0;
  double pending_start_ = 0;
  std::map<int64_t, Message> messages_;
  std::vector<ToolCall> last_calls_;
  Json manifest_ = Json::object();
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
