// A thin RAII layer over the SQLite C API, for every layer that keeps a
// database (the store, the response cache, the context memory).
//
// Only .cc files include this header; public headers never see sqlite3 types.
// Error channel: every failure throws a runtime ctxbench::Error naming the
// database file and SQLite's message. Not thread-safe: the owner serializes.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "core/json.h"

namespace ctxbench {

// A prepared statement, reset and cleared by Reset(). Owned by SqliteDb.
class Statement {
 public:
  Statement(sqlite3* db, const std::string& sql, const std::string& where);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Binds by 1-based index.
  Statement& BindNull(int index);
  Statement& Bind(int index, const std::string& text);
  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, double value);
  // Binds a JSON value by type: null or absent -> NULL, bool -> 0/1, numbers,
  // strings as text, objects and arrays as compact JSON text.
  Statement& BindJson(int index, const Json* value);
  // Binds json[key] if `json` is an object holding `key`, else NULL.
  Statement& BindField(int index, const Json& json, const char* key);

  // Runs one step: true when a row is available, false when done.
  bool Step();
  // Runs to completion (for statements that return no rows).
  void Run();
  void Reset();

  bool IsNull(int column) const;
  int64_t Int(int column) const;
  double Real(int column) const;
  std::string Text(int column) const;
  std::optional<int64_t> OptInt(int column) const;
  std::optional<double> OptReal(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  std::string where_;
};

// How a database is opened. kReadOnly never writes: not the database, not its
// journal, not a -wal or -shm file (see SqliteDb's constructor).
enum class SqliteAccess { kReadWrite, kReadOnly };

class SqliteDb {
 public:
  // kReadWrite: opens or creates `path`. kReadOnly: opens an existing `path`
  // with SQLITE_OPEN_READONLY; when no `path`-wal file exists (no writer has
  // it open) also as `immutable`, so SQLite creates no -wal or -shm file
  // beside it; while one exists, `mode=ro` reads the writer's committed
  // transactions. Throws a runtime error naming `path` if it cannot open it.
  explicit SqliteDb(const std::string& path, SqliteAccess access = SqliteAccess::kReadWrite);
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  // Runs one or more statements without results.
  void Exec(const std::string& sql);
  // A cached prepared statement for `sql`, reset and ready to bind.
  Statement& Prepare(const std::string& sql);
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
  std::map<std::string, std::unique_ptr<Statement>> statements_;
};

// Runs BEGIN IMMEDIATE on construction, COMMIT on Commit(), ROLLBACK if
// destroyed without committing (an exception unwound through it).
class Transaction {
 public:
  explicit Transaction(SqliteDb& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void Commit();

 private:
  SqliteDb& db_;
  bool done_ = false;
};

}  // namespace ctxbench
