#include "agent/episode.h"

#include <memory>
#include <optional>
#include <set>
#include <utility>

#include "agent/action.h"
#include "agent/memory.h"
#include "agent/model_summarizer.h"
#include "agent/tool_schema.h"
#include "agent/workspace_session.h"
#include "context/truncate.h"
#include "core/cancel.h"
#include "core/error.h"
#include "llm/model_call_error.h"

namespace ctxbench {

namespace {

class EpisodeRunner {
 public:
  EpisodeRunner(const EpisodeSettings& s, const EpisodeDeps& d)
      : s_(s),
        d_(d),
        task_(*d.task),
        log_(s.key, d.sinks),
        summarizer_(*d.model, *d.counter, s.key.seed, *d.clock) {
    if (task_.is_workspace()) {
      tools_ = WorkspaceAgentTools(task_.workspace.tools);
      session_ =
          std::make_unique<WorkspaceSession>(task_, d.workspace_dir, d.runner, d.sandbox_uid);
    } else if (s.mode == Mode::kAgentic) {
      tools_ = AgentTools(task_);
    } else {
      proposal_schema_ = ControllerProposalSchema(task_);
    }
  }

  Outcome Run() {
    start_ = d_.clock->MonotonicSeconds();
    try {
      Begin();
      std::string reason = RunIterations();
      if (reason == "target_met" || reason == "iterations") FinalAnswerPhase(reason);
      if (out_.stop_rule.empty()) out_.stop_rule = reason;
    } catch (const CancelledError& e) {
      out_.status = "interrupted";
      out_.error = e.what();
      out_.stop_rule = "interrupted";
    } catch (const ModelCallError& e) {
      RecordFailedCall(e);
      Fail(e.what());
    } catch (const std::exception& e) {
      Fail(e.what());
    }
    Finish();
    return out_;
  }

 private:
  void Fail(const std::string& message) {
    out_.status = "error";
    out_.error = message;
    out_.stop_rule = "error";
    Event ev = Make(EventType::kError);
    ev.data = {{"message", out_.error}};
    log_.Append(std::move(ev));
  }

  // A model call that failed after its attempts: an llm call event without a
  // reply, so its attempts are counted like those of an answered call.
  void RecordFailedCall(const ModelCallError& e) {
    if (e.attempts() == 0) return;  // refused before any request
    out_.llm_retries += e.retries();
    Event ev = Make(EventType::kLlmCall);
    ev.data = FailedCallData(d_.model->name(), e);
    log_.Append(std::move(ev));
  }

  Event Make(EventType type) const {
    Event e;
    e.type = type;
    e.iteration = iteration_;
    e.step = step_;
    e.time = d_.clock->WallSeconds();
    return e;
  }

  void AppendMessage(EventType type, Message m, Json data = Json::object()) {
    Event e = Make(type);
    e.message = std::move(m);
    e.data = std::move(data);
    log_.Append(std::move(e));
  }

  // Workspace tasks: the starter's run is the baseline.
  std::string BeginWorkspace() {
    if (s_.mode != Mode::kAgentic) ThrowInput(task_.name, "workspace tasks need agentic mode");
    WorkspaceRun base = session_->Run();
    baseline_run_ = base;
    if (!base.ok && !task_.workspace.baseline_metric) {
      ThrowRuntime(task_.name, "the starter workspace does not run: " + base.error);
    }
    out_.baseline_metric = base.ok ? base.metric : *task_.workspace.baseline_metric;
    std::string error;
    if (base.ok) out_.baseline_test_metric = session_->HiddenTest(&error).value_or(0);
    out_.target_metric = TargetMetric(task_, out_.baseline_metric);
    out_.best_valid_metric = out_.baseline_metric;
    out_.best_config = base.config;
    return WorkspaceTaskStatement(task_, session_->Listing(), base, out_.baseline_metric,
                                  out_.target_metric, s_.budgets.iterations);
  }

