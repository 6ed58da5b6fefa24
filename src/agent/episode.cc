#include "agent/episode.h"

#include <memory>
#include <optional>
#include <utility>

#include "agent/action.h"
#include "agent/clarifier.h"
#include "agent/experiment_summary.h"
#include "agent/fold_outcome.h"
#include "agent/memory_retriever.h"
#include "agent/model_summarizer.h"
#include "agent/prompt.h"
#include "agent/tool_schema.h"
#include "agent/tune_experimenter.h"
#include "agent/workspace_experimenter.h"
#include "core/cancel.h"
#include "core/error.h"
#include "core/metric_direction.h"
#include "events/payloads.h"
#include "llm/model_call_error.h"

namespace ctxbench {

namespace {

std::unique_ptr<Experimenter> MakeExperimenter(const EpisodeSettings& s, const EpisodeDeps& d) {
  if (d.task->is_workspace()) {
    return std::make_unique<WorkspaceExperimenter>(*d.task, s.mode, d.workspace_dir, d.runner,
                                                   d.sandbox_uid, d.snapshot_dir);
  }
  return std::make_unique<TuneExperimenter>(*d.task, *d.splits, *d.learner, s.mode, s.key.seed);
}

class EpisodeRunner {
 public:
  EpisodeRunner(const EpisodeSettings& s, const EpisodeDeps& d)
      : s_(s),
        d_(d),
        task_(*d.task),
        log_(s.key, d.sinks),
        summarizer_(*d.model, *d.counter, s.key.seed, *d.clock) {
    if (d.experimenter == nullptr) owned_experimenter_ = MakeExperimenter(s, d);
    experimenter_ = d.experimenter ? d.experimenter : owned_experimenter_.get();
    tools_ = experimenter_->Tools();
    proposal_schema_ = experimenter_->ProposalSchema();
    direction_.higher_is_better = task_.higher_is_better;
  }

  // The error boundary: everything the episode does, its final evaluation
  // included, is inside it. A ctxbench::Error is the infrastructure failing
  // the episode (status error); CancelledError interrupts it; any other
  // exception is a bug and propagates.
  Outcome Run() {
    start_ = d_.clock->MonotonicSeconds();
    try {
      Begin();
      StopRule rule = RunIterations();
      if (rule == StopRule::kTargetMet || rule == StopRule::kIterations) FinalAnswerPhase(rule);
      FinalEvaluation();
      Stop({rule, EpisodeStatus::kComplete, ""});
    } catch (const CancelledError& e) {
      Stop({StopRule::kInterrupted, EpisodeStatus::kInterrupted, e.what()});
    } catch (const ModelCallError& e) {
      RecordFailedCall(e);
      Fail(e.what());
    } catch (const Error& e) {
      Fail(e.what());
    }
    return End();
  }

 private:
  void Stop(const StopData& stop) {
    Event e = Make(EventType::kStop);
    e.data = stop.ToJson();
    log_.Append(std::move(e));
  }

  void Fail(const std::string& message) {
    Event ev = Make(EventType::kError);
    ev.data = ErrorData{message, ""}.ToJson();
    log_.Append(std::move(ev));
    Stop({StopRule::kError, EpisodeStatus::kError, message});
  }

