#include "run/merge_files.h"

#include <filesystem>

#include "core/error.h"
#include "core/file.h"
#include "core/sqlite_db.h"
#include "store/sqlite_store.h"
#include "store/store_schema.h"

namespace ctxbench {

namespace fs = std::filesystem;

namespace {

// The tables whose rows belong to one episode (docs/store.md).
constexpr const char* kEpisodeTables[] = {"episodes", "steps", "llm_calls", "experiments",
                                          "events"};

std::string SqlQuote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

// Attaches `path` as schema `shard` for its lifetime.
class Attached {
 public:
  Attached(SqliteDb& db, const std::string& path) : db_(db) {
    db_.Exec("ATTACH DATABASE " + SqlQuote(path) + " AS shard");
  }
  ~Attached() {
    try {
      db_.Exec("DETACH DATABASE shard");
    } catch (const std::exception&) {  // the connection is closed next anyway
    }
  }
  Attached(const Attached&) = delete;
  Attached& operator=(const Attached&) = delete;

 private:
  SqliteDb& db_;
};

void FillKeep(SqliteDb& db, const std::set<std::string>& ids) {
  db.Exec("DELETE FROM temp.keep");
  for (const auto& id : ids) {
    Statement& insert = db.Prepare("INSERT INTO temp.keep(episode_id) VALUES (?)");
    insert.Bind(1, id).Run();
    insert.Reset();
  }
}

void CopyTree(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::copy(from, to, fs::copy_options::recursive | fs::copy_options::copy_symlinks, ec);
  if (ec) ThrowRuntime(from.string(), "cannot copy to " + to.string() + ": " + ec.message());
}

}  // namespace

void MergeStores(const std::string& out_dir, const MergedRunRow& run,
                 const std::vector<ShardPart>& parts) {
  std::string path = (fs::path(out_dir) / "results.db").string();
  {
    auto store = SqliteStore::Open(path);  // schema and version
    store->BeginRun(run.run_id, run.name, run.config_json, run.started_at);
    store->FinishRun(run.run_id, run.status, run.finished_at);
  }
  SqliteDb db(path);
  db.Exec("PRAGMA busy_timeout = 10000");
  db.Exec("CREATE TEMP TABLE keep (episode_id TEXT PRIMARY KEY)");
  for (const ShardPart& part : parts) {
    Attached shard(db, (fs::path(part.dir) / "results.db").string());
    FillKeep(db, part.episode_ids);
    Transaction tx(db);
    for (const char* table : kEpisodeTables) {
      // `episodes` names its stored columns: its generated ones take no value.
      std::string columns =
          std::string(table) == "episodes" ? std::string(kEpisodeStoredColumns) : "*";
      std::string into = columns == "*" ? "" : " (" + columns + ")";
      db.Exec(std::string("INSERT INTO main.") + table + into + " SELECT " + columns +
              " FROM shard." + table + " WHERE episode_id IN (SELECT episode_id FROM temp.keep)");
    }
    tx.Commit();
  }
  Statement& set_run = db.Prepare("UPDATE main.episodes SET run_id = ?");
  set_run.Bind(1, run.run_id).Run();
  set_run.Reset();
}

void MergeCallCaches(const std::string& out_dir, const std::vector<ShardPart>& parts) {
  std::string path = (fs::path(out_dir) / "calls.db").string();
  std::unique_ptr<SqliteDb> db;
  for (const ShardPart& part : parts) {
    std::string from = (fs::path(part.dir) / "calls.db").string();
    if (!fs::exists(from)) continue;
    if (!db) {
      db = std::make_unique<SqliteDb>(path);
      db->Exec("PRAGMA journal_mode = WAL");
    }
    Attached shard(*db, from);
    std::vector<std::pair<std::string, std::string>> tables;  // name, CREATE statement
    {
      Statement& list = db->Prepare(
          "SELECT name, sql FROM shard.sqlite_master WHERE type = 'table' AND "
          "name NOT LIKE 'sqlite_%'");
      while (list.Step()) tables.emplace_back(list.Text(0), list.Text(1));
      list.Reset();
    }
    Transaction tx(*db);
    for (const auto& [name, create] : tables) {
      Statement& has = db->Prepare("SELECT count(*) FROM main.sqlite_master WHERE name = ?");
      bool exists = has.Bind(1, name).Step() && has.Int(0) > 0;
      has.Reset();
      if (!exists) db->Exec(create);
      db->Exec("INSERT OR IGNORE INTO main.\"" + name + "\" SELECT * FROM shard.\"" + name + "\"");
    }
    tx.Commit();
  }
}

void CopyEpisodeFiles(const std::string& out_dir, const std::vector<ShardPart>& parts) {
  fs::path out(out_dir);
  MakeWritableDir((out / "traces").string());
  for (const ShardPart& part : parts) {
    fs::path dir(part.dir);
    for (const auto& id : part.episode_ids) {
      fs::path trace = dir / "traces" / (id + ".jsonl");
      if (fs::exists(trace)) CopyTree(trace, out / "traces" / trace.filename());
      for (const char* suffix : {"", ".hidden", ".snapshots"}) {
        fs::path workspace = dir / "workspaces" / (id + suffix);
        if (!fs::exists(workspace)) continue;
        MakeWritableDir((out / "workspaces").string());
        CopyTree(workspace, out / "workspaces" / workspace.filename());
      }
    }
  }
}

}  // namespace ctxbench
