// Upgrades a results database of an older schema version in place
// (docs/store.md, "Schema versions").
#pragma once

#include <cstdint>
#include <string>

#include "core/sqlite_db.h"

namespace ctxbench {

// Brings `db` from schema version `from` (1 or 2) to kStoreSchemaVersion:
// version 1 gains llm_calls' `attempts` and `error` (NULL in old rows);
// versions 1 and 2 have their `episodes` table rebuilt with generated
// columns, each row keeping its stored values (start facts move into
// `start_json`). Leaves PRAGMA user_version to the caller.
//
// REQUIRES: inside a write transaction, which the caller commits (so a
// failure leaves the database as it was).
// Throws a runtime Error naming `path` when a row's old column differs from
// what its generated column would read (a value the upgrade would lose),
// naming the episode and the column; SQLite errors throw as SqliteDb's do.
void UpgradeStore(SqliteDb& db, int64_t from, const std::string& path);

}  // namespace ctxbench