  void LogRun(int number, const WorkspaceRun& run) {
    Event e = Make(EventType::kExperiment);
    e.data = {{"experiment", number},
              {"config", run.config},
              {"ok", run.ok},
              {"error", run.error},
              {"valid_metric", run.ok ? Json(run.metric) : Json()},
              {"claimed_metric", run.claimed_metric ? Json(*run.claimed_metric) : Json()},
              {"exit_code", run.result.exit_code},
              {"signal", run.result.signal},
              {"timed_out", run.result.timed_out},
              {"train_seconds", run.result.seconds},
              {"overhead_seconds", run.overhead_seconds},
              {"traceback", run.traceback},
              {"output", run.result.output},
              {"output_bytes", run.result.output_total}};
    if (!run.snapshot.empty()) e.data["snapshot"] = run.snapshot;
    log_.Append(std::move(e));
  }

  std::string BeginTune() {
    Evaluation base = d_.learner->Evaluate(task_, *d_.splits, task_.baseline, s_.key.seed);
    if (!base.ok) ThrowRuntime(task_.name, "the baseline config does not train: " + base.error);
    out_.baseline_metric = base.valid_metric;
    out_.baseline_test_metric = base.test_metric;
    out_.target_metric = TargetMetric(task_, base.valid_metric);
    out_.best_valid_metric = base.valid_metric;
    out_.best_config = CanonicalConfig(task_, task_.baseline);
    tried_.insert(out_.best_config.dump());
    return TaskStatement(task_, *d_.splits, out_.baseline_metric, out_.target_metric,
                         s_.budgets.iterations);
  }

  void Begin() {
    out_.metric = task_.metric;
    out_.higher_is_better = task_.higher_is_better;
    std::string statement = session_ ? BeginWorkspace() : BeginTune();

    Event start = Make(EventType::kEpisodeStart);
    start.data = {{"key",
                   {{"task", s_.key.task},
                    {"policy", s_.key.policy},
                    {"model", s_.key.model},
                    {"mode", s_.key.mode},
                    {"seed", s_.key.seed}}},
                  {"episode_id", s_.key.Id()},
                  {"policy_type", d_.policy->type()},
                  {"model_name", d_.model->name()},
                  {"metric", task_.metric},
                  {"higher_is_better", task_.higher_is_better},
                  {"baseline_config", out_.best_config},
                  {"baseline_metric", out_.baseline_metric},
                  {"target_metric", out_.target_metric},
                  {"iterations", s_.budgets.iterations},
                  {"context_tokens", s_.context_tokens},
                  {"token_counter", d_.counter->name()},
                  {"final_answer_schema", FinalAnswerSchema(task_, s_.mode == Mode::kController)}};
    if (!tools_.empty()) {
      Json tools = Json::array();  // the tool definitions every agent call sends
      for (const ToolSpec& t : tools_) tools.push_back(ToolSpecToJson(t));
      start.data["tools"] = std::move(tools);
    }
    log_.Append(std::move(start));
    AppendMessage(EventType::kPrompt, {Role::kSystem, SystemPrompt(s_.mode), {}, "", ""});
    AppendMessage(EventType::kPrompt, {Role::kUser, statement, {}, "", ""});
    if (session_) LogRun(0, baseline_run_);
  }

  // Runs iterations until a stop rule; returns its name.
  std::string RunIterations() {
    for (iteration_ = 1; iteration_ <= s_.budgets.iterations; ++iteration_) {
      out_.iterations = iteration_;
      AppendMessage(
          EventType::kObservation,
          {Role::kUser, IterationPrompt(s_.mode, iteration_, s_.budgets.iterations), {}, "", ""});
      std::optional<int> experiment;
      for (int k = 0; k < s_.budgets.steps_per_iteration && !experiment; ++k) {
        for (const Action& a : Step()) {
          Effect effect = Execute(a, /*final_phase=*/false, experiment.has_value());
          if (effect == Effect::kTrained) experiment = experiments_;
          if (effect == Effect::kFinished) return "final_answer";
        }
        if (auto spent = BudgetSpent()) return *spent;
      }
      Event it = Make(EventType::kIteration);
      it.data = {{"iteration", iteration_},
                 {"best_valid_metric", out_.best_valid_metric},
                 {"best_config", out_.best_config},
                 {"experiment", experiment ? Json(*experiment) : Json()}};
      log_.Append(std::move(it));
      if (experiment && target_met_) return "target_met";
    }
    iteration_ = s_.budgets.iterations;
    return "iterations";
  }

