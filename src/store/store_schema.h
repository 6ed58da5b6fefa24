// The SQL schema of results.db. docs/store.md documents every table and column;
// change both together and bump kStoreSchemaVersion.
#pragma once

namespace ctxbench {

// Stored in PRAGMA user_version; Open() refuses a database of another version.
inline constexpr int kStoreSchemaVersion = 1;

// CREATE TABLE / INDEX IF NOT EXISTS statements for every table.
extern const char kStoreSchemaSql[];

}  // namespace ctxbench
