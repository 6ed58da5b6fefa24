// The SQL schema of results.db. docs/store.md documents every table and column;
// change both together and bump kStoreSchemaVersion.
#pragma once

namespace ctxbench {

// Stored in PRAGMA user_version; Open() upgrades a database of version 1 with
// kStoreUpgradeFrom1Sql and refuses any other version.
// Version 2: llm_calls gained `attempts` and `error` (failed calls are rows).
inline constexpr int kStoreSchemaVersion = 2;

// CREATE TABLE / INDEX IF NOT EXISTS statements for every table.
extern const char kStoreSchemaSql[];

// ALTER statements that bring a version 1 database to the current version
// (the new columns are NULL in old rows).
extern const char kStoreUpgradeFrom1Sql[];

}  // namespace ctxbench