  void FinalAnswerPhase(const std::string& reason) {
    AppendMessage(EventType::kObservation, {Role::kUser, FinalAnswerRequest(reason), {}, "", ""});
    for (int attempt = 0; attempt < 2; ++attempt) {
      for (const Action& a : Step()) {
        if (Execute(a, /*final_phase=*/true, false) == Effect::kFinished) {
          out_.stop_rule = reason;
          return;
        }
      }
      if (BudgetSpent()) return;
    }
  }

  // One model call on the context the policy builds; returns the actions of
  // its reply.
  std::vector<Action> Step() {
    ++step_;
    out_.steps = step_;
    long long remaining = -1;
    if (s_.budgets.tokens > 0) {
      remaining = std::max(0LL, s_.budgets.tokens - out_.prompt_tokens - out_.completion_tokens);
    }
    Context ctx = d_.policy->Build(
        {log_.events(), s_.context_tokens, *d_.counter, tools_, &summarizer_, remaining});
    for (auto& p : summarizer_.TakePending()) {
      Event e = Make(p.type);
      if (p.time > 0) e.time = p.time;  // when the summariser's call ended
      e.message = std::move(p.message);
      e.data = std::move(p.data);
      log_.Append(std::move(e));
    }
    for (const Completion& sc : summarizer_.TakeCompletions()) {
      CountCall(sc);
      ++out_.summaries;
    }
    out_.llm_retries += summarizer_.TakeFailedRetries();
    Event ce = Make(EventType::kContext);
    ce.data = {{"manifest", ctx.manifest.ToJson()}, {"tokens", ctx.manifest.total_tokens}};
    log_.Append(std::move(ce));
    context_tokens_sum_ += ctx.manifest.total_tokens;
    out_.max_context_tokens = std::max(out_.max_context_tokens, ctx.manifest.total_tokens);

    CompletionRequest req;
    req.messages = std::move(ctx.messages);
    req.tools = tools_;
    req.output_schema = proposal_schema_;
    req.max_tokens = s_.max_completion_tokens;
    req.seed = s_.key.seed;
    double t0 = d_.clock->MonotonicSeconds();
    Completion c = d_.model->Complete(req);
    double latency = d_.clock->MonotonicSeconds() - t0;
    CountCall(c);
    Json call = LlmCallData(d_.model->name(), req.purpose, c);
    call["latency_s"] = latency;
    call["context_tokens"] = ctx.manifest.total_tokens;
    AppendMessage(EventType::kLlmCall, c.message, std::move(call));
    std::vector<Action> actions = ParseActions(c.message, s_.mode);
    std::string names;
    for (const Action& a : actions) names += (names.empty() ? "" : ",") + ActionName(a.kind);
    Event ss = Make(EventType::kStepSummary);
    ss.data = {{"step", step_},
               {"context_tokens", ctx.manifest.total_tokens},
               {"action", names},
               {"prompt_tokens", c.usage.prompt_tokens},
               {"completion_tokens", c.usage.completion_tokens}};
    log_.Append(std::move(ss));
    return actions;
  }

  // The one place a model call (agent step or summariser) enters the
  // episode's totals: calls, tokens, cost, cache hits, retried attempts.
  void CountCall(const Completion& c) {
    ++out_.llm_calls;
    out_.prompt_tokens += c.usage.prompt_tokens;
    out_.completion_tokens += c.usage.completion_tokens;
    out_.cost_usd += c.cost_usd;
    if (c.cache_hit) {
      ++out_.cache_hits;
      out_.cache_hit_prompt_tokens += c.usage.prompt_tokens;
      out_.cache_hit_completion_tokens += c.usage.completion_tokens;
      out_.cache_hit_cost_usd += c.cost_usd;
    }
    out_.llm_retries += static_cast<int>(c.retried.size());
  }

