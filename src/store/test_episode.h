// Test support for the store module: synthetic episode event sequences shaped
// like the agent's, and scratch folders. Used only by *_test.cc.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/sqlite_db.h"
#include "core/test_scratch_dir.h"
#include "events/event.h"

namespace ctxbench::store_test {

using ::ctxbench::ScratchDir;

inline Event MakeEvent(EventType type, int iteration, int step, Json data) {
  Event e;
  e.type = type;
  e.iteration = iteration;
  e.step = step;
  e.time = 1.7e9 + iteration * 10 + step;
  e.data = std::move(data);
  return e;
}

// Appends an episode of `steps` steps (one step per iteration, each training
// one config) to `log`. With `finish` false it stops before episode.end, like
// an episode cut off by a crash. Events: 2 + 6 * steps (+ 1 for the end).
inline void AppendSyntheticEpisode(EventLog& log, int steps, bool finish = true) {
  const EpisodeKey& k = log.key();
  log.Append(MakeEvent(EventType::kEpisodeStart, 0, 0,
                       {{"key",
                         {{"task", k.task},
                          {"policy", k.policy},
                          {"model", k.model},
                          {"mode", k.mode},
                          {"seed", k.seed}}},
                        {"episode_id", k.Id()},
                        {"baseline_config", {{"max_depth", 3}}},
                        {"baseline_metric", 0.8},
                        {"target_metric", 0.88},
                        {"metric", "accuracy"},
                        {"higher_is_better", true}}));
  Event prompt = MakeEvent(EventType::kPrompt, 0, 0, Json::object());
  prompt.message = Message{Role::kSystem, "You tune a model.", {}, "", ""};
  log.Append(prompt);
  for (int s = 1; s <= steps; ++s) {
    log.Append(MakeEvent(EventType::kContext, s, s,
                         {{"manifest", {{"kept", Json::array({0, 1})}}}, {"tokens", 100 * s}}));
    Event llm = MakeEvent(EventType::kLlmCall, s, s,
                          {{"prompt_tokens", 100 * s},
                           {"completion_tokens", 20},
                           {"cached_prompt_tokens", 0},
                           {"cost_usd", 0.0},
                           {"latency_s", 0.01},
                           {"cache_hit", false},
                           {"purpose", "step"},
                           {"context_tokens", 100 * s},
                           {"estimated_tokens", false},
                           {"finish_reason", "tool_calls"}});
    llm.message = Message{Role::kAssistant,
                          "training depth " + std::to_string(s + 3),
                          {{"call" + std::to_string(s), "train", "{\"max_depth\":4}"}},
                          "",
                          ""};
    log.Append(llm);
    Event tool = MakeEvent(EventType::kToolResult, s, s, {{"tool", "train"}, {"ok", true}});
    tool.message = Message{Role::kTool, "accuracy 0.85", {}, "call" + std::to_string(s), "train"};
    log.Append(tool);
    log.Append(MakeEvent(EventType::kExperiment, s, s,
                         {{"experiment", s},
                          {"config", {{"max_depth", s + 3}}},
                          {"ok", true},
                          {"error", ""},
                          {"valid_metric", 0.8 + 0.01 * s},
                          {"test_metric", 0.79 + 0.01 * s},
                          {"cached", false},
                          {"train_seconds", 0.5}}));
    log.Append(MakeEvent(EventType::kStepSummary, s, s,
                         {{"step", s},
                          {"context_tokens", 100 * s},
                          {"action", "train"},
                          {"prompt_tokens", 100 * s},
                          {"completion_tokens", 20}}));
    log.Append(MakeEvent(EventType::kIteration, s, s, {{"iteration", s}}));
  }
  if (!finish) return;
  log.Append(MakeEvent(EventType::kEpisodeEnd, steps, steps,
                       {{"outcome",
                         {{"status", "complete"},
                          {"stop_rule", "iterations"},
                          {"baseline_metric", 0.8},
                          {"best_valid_metric", 0.8 + 0.01 * steps},
                          {"improvement_pct", 1.25 * steps},
                          {"success", false},
                          {"final_answer_valid", true},
                          {"final_config", {{"max_depth", steps + 3}}},
                          {"test_metric", 0.79 + 0.01 * steps},
                          {"claimed_metric", 0.8 + 0.01 * steps},
                          {"iterations", steps},
                          {"steps", steps},
                          {"llm_calls", steps},
                          {"prompt_tokens", 1000},
                          {"completion_tokens", 20 * steps},
                          {"cost_usd", 0.0},
                          {"wall_seconds", 1.5},
                          {"repeated_configs", 0},
                          {"invalid_actions", 0},
                          {"errors_recovered", 0},
                          {"error", ""}}}}));
}

// Every column of the episode's `episodes` row (generated ones included) by
// name, as SQLite returns it: NULL as null, INTEGER as an integer, REAL as
// the exact double, TEXT as a string. An empty object when there is no row.
inline Json EpisodeColumns(SqliteDb& db, const std::string& episode_id) {
  std::vector<std::string> names;
  Statement& info = db.Prepare("SELECT name FROM pragma_table_xinfo('episodes')");
  while (info.Step()) names.push_back(info.Text(0));
  info.Reset();
  std::string sql = "SELECT ";
  for (const std::string& name : names) sql += "typeof(" + name + "), " + name + ", ";
  sql += "1 FROM episodes WHERE episode_id = ?1";
  Statement& st = db.Prepare(sql);
  st.Bind(1, episode_id);
  Json out = Json::object();
  if (st.Step()) {
    for (size_t i = 0; i < names.size(); ++i) {
      int column = static_cast<int>(2 * i + 1);
      std::string type = st.Text(column - 1);
      if (type == "null") {
        out[names[i]] = nullptr;
      } else if (type == "integer") {
        out[names[i]] = st.Int(column);
      } else if (type == "real") {
        out[names[i]] = st.Real(column);
      } else {
        out[names[i]] = st.Text(column);
      }
    }
  }
  st.Reset();
  return out;
}

inline EpisodeKey TestKey(const std::string& task, uint64_t seed) {
  return EpisodeKey{task, "window4", "sim", "agentic", seed};
}

}  // namespace ctxbench::store_test
