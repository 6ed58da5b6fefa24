// Test fixture: the results.db schema of version 2 (before the episodes'
// outcome columns became generated columns), verbatim as store_schema.cc
// held it, to build an old store in a test without an old binary. Used only
// by *_test.cc.
#pragma once

namespace ctxbench::store_test {

inline constexpr int kStoreSchemaVersion2 = 2;

inline constexpr char kStoreSchemaVersion2Sql[] = R"sql(
CREATE TABLE IF NOT EXISTS runs (
  run_id TEXT PRIMARY KEY,
  name TEXT,
  config_json TEXT,
  started_at REAL,
  finished_at REAL,
  status TEXT NOT NULL DEFAULT 'running',
  ctxbench_version TEXT
);

CREATE TABLE IF NOT EXISTS episodes (
  episode_id TEXT PRIMARY KEY,
  run_id TEXT,
  task TEXT NOT NULL,
  policy TEXT NOT NULL,
  model TEXT NOT NULL,
  mode TEXT NOT NULL,
  seed INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'running',
  metric TEXT,
  higher_is_better INTEGER,
  baseline_metric REAL,
  target_metric REAL,
  best_valid_metric REAL,
  improvement_pct REAL,
  success INTEGER,
  final_answer_valid INTEGER,
  test_metric REAL,
  claimed_metric REAL,
  iterations INTEGER,
  steps INTEGER,
  llm_calls INTEGER,
  prompt_tokens INTEGER,
  completion_tokens INTEGER,
  cost_usd REAL,
  wall_seconds REAL,
  repeated_configs INTEGER,
  invalid_actions INTEGER,
  errors_recovered INTEGER,
  stop_rule TEXT,
  error TEXT,
  baseline_config_json TEXT,
  final_config_json TEXT,
  outcome_json TEXT,
  started_at REAL,
  ended_at REAL
);
CREATE INDEX IF NOT EXISTS episodes_run ON episodes(run_id);

CREATE TABLE IF NOT EXISTS steps (
  episode_id TEXT NOT NULL,
  step INTEGER NOT NULL,
  iteration INTEGER,
  context_tokens INTEGER,
  action TEXT,
  prompt_tokens INTEGER,
  completion_tokens INTEGER,
  manifest_json TEXT,
  time REAL,
  PRIMARY KEY (episode_id, step)
);

CREATE TABLE IF NOT EXISTS llm_calls (
  episode_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  iteration INTEGER,
  step INTEGER,
  time REAL,
  purpose TEXT,
  prompt_tokens INTEGER,
  completion_tokens INTEGER,
  cached_prompt_tokens INTEGER,
  cost_usd REAL,
  latency_s REAL,
  cache_hit INTEGER,
  context_tokens INTEGER,
  estimated_tokens INTEGER,
  finish_reason TEXT,
  reply TEXT,
  tool_calls_json TEXT,
  attempts INTEGER,
  error TEXT,
  PRIMARY KEY (episode_id, seq)
);

CREATE TABLE IF NOT EXISTS experiments (
  episode_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  experiment INTEGER,
  iteration INTEGER,
  step INTEGER,
  time REAL,
  config_json TEXT,
  ok INTEGER,
  error TEXT,
  valid_metric REAL,
  test_metric REAL,
  cached INTEGER,
  train_seconds REAL,
  PRIMARY KEY (episode_id, seq)
);

CREATE TABLE IF NOT EXISTS events (
  episode_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  type TEXT NOT NULL,
  iteration INTEGER,
  step INTEGER,
  time REAL,
  json TEXT NOT NULL,
  PRIMARY KEY (episode_id, seq)
);
CREATE INDEX IF NOT EXISTS events_type ON events(type);
)sql";

}  // namespace ctxbench::store_test