  enum class Effect { kNone, kTrained, kFinished };

  // Shows the agent the result of an action: a tool message in agentic mode,
  // an observation otherwise.
  void Respond(const Action& a, const std::string& text, bool ok, Json extra = Json::object()) {
    Json data = {{"tool", a.tool}, {"ok", ok}};
    data.update(extra);
    if (s_.mode == Mode::kAgentic && !a.call_id.empty()) {
      AppendMessage(EventType::kToolResult, {Role::kTool, text, {}, a.call_id, a.tool}, data);
    } else {
      AppendMessage(EventType::kObservation, {Role::kUser, text, {}, "", ""}, data);
    }
  }

  void Invalid(const Action& a, const std::string& reason) {
    ++out_.invalid_actions;
    pending_error_ = true;
    Event e = Make(EventType::kInvalidAction);
    e.data = {{"tool", a.tool}, {"reason", reason}, {"raw", a.raw}};
    log_.Append(std::move(e));
    Respond(a, "Invalid action: " + reason, false);
  }

  void Recovered() {
    if (pending_error_) ++out_.errors_recovered;
    pending_error_ = false;
  }

  bool Offered(const Action& a) const {
    if (tools_.empty()) return true;  // controller mode: ParseActions allows train/final_answer
    for (const ToolSpec& t : tools_) {
      if (t.name == a.tool) return true;
    }
    return false;
  }

  Effect Execute(const Action& a, bool final_phase, bool trained_this_iteration) {
    if (a.kind != Action::kInvalid && !Offered(a)) {
      Invalid(a, "'" + a.tool + "' is not a tool of this task");
      return Effect::kNone;
    }
    switch (a.kind) {
      case Action::kListFiles:
      case Action::kReadFile:
      case Action::kWriteFile:
      case Action::kEditFile:
      case Action::kUndoEdit: {
        ToolReply reply = session_->FileTool(a);
        if (reply.ok) Recovered();
        if (!reply.ok) pending_error_ = true;
        Respond(a, reply.text, reply.ok);
        return Effect::kNone;
      }
      case Action::kRun:
        if (final_phase || trained_this_iteration) {
          Invalid(a, final_phase ? "no runs are left; give your final answer"
                                 : "one run per iteration; this call was not run");
          return Effect::kNone;
        }
        return RunWorkspace(a);
      case Action::kInvalid:
        Invalid(a, a.error);
        return Effect::kNone;
      case Action::kTrain:
        if (final_phase) {
          Invalid(a, "no experiments are left; give your final answer");
          return Effect::kNone;
        }
        if (trained_this_iteration) {
          Invalid(a, "one experiment per iteration; this call was not run");
          return Effect::kNone;
        }
        return Train(a);
      case Action::kFinalAnswer:
        return FinalAnswer(a);
      case Action::kAsk: {
        std::string source;
        std::string answer =
            AnswerQuestion(task_, d_.data_notes, a.args["question"].get<std::string>(), &source);
        ++out_.clarifications;
        Event e = Make(EventType::kClarification);
        e.data = {{"question", a.args["question"]}, {"answer", answer}, {"source", source}};
        log_.Append(std::move(e));
        Recovered();
        Respond(a, answer, true);
        return Effect::kNone;
      }
      case Action::kNote: {
        Event e = Make(EventType::kNote);
        e.data = {{"text", a.args["text"]}};
        log_.Append(std::move(e));
        Recovered();
        Respond(a, "Noted.", true);
        return Effect::kNone;
      }
      case Action::kRetrieve: {
        Recovered();
        auto found = memory_.Retrieve(log_.events(), a.args["query"], s_.retrieve_k);
        Respond(a, found.text, true, {{"hits", std::move(found.hits)}});
        return Effect::kNone;
      }
      case Action::kSummarize:
        Recovered();
        Respond(a, SummarizeExperiments(log_.events(), task_), true);
        return Effect::kNone;
    }
    return Effect::kNone;
  }

