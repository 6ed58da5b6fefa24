// The SQL schema of results.db. docs/store.md documents every table and column;
// change both together and bump kStoreSchemaVersion.
#pragma once

namespace ctxbench {

// Stored in PRAGMA user_version; SqliteStore::Open upgrades a database of an
// older version (UpgradeStore, store/store_upgrade.h) and refuses a newer one.
// Version 2: llm_calls gained `attempts` and `error` (failed calls are rows).
// Version 3: the episodes' outcome columns are generated columns over
// `outcome_json` (and the start's over `start_json`), no longer copies.
inline constexpr int kStoreSchemaVersion = 3;

// CREATE TABLE / INDEX IF NOT EXISTS statements for every table.
extern const char kStoreSchemaSql[];

// The columns of `episodes` that hold values (every other column is
// generated from these), comma-separated: what a copy of episode rows
// between stores names (INSERT INTO episodes (<these>) SELECT <these> ...).
extern const char kEpisodeStoredColumns[];

// ALTER statements that bring a version 1 database to the current version
// (the new columns are NULL in old rows).
extern const char kStoreUpgradeFrom1Sql[];

}  // namespace ctxbench