  // A model call that failed after its attempts: an llm call event without a
  // reply, so its attempts are counted like those of an answered call.
  void RecordFailedCall(const ModelCallError& e) {
    if (e.attempts() == 0) return;  // refused before any request
    Event ev = Make(EventType::kLlmCall);
    ev.data = FailedCallData(d_.model->name(), e).ToJson();
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

  // The baseline, then episode.start (appended even when the baseline
  // fails, so the failed episode is recorded with its key and metric), the
  // head of every context and, for a workspace, the starter's run.
  void Begin() {
    EpisodeStartData d;
    d.key = {{"task", s_.key.task},
             {"policy", s_.key.policy},
             {"model", s_.key.model},
             {"mode", s_.key.mode},
             {"seed", s_.key.seed}};
    d.episode_id = s_.key.Id();
    d.policy_type = d_.policy->type();
    d.model_name = d_.model->name();
    d.metric = task_.metric;
    d.higher_is_better = task_.higher_is_better;
    d.iterations = s_.budgets.iterations;
    d.context_tokens = s_.context_tokens;
    d.token_counter = d_.counter->name();
    d.final_answer_schema = FinalAnswerSchema(task_, s_.mode == Mode::kController);
    if (!tools_.empty()) {
      d.tools = Json::array();  // the tool definitions every agent call sends
      for (const ToolSpec& t : tools_) d.tools.push_back(ToolSpecToJson(t));
    }
    Baseline base;
    try {
      base = experimenter_->Begin(s_.budgets.iterations);
    } catch (const Error&) {
      AppendStart(std::move(d));
      throw;
    }
    best_valid_metric_ = base.metric;
    best_config_ = base.config;
    target_metric_ = base.target_metric;
    d.baseline_config = base.config;
    d.baseline_metric = base.metric;
    d.baseline_test_metric = base.test_metric;
    d.baseline_test_error = base.test_error;
    d.target_metric = base.target_metric;
    AppendStart(std::move(d));
    AppendMessage(EventType::kPrompt, {Role::kSystem, SystemPrompt(s_.mode), {}, "", ""});
    AppendMessage(EventType::kPrompt, {Role::kUser, base.statement, {}, "", ""});
    if (base.starter_run) {
      Event e = Make(EventType::kExperiment);
      e.data = base.starter_run->ToJson();
      log_.Append(std::move(e));
    }
  }

  void AppendStart(EpisodeStartData d) {
    Event start = Make(EventType::kEpisodeStart);
    start.data = d.ToJson();
    log_.Append(std::move(start));
  }

  // Runs iterations until a stop rule; returns it.
  StopRule RunIterations() {
    for (iteration_ = 1; iteration_ <= s_.budgets.iterations; ++iteration_) {
      AppendMessage(
          EventType::kObservation,
          {Role::kUser, IterationPrompt(s_.mode, iteration_, s_.budgets.iterations), {}, "", ""});
      std::optional<int> experiment;
      for (int k = 0; k < s_.budgets.steps_per_iteration && !experiment; ++k) {
        for (const Action& a : Step()) {
          Effect effect = Execute(a, /*final_phase=*/false, experiment.has_value());
          if (effect == Effect::kTrained) experiment = experiments_;
          if (effect == Effect::kFinished) return StopRule::kFinalAnswer;
        }
        if (auto spent = BudgetSpent()) return *spent;
      }
      Event it = Make(EventType::kIteration);
      it.data = IterationData{iteration_, best_valid_metric_, best_config_, experiment}.ToJson();
      log_.Append(std::move(it));
      if (experiment && target_met_) return StopRule::kTargetMet;
    }
    iteration_ = s_.budgets.iterations;
    return StopRule::kIterations;
  }

  void FinalAnswerPhase(StopRule rule) {
    AppendMessage(EventType::kObservation,
                  {Role::kUser, FinalAnswerRequest(StopRuleName(rule)), {}, "", ""});
    for (int attempt = 0; attempt < 2; ++attempt) {
      for (const Action& a : Step()) {
        if (Execute(a, /*final_phase=*/true, false) == Effect::kFinished) return;
      }
      if (BudgetSpent()) return;
    }
  }

  // The final config, evaluated once more (validation and hidden test).
  void FinalEvaluation() {
    Json chosen = answer_config_.is_null() ? best_config_ : answer_config_;
    Event e = Make(EventType::kFinalEvaluation);
    e.data = experimenter_->FinalEvaluation(chosen).ToJson();
    log_.Append(std::move(e));
  }

  // One model call on the context the policy builds; returns the actions of
  // its reply.
  std::vector<Action> Step() {
    ++step_;
    long long remaining = -1;
    if (s_.budgets.tokens > 0) remaining = std::max(0LL, s_.budgets.tokens - tokens_used_);
    Context ctx = d_.policy->Build(
        {log_.events(), s_.context_tokens, *d_.counter, tools_, &summarizer_, remaining});
    for (auto& p : summarizer_.TakePending()) {
      Event e = Make(p.type);
      if (p.time > 0) e.time = p.time;  // when the summariser's call ended
      e.message = std::move(p.message);
      e.data = std::move(p.data);
      Count(e);
      log_.Append(std::move(e));
    }
    Event ce = Make(EventType::kContext);
    ce.data = ContextData{ctx.manifest.ToJson(), ctx.manifest.total_tokens}.ToJson();
    log_.Append(std::move(ce));

    CompletionRequest req;
    req.messages = std::move(ctx.messages);
    req.tools = tools_;
    req.output_schema = proposal_schema_;
    req.max_tokens = s_.max_completion_tokens;
    req.seed = s_.key.seed;
    double t0 = d_.clock->MonotonicSeconds();
    Completion c = d_.model->Complete(req);
    double latency = d_.clock->MonotonicSeconds() - t0;
    LlmCallData call = AnsweredCallData(d_.model->name(), req.purpose, c);
    call.latency_s = latency;
    call.context_tokens = ctx.manifest.total_tokens;
    Event reply = Make(EventType::kLlmCall);
    reply.message = c.message;
    reply.data = call.ToJson();
    Count(reply);
    log_.Append(std::move(reply));
    std::vector<Action> actions = ParseActions(c.message, s_.mode);
    std::string names;
    for (const Action& a : actions) names += (names.empty() ? "" : ",") + ActionName(a.kind);
    Event ss = Make(EventType::kStepSummary);
    ss.data = StepSummaryData{step_, ctx.manifest.total_tokens, names, c.usage.prompt_tokens,
                              c.usage.completion_tokens}
                  .ToJson();
    log_.Append(std::move(ss));
    return actions;
  }

  // What the budgets read of a model call event: the tokens and cost used so
  // far, as the outcome fold counts them.
  void Count(const Event& e) {
    if (e.type != EventType::kLlmCall) return;
    LlmCallData call = LlmCallData::FromJson(e.data);
    if (call.failed()) return;
    tokens_used_ += call.prompt_tokens + call.completion_tokens;
    cost_used_ += call.cost_usd;
  }

  enum class Effect { kNone, kTrained, kFinished };

  // Shows the agent the result of an action: a tool message in agentic mode,
  // an observation otherwise.
  void Respond(const Action& a, const std::string& text, bool ok,
               std::optional<std::vector<RetrieveHit>> hits = std::nullopt) {
    Json data = ResponseData{a.tool, ok, std::move(hits)}.ToJson();
    if (s_.mode == Mode::kAgentic && !a.call_id.empty()) {
      AppendMessage(EventType::kToolResult, {Role::kTool, text, {}, a.call_id, a.tool}, data);
    } else {
      AppendMessage(EventType::kObservation, {Role::kUser, text, {}, "", ""}, data);
    }
  }

  void Invalid(const Action& a, const std::string& reason) {
    Event e = Make(EventType::kInvalidAction);
    e.data = InvalidActionData{a.tool, reason, a.raw}.ToJson();
    log_.Append(std::move(e));
    Respond(a, "Invalid action: " + reason, false);
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
        ToolReply reply = experimenter_->FileTool(a);
        Respond(a, reply.text, reply.ok);
        return Effect::kNone;
      }
      case Action::kRun:
        if (final_phase || trained_this_iteration) {
          Invalid(a, final_phase ? "no runs are left; give your final answer"
                                 : "one run per iteration; this call was not run");
          return Effect::kNone;
        }
        return Experiment(a);
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
        return Experiment(a);
      case Action::kFinalAnswer:
        return FinalAnswer(a);
      case Action::kAsk: {
        std::string source;
        std::string question = a.args["question"].get<std::string>();
        std::string answer = AnswerQuestion(task_, d_.data_notes, question, &source);
        Event e = Make(EventType::kClarification);
        e.data = ClarificationData{question, answer, source}.ToJson();
        log_.Append(std::move(e));
        Respond(a, answer, true);
        return Effect::kNone;
      }
      case Action::kNote: {
        Event e = Make(EventType::kNote);
        e.data = NoteData{a.args["text"].get<std::string>()}.ToJson();
        log_.Append(std::move(e));
        Respond(a, "Noted.", true);
        return Effect::kNone;
      }
      case Action::kRetrieve: {
        auto found = memory_.Retrieve(log_.events(), a.args["query"], s_.retrieve_k);
        Respond(a, found.text, true, std::move(found.hits));
        return Effect::kNone;
      }
      case Action::kSummarize:
        Respond(a, SummarizeExperiments(log_.events(), task_), true);
        return Effect::kNone;
    }
    return Effect::kNone;
  }