  Effect Train(const Action& a) {
    const Json& config = a.args["config"];
    std::string problem = CheckConfig(task_, config);
    int number = experiments_ + 1;
    if (!problem.empty()) {
      Invalid(a, ExperimentFailedText(number, config, problem));
      return Effect::kNone;
    }
    ++experiments_;
    Json canonical = CanonicalConfig(task_, config);
    bool repeated = !tried_.insert(canonical.dump()).second;
    if (repeated) ++out_.repeated_configs;
    Evaluation ev = d_.learner->Evaluate(task_, *d_.splits, canonical, s_.key.seed);
    ExperimentRecord rec{number, iteration_, canonical, ev.ok, ev.error, ev.valid_metric, repeated};
    out_.history.push_back(rec);
    Event e = Make(EventType::kExperiment);
    e.data = {{"experiment", number},
              {"config", canonical},
              {"ok", ev.ok},
              {"error", ev.error},
              {"valid_metric", ev.valid_metric},
              {"test_metric", ev.test_metric},
              {"cached", ev.cached},
              {"train_seconds", ev.train_seconds},
              {"repeated", repeated}};
    log_.Append(std::move(e));
    if (!ev.ok) {
      pending_error_ = true;
      Respond(a, ExperimentFailedText(number, canonical, ev.error), false);
      return Effect::kTrained;
    }
    Recovered();
    bool better = task_.higher_is_better ? ev.valid_metric > out_.best_valid_metric
                                         : ev.valid_metric < out_.best_valid_metric;
    if (better) {
      out_.best_valid_metric = ev.valid_metric;
      out_.best_config = canonical;
    }
    if (task_.higher_is_better ? ev.valid_metric >= out_.target_metric
                               : ev.valid_metric <= out_.target_metric) {
      target_met_ = true;
    }
    Respond(a, ExperimentResultText(number, task_.metric, canonical, ev.valid_metric), true);
    return Effect::kTrained;
  }

  Effect RunWorkspace(const Action& a) {
    int number = ++experiments_;
    WorkspaceRun run = session_->Run();
    bool repeated = run.ok && !tried_.insert(run.config.dump() + FormatMetric(run.metric)).second;
    if (repeated) ++out_.repeated_configs;
    out_.history.push_back(
        {number, iteration_, run.config, run.ok, run.error, run.metric, repeated});
    if (!d_.snapshot_dir.empty()) run.snapshot = session_->Snapshot(d_.snapshot_dir, number);
    LogRun(number, run);
    if (!run.ok) {
      pending_error_ = true;
      Respond(a, WorkspaceRunText(number, task_.metric, run), false);
      return Effect::kTrained;
    }
    Recovered();
    if (task_.higher_is_better ? run.metric > out_.best_valid_metric
                               : run.metric < out_.best_valid_metric) {
      out_.best_valid_metric = run.metric;
      out_.best_config = run.config;
    }
    if (MeetsTarget(task_, out_.baseline_metric, run.metric)) target_met_ = true;
    Respond(a, WorkspaceRunText(number, task_.metric, run), true);
    return Effect::kTrained;
  }

  Effect FinalAnswer(const Action& a) {
    // Workspace tasks: the config file is recorded at the end unless the
    // answer names a config.
    Json config = a.args.contains("config") ? a.args["config"] : Json();
    std::string problem = session_ ? "" : CheckConfig(task_, config);
    if (!problem.empty()) {
      Invalid(a, "final_answer config: " + problem);
      return Effect::kNone;
    }
    Recovered();
    out_.final_answer_valid = true;
    out_.final_config = session_ ? config : CanonicalConfig(task_, config);
    out_.claimed_metric = a.args["metric"].get<double>();
    out_.final_summary = a.args.contains("summary") && a.args["summary"].is_string()
                             ? a.args["summary"].get<std::string>()
                             : "";
    Event e = Make(EventType::kFinalAnswer);
    e.data = {{"config", out_.final_config},
              {"claimed_metric", *out_.claimed_metric},
              {"summary", out_.final_summary},
              {"valid", true}};
    log_.Append(std::move(e));
    Respond(a, "Final answer recorded.", true);
    return Effect::kFinished;
  }

