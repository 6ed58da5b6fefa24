// Read-only access to a run's results.db, for readers that must never change
// a run folder (the report, the viewer).
#pragma once

#include <memory>
#include <string>

namespace ctxbench {

class SqliteDb;

// Opens the results database at `path` read-only (SqliteAccess::kReadOnly:
// no write to the database, no journal mode switch, no user_version write,
// no -wal/-shm file created when no writer has it open) and checks that it
// is a store of a schema version this ctxbench reads (1 or 2).
// Throws a runtime ctxbench::Error naming `path` if the file is missing, is
// not a results database or has another schema version.
// The returned handle is not thread-safe; open one per thread.
std::unique_ptr<SqliteDb> OpenStoreReadOnly(const std::string& path);

}  // namespace ctxbench