  Effect Experiment(const Action& a) {
    ExperimentResult r = experimenter_->Experiment(a, experiments_ + 1);
    if (!r.refused.empty()) {
      Invalid(a, r.refused);
      return Effect::kNone;
    }
    ++experiments_;
    Event e = Make(EventType::kExperiment);
    e.data = r.data.ToJson();
    log_.Append(std::move(e));
    const ExperimentData& x = r.data;
    if (x.ok && x.valid_metric) {
      if (direction_.Better(*x.valid_metric, best_valid_metric_)) {
        best_valid_metric_ = *x.valid_metric;
        best_config_ = x.config;
      }
      if (direction_.Meets(*x.valid_metric, target_metric_)) target_met_ = true;
    }
    Respond(a, r.text, x.ok);
    return Effect::kTrained;
  }

  Effect FinalAnswer(const Action& a) {
    Expected<Json> answered = experimenter_->AnswerConfig(a);
    if (!answered) {
      Invalid(a, "final_answer config: " + answered.error());
      return Effect::kNone;
    }
    const Json& config = *answered;
    answer_config_ = config.is_object() ? config : Json();
    FinalAnswerData answer{config, a.args["metric"].get<double>(), "", true};
    if (a.args.contains("summary") && a.args["summary"].is_string()) {
      answer.summary = a.args["summary"].get<std::string>();
    }
    Event e = Make(EventType::kFinalAnswer);
    e.data = answer.ToJson();
    log_.Append(std::move(e));
    Respond(a, "Final answer recorded.", true);
    return Effect::kFinished;
  }

