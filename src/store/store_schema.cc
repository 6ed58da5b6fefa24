#include "store/store_schema.h"

namespace ctxbench {

const char kStoreSchemaSql[] = R"sql(
CREATE TABLE IF NOT EXISTS runs (
  run_id TEXT PRIMARY KEY,
  name TEXT,
  config_json TEXT,
  started_at REAL,
  finished_at REAL,
  status TEXT NOT NULL DEFAULT 'running',
  ctxbench_version TEXT
);

-- Generated columns read the episode's two records: start_json (episode.start's
-- data) and outcome_json (episode.end's outcome). docs/store.md, "episodes".
CREATE TABLE IF NOT EXISTS episodes (
  episode_id TEXT PRIMARY KEY,
  run_id TEXT,
  task TEXT NOT NULL,
  policy TEXT NOT NULL,
  model TEXT NOT NULL,
  mode TEXT NOT NULL,
  seed INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'running',
  metric TEXT GENERATED ALWAYS AS (
    CASE WHEN json_valid(start_json) THEN json_extract(start_json, '$.metric') END) VIRTUAL,
  higher_is_better INTEGER GENERATED ALWAYS AS (
    CASE WHEN json_valid(start_json) THEN json_extract(start_json, '$.higher_is_better') END) VIRTUAL,
  baseline_metric REAL GENERATED ALWAYS AS (
    COALESCE(
    CASE WHEN json_valid(outcome_json) THEN json_extract(outcome_json, '$.baseline_metric') END,
    CASE WHEN json_valid(start_json) THEN json_extract(start_json, '$.baseline_metric') END)) VIRTUAL,
  target_metric REAL GENERATED ALWAYS AS (
    CASE WHEN json_valid(start_json) THEN json_extract(start_json, '$.target_metric') END) VIRTUAL,
  best_valid_metric REAL GENERATED ALWAYS AS (
    CASE WHEN json_valid(outcome_json) THEN json_extract(outcome_json, '$.best_valid_metric') END) VIRTUAL,
  improvement_pct REAL GENERATED ALWAYS AS (
    CASE WHEN json_valid(outcome_json) THEN json_extract(outcome_json, '$.improvement_pct') END) VIRTUAL,
  success INTEGER GENERATED ALWAYS AS (
    CASE WHEN json_valid(outcome_json) THEN json_extract(outcome_json, '$.success') END) VIRTUAL,
  final_answer_valid INTEGER GENERATED ALWAYS AS (
    CASE WHEN json_valid(outcome_json) THEN json_extract(outcome_json, '$.final_answer_valid') END) VIRTUAL,
  test_metric REAL GENERATED ALWAYS AS (
    CASE WHEN json_valid(outcome_json) THEN json_extract(outcome_json, '$.test_metric') END) VIRTUAL,
  claimed_metric REAL GENERATED ALWAYS AS (
    CASE WHEN json_valid(outcome_json) THEN json_extract(outcome_json, '$.claimed_metric') END) VIRTUAL,
  iterations INTEGER GENERATED ALWAYS AS (
    CASE WHEN json_valid(outcome_json) THEN json_extract(outcome_json, '$.iterations') END) VIRTUAL,
  steps INTEGER GENERATED ALWAYS AS (
    CASE WHEN json_valid(outcome_json) THEN json_extract(outcome_json, '$.steps') END) VIRTUAL,
  llm_calls INTEGER GENERATED ALWAYS AS (
    CASE WHEN json_valid(outcome_json) THEN json_extract(outcome_json, '$.llm_calls') END) VIRTUAL,
  prompt_tokens INTEGER GENERATED ALWAYS AS (
    CASE WHEN json_valid(outcome_json) THEN json_extract(outcome_json, '$.prompt_tokens') END) VIRTUAL,
  completion_tokens INTEGER GENERATED ALWAYS AS (
    CASE WHEN json_valid(outcome_json) THEN json_extract(outcome_json, '$.completion_tokens') END) VIRTUAL,
  cost_usd REAL GENERATED ALWAYS AS (
    CASE WHEN json_valid(outcome_json) THEN json_extract(outcome_json, '$.cost_usd') END) VIRTUAL,
  wall_seconds REAL GENERATED ALWAYS AS (
    CASE WHEN json_valid(outcome_json) THEN json_extract(outcome_json, '$.wall_seconds') END) VIRTUAL,
  repeated_configs INTEGER GENERATED ALWAYS AS (
    CASE WHEN json_valid(outcome_json) THEN json_extract(outcome_json, '$.repeated_configs') END) VIRTUAL,
  invalid_actions INTEGER GENERATED ALWAYS AS (
    CASE WHEN json_valid(outcome_json) THEN json_extract(outcome_json, '$.invalid_actions') END) VIRTUAL,
  errors_recovered INTEGER GENERATED ALWAYS AS (
    CASE WHEN json_valid(outcome_json) THEN json_extract(outcome_json, '$.errors_recovered') END) VIRTUAL,
  stop_rule TEXT GENERATED ALWAYS AS (
    CASE WHEN json_valid(outcome_json) THEN json_extract(outcome_json, '$.stop_rule') END) VIRTUAL,
  error TEXT GENERATED ALWAYS AS (
    CASE WHEN json_valid(outcome_json) THEN json_extract(outcome_json, '$.error') END) VIRTUAL,
  baseline_config_json TEXT GENERATED ALWAYS AS (
    CASE WHEN json_valid(start_json) THEN json_extract(start_json, '$.baseline_config') END) VIRTUAL,
  final_config_json TEXT GENERATED ALWAYS AS (
    CASE WHEN json_valid(outcome_json) THEN json_extract(outcome_json, '$.final_config') END) VIRTUAL,
  outcome_json TEXT,
  started_at REAL,
  ended_at REAL,
  start_json TEXT
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

const char kEpisodeStoredColumns[] =
    "episode_id, run_id, task, policy, model, mode, seed, status, outcome_json, started_at, "
    "ended_at, start_json";

const char kStoreUpgradeFrom1Sql[] = R"sql(
ALTER TABLE llm_calls ADD COLUMN attempts INTEGER;
ALTER TABLE llm_calls ADD COLUMN error TEXT;
)sql";

}  // namespace ctxbench
