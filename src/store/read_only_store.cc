#include "store/read_only_store.h"

#include <filesystem>

#include "core/error.h"
#include "core/sqlite_db.h"
#include "store/store_schema.h"

namespace ctxbench {

std::unique_ptr<SqliteDb> OpenStoreReadOnly(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    ThrowRuntime(path, "no results database here");
  }
  auto db = std::make_unique<SqliteDb>(path, SqliteAccess::kReadOnly);
  // A reader waits for a writer's checkpoint instead of failing at once.
  db->Exec("PRAGMA busy_timeout = 10000");
  Statement& version = db->Prepare("PRAGMA user_version");
  int64_t found = version.Step() ? version.Int(0) : 0;
  version.Reset();
  if (found < 1 || found > kStoreSchemaVersion) {
    ThrowRuntime(path, found == 0 ? std::string("not a ctxbench results database")
                                  : "results database has schema version " + std::to_string(found) +
                                        ", this ctxbench reads 1 to " +
                                        std::to_string(kStoreSchemaVersion));
  }
  return db;
}

}  // namespace ctxbench