  std::optional<StopRule> BudgetSpent() const {
    const Budgets& b = s_.budgets;
    if (b.tokens > 0 && tokens_used_ >= b.tokens) return StopRule::kTokens;
    if (b.cost_usd > 0 && cost_used_ >= b.cost_usd) return StopRule::kCost;
    if (b.wall_seconds > 0 && d_.clock->MonotonicSeconds() - start_ >= b.wall_seconds) {
      return StopRule::kWallSeconds;
    }
    return std::nullopt;
  }

  // The outcome, folded from the log, and the episode.end event that carries it.
  Outcome End() {
    Outcome out = FoldOutcome(log_.events());
    out.wall_seconds = d_.clock->MonotonicSeconds() - start_;
    Event end = Make(EventType::kEpisodeEnd);
    end.data = EpisodeEndData{out.ToJson()}.ToJson();
    log_.Append(std::move(end));
    return out;
  }

  const EpisodeSettings& s_;
  const EpisodeDeps& d_;
  const TaskSpec& task_;
  EventLog log_;
  std::unique_ptr<Experimenter> owned_experimenter_;
  Experimenter* experimenter_ = nullptr;
  std::vector<ToolSpec> tools_;                  // agentic episodes
  std::optional<OutputSchema> proposal_schema_;  // controller episodes of tune tasks
  ModelSummarizer summarizer_;
  MemoryRetriever memory_;  // the retrieve tool's index
  MetricDirection direction_;
  // Loop state (the outcome is folded from the events at the end).
  double best_valid_metric_ = 0;
  Json best_config_;
  double target_metric_ = 0;
  Json answer_config_;  // the final answer's config, when it named one
  long long tokens_used_ = 0;
  double cost_used_ = 0;
  int iteration_ = 0;
  int step_ = 0;
  int experiments_ = 0;
  bool target_met_ = false;
  double start_ = 0;
};

}  // namespace

Outcome RunEpisode(const EpisodeSettings& settings, const EpisodeDeps& deps) {
  return EpisodeRunner(settings, deps).Run();
}

}  // namespace ctxbench
