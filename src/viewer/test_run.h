// Test support for the viewer: a run folder (results.db, run.json, a trace
// file) whose contexts were built by a real context policy, so the X-ray is
// checked against what the policy really sent. Used only by *_test.cc.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "agent/fold_outcome.h"
#include "context/policy.h"
#include "core/file.h"
#include "events/payloads.h"
#include "llm/token_counter.h"
#include "store/sqlite_store.h"
#include "store/test_episode.h"

namespace ctxbench::viewer_test {

using store_test::MakeEvent;

// The contexts an episode's policy built, by step (1-based index - 1).
using BuiltContexts = std::vector<Context>;

// Appends an episode of `steps` steps to `log`: each step builds a context
// with `policy` under `budget` tokens and records it (op.context with the
// manifest), then a reply training max_depth = 3 + step, its tool result and
// experiment; it ends as a real episode does (final answer and evaluation,
// op.stop, episode.end with the fold of the events). Returns the contexts built.
inline BuiltContexts AppendPolicyEpisode(EventLog& log, const PolicyConfig& policy_config,
                                         int steps, int budget, bool success) {
  const EpisodeKey& k = log.key();
  log.Append(MakeEvent(EventType::kEpisodeStart, 0, 0,
                       {{"baseline_metric", 0.8},
                        {"target_metric", 0.83},
                        {"metric", "accuracy"},
                        {"higher_is_better", true}}));
  Event system = MakeEvent(EventType::kPrompt, 0, 0, Json::object());
  system.message = Message{Role::kSystem, "You tune a gradient-boosted model.", {}, "", ""};
  log.Append(system);
  Event task = MakeEvent(EventType::kPrompt, 0, 0, Json::object());
  task.message = Message{Role::kUser, "Task " + k.task + ": tune max_depth.", {}, "", ""};
  log.Append(task);
  EstimateCounter counter;
  std::vector<ToolSpec> tools;
  auto policy = MakePolicy(policy_config, "test");
  BuiltContexts built;
  for (int s = 1; s <= steps; ++s) {
    Context ctx = policy->Build({log.events(), budget, counter, tools});
    log.Append(
        MakeEvent(EventType::kContext, s, s,
                  {{"manifest", ctx.manifest.ToJson()}, {"tokens", ctx.manifest.total_tokens}}));
    built.push_back(ctx);
    std::string id = "call" + std::to_string(s);
    Event llm = MakeEvent(EventType::kLlmCall, s, s,
                          {{"prompt_tokens", ctx.manifest.total_tokens},
                           {"completion_tokens", 12},
                           {"purpose", "agent"},
                           {"cost_usd", 0.001},
                           {"context_tokens", ctx.manifest.total_tokens}});
    std::string args = "{\"max_depth\":" + std::to_string(3 + s) + "}";
    llm.message = Message{Role::kAssistant,
                          "Trying depth " + std::to_string(3 + s) + " (" + k.policy + ")",
                          {{id, "train", args}},
                          "",
                          ""};
    log.Append(llm);
    double metric = 0.8 + (success ? 0.02 : 0.005) * s;
    Event tool = MakeEvent(EventType::kToolResult, s, s, {{"tool", "train"}, {"ok", true}});
    tool.message = Message{Role::kTool,
                           "valid accuracy " + std::to_string(metric) + std::string(200, '.'),
                           {},
                           id,
                           "train"};
    log.Append(tool);
    log.Append(MakeEvent(EventType::kExperiment, s, s,
                         {{"experiment", s},
                          {"config", {{"max_depth", 3 + s}}},
                          {"ok", true},
                          {"valid_metric", metric},
                          {"test_metric", metric - 0.01}}));
  }
  // The end as a real episode logs it: answer, final evaluation, op.stop,
  // and episode.end carrying the fold of the events.
  double best = 0.8 + (success ? 0.02 : 0.005) * steps;
  Json best_config = {{"max_depth", 3 + steps}};
  log.Append(MakeEvent(EventType::kFinalAnswer, steps, steps,
                       FinalAnswerData{best_config, best, "deepest was best", true}.ToJson()));
  FinalEvaluationData fin;
  fin.config = best_config;
  fin.ok = true;
  fin.valid_metric = best;
  fin.test_metric = best - 0.01;
  log.Append(MakeEvent(EventType::kFinalEvaluation, steps, steps, fin.ToJson()));
  StopData stop;
  stop.rule = StopRule::kIterations;
  log.Append(MakeEvent(EventType::kStop, steps, steps, stop.ToJson()));
  Outcome outcome = FoldOutcome(log.events());
  log.Append(
      MakeEvent(EventType::kEpisodeEnd, steps, steps, EpisodeEndData{outcome.ToJson()}.ToJson()));
  return built;
}

// A run folder `dir` with run id "r1": policies "full" and "window1"
// (window, max_turns 1) x seeds 1..`seeds` of task toy, 4 steps each; seed 1
// succeeds under both. The contexts built for "toy.window1.sim.agentic.s1"
// are returned through `window_s1` when not null.
inline void WriteTestRun(const std::string& dir, int seeds, BuiltContexts* window_s1 = nullptr) {
  std::filesystem::create_directories(dir);
  auto store = SqliteStore::Open(dir + "/results.db");
  store->BeginRun("r1", "viewer-test",
                  R"({"tasks":["toy"],"context_policies":[{"name":"full","type":"full"},)"
                  R"({"name":"window1","type":"window"}],"models":[{"name":"sim","kind":"sim"}],)"
                  R"("reasoning_modes":["agentic"],"seeds":[1]})",
                  1.7e9);
  for (const PolicyConfig& pc : {PolicyConfig{"full", "full", Json::object()},
                                 PolicyConfig{"window1", "window", {{"max_turns", 1}}}}) {
    for (int seed = 1; seed <= seeds; ++seed) {
      EventLog log(EpisodeKey{"toy", pc.name, "sim", "agentic", static_cast<uint64_t>(seed)},
                   {store.get()});
      BuiltContexts built = AppendPolicyEpisode(log, pc, 4, 4000, seed == 1);
      if (window_s1 && pc.name == "window1" && seed == 1) *window_s1 = built;
    }
  }
  store->FinishRun("r1", RunStatus::kComplete, 1.7e9 + 10);
  WriteFileAtomic(dir + "/run.json",
                  R"({"run_id":"r1","episodes_planned":)" + std::to_string(2 * seeds) + "}");
  std::filesystem::create_directories(dir + "/traces");
  WriteFileAtomic(dir + "/traces/toy.full.sim.agentic.s1.jsonl", "{}\n");
}

}  // namespace ctxbench::viewer_test