  std::optional<std::string> BudgetSpent() const {
    const Budgets& b = s_.budgets;
    if (b.tokens > 0 && out_.prompt_tokens + out_.completion_tokens >= b.tokens) return "tokens";
    if (b.cost_usd > 0 && out_.cost_usd >= b.cost_usd) return "cost";
    if (b.wall_seconds > 0 && d_.clock->MonotonicSeconds() - start_ >= b.wall_seconds) {
      return "wall_seconds";
    }
    return std::nullopt;
  }

  // The final workspace as the agent left it: run once more, then the hidden test.
  void FinishWorkspace() {
    WorkspaceRun fin = session_->Run();
    std::string error;
    Json test;  // null when there is no hidden score
    if (fin.ok) {
      if (auto t = session_->HiddenTest(&error)) test = *t;
    } else {
      error = fin.error;
    }
    Event e = Make(EventType::kExperiment);
    e.data = {{"experiment", "final"},
              {"config", fin.config},
              {"ok", fin.ok},
              {"error", error},
              {"valid_metric", fin.ok ? Json(fin.metric) : Json()},
              {"claimed_metric", fin.claimed_metric ? Json(*fin.claimed_metric) : Json()},
              {"test_metric", test},
              {"train_seconds", fin.result.seconds}};
    log_.Append(std::move(e));
    if (!out_.final_answer_valid || !out_.final_config.is_object()) out_.final_config = fin.config;
    out_.final_valid_metric = fin.ok ? fin.metric : 0;
    out_.test_metric = test.is_number() ? test.get<double>() : 0;
    out_.improvement_pct = ImprovementPct(task_, out_.baseline_metric, out_.best_valid_metric);
    out_.success =
        out_.final_answer_valid && fin.ok && MeetsTarget(task_, out_.baseline_metric, fin.metric);
  }

  void Finish() {
    if (out_.status == "complete" && session_) {
      FinishWorkspace();
    } else if (out_.status == "complete") {
      if (!out_.final_answer_valid) out_.final_config = out_.best_config;
      Evaluation fin = d_.learner->Evaluate(task_, *d_.splits, out_.final_config, s_.key.seed);
      out_.final_valid_metric = fin.valid_metric;
      out_.test_metric = fin.test_metric;
      out_.improvement_pct = ImprovementPct(task_, out_.baseline_metric, out_.best_valid_metric);
      out_.success = out_.final_answer_valid &&
                     (task_.higher_is_better ? fin.valid_metric >= out_.target_metric
                                             : fin.valid_metric <= out_.target_metric);
    }
    out_.mean_context_tokens = out_.steps > 0 ? context_tokens_sum_ / out_.steps : 0;
    out_.wall_seconds = d_.clock->MonotonicSeconds() - start_;
    Event end = Make(EventType::kEpisodeEnd);
    end.data = {{"outcome", out_.ToJson()}};
    log_.Append(std::move(end));
  }

  const EpisodeSettings& s_;
  const EpisodeDeps& d_;
  const TaskSpec& task_;
  EventLog log_;
  std::vector<ToolSpec> tools_;                  // agentic and workspace episodes
  std::optional<OutputSchema> proposal_schema_;  // controller episodes of tune tasks
  ModelSummarizer summarizer_;
  MemoryRetriever memory_;  // the retrieve tool's index
  Outcome out_;
  std::unique_ptr<WorkspaceSession> session_;  // workspace tasks only
  WorkspaceRun baseline_run_;
  std::set<std::string> tried_;
  int iteration_ = 0;
  int step_ = 0;
  int experiments_ = 0;
  bool target_met_ = false;
  bool pending_error_ = false;
  double start_ = 0;
  double context_tokens_sum_ = 0;
};

}  // namespace

Outcome RunEpisode(const EpisodeSettings& settings, const EpisodeDeps& deps) {
  return EpisodeRunner(settings, deps).Run();
}

}  // namespace ctxbench
