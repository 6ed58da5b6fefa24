#include "core/sqlite_db.h"

#include <cctype>
#include <cstdio>
#include <filesystem>

#include "core/error.h"

namespace ctxbench {

namespace {
[[noreturn]] void Fail(sqlite3* db, const std::string& where, const std::string& what) {
  ThrowRuntime(where, what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}
// A file: URI for `path` (percent-encoded), read-only; immutable when no
// writer has the database open.
std::string ReadOnlyUri(const std::string& path, bool writer) {
  std::string uri = "file:";
  std::string absolute = std::filesystem::absolute(path).string();
  for (unsigned char c : absolute) {
    if (std::isalnum(c) || c == '/' || c == '.' || c == '-' || c == '_' || c == '~') {
      uri += static_cast<char>(c);
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", c);
      uri += hex;
    }
  }
  return uri + (writer ? "?mode=ro" : "?mode=ro&immutable=1");
}

}  // namespace

Statement::Statement(sqlite3* db, const std::string& sql, const std::string& where)
    : db_(db), where_(where) {
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK) {
    Fail(db_, where_, "cannot prepare '" + sql + "'");
  }
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::BindNull(int index) {
  if (sqlite3_bind_null(stmt_, index) != SQLITE_OK) Fail(db_, where_, "bind");
  return *this;
}

Statement& Statement::Bind(int index, const std::string& text) {
  if (sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()),
                        SQLITE_TRANSIENT) != SQLITE_OK) {
    Fail(db_, where_, "bind");
  }
  return *this;
}

Statement& Statement::Bind(int index, int64_t value) {
  if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) Fail(db_, where_, "bind");
  return *this;
}

Statement& Statement::Bind(int index, double value) {
  if (sqlite3_bind_double(stmt_, index, value) != SQLITE_OK) Fail(db_, where_, "bind");
  return *this;
}

Statement& Statement::BindJson(int index, const Json* value) {
  if (value == nullptr || value->is_null()) return BindNull(index);
  if (value->is_boolean()) return Bind(index, static_cast<int64_t>(value->get<bool>() ? 1 : 0));
  if (value->is_number_integer()) return Bind(index, value->get<int64_t>());
  if (value->is_number_unsigned()) return Bind(index, static_cast<int64_t>(value->get<uint64_t>()));
  if (value->is_number()) return Bind(index, value->get<double>());
  if (value->is_string()) return Bind(index, value->get<std::string>());
  return Bind(index, value->dump(-1, ' ', false, Json::error_handler_t::replace));
}

Statement& Statement::BindField(int index, const Json& json, const char* key) {
  if (!json.is_object()) return BindNull(index);
  auto it = json.find(key);
  return BindJson(index, it == json.end() ? nullptr : &*it);
}

bool Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Fail(db_, where_, "query failed");
}

void Statement::Run() {
  while (Step()) {
  }
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool Statement::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

int64_t Statement::Int(int column) const { return sqlite3_column_int64(stmt_, column); }

double Statement::Real(int column) const { return sqlite3_column_double(stmt_, column); }

std::string Statement::Text(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return "";
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::optional<int64_t> Statement::OptInt(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Int(column);
}

std::optional<double> Statement::OptReal(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Real(column);
}

SqliteDb::SqliteDb(const std::string& path, SqliteAccess access) : path_(path) {
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  std::string name = path;
  if (access == SqliteAccess::kReadOnly) {
    flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX;
    std::error_code ec;
    bool writer = std::filesystem::exists(path + "-wal", ec);
    name = ReadOnlyUri(path, writer);
  }
  if (sqlite3_open_v2(name.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    ThrowRuntime(path, "cannot open the results database: " + message);
  }
}

SqliteDb::~SqliteDb() {
  statements_.clear();  // finalize before closing
  sqlite3_close(db_);
}

void SqliteDb::Exec(const std::string& sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : sqlite3_errmsg(db_);
    sqlite3_free(error);
    ThrowRuntime(path_, message);
  }
}

Statement& SqliteDb::Prepare(const std::string& sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    it = statements_.emplace(sql, std::make_unique<Statement>(db_, sql, path_)).first;
  }
  it->second->Reset();
  return *it->second;
}

Transaction::Transaction(SqliteDb& db) : db_(db) { db_.Exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
  if (done_) return;
  try {
    db_.Exec("ROLLBACK");
  } catch (...) {
    // Nothing to do: a failed rollback leaves SQLite to roll back on close.
  }
}

void Transaction::Commit() {
  db_.Exec("COMMIT");
  done_ = true;
}

}  // namespace ctxbench
