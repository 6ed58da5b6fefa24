#include "context/memory_index.h"

#include <sqlite3.h>

#include <cctype>
#include <set>

#include "context/result_text.h"
#include "core/error.h"

namespace ctxbench {

struct MemoryIndex::Impl {
  sqlite3* db = nullptr;
  sqlite3_stmt* insert = nullptr;
  sqlite3_stmt* search = nullptr;
  size_t seen = 0;
  std::string metric = "metric";

  void Check(int rc, const char* what) const {
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
      ThrowRuntime("memory index", std::string(what) + ": " + sqlite3_errmsg(db));
    }
  }
  void Add(int64_t seq, const char* kind, const std::string& text) {
    sqlite3_reset(insert);
    sqlite3_bind_int64(insert, 1, seq);
    sqlite3_bind_text(insert, 2, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 3, text.c_str(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    Check(sqlite3_step(insert), "insert");
  }
};

MemoryIndex::MemoryIndex() : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  if (sqlite3_open(":memory:", &m.db) != SQLITE_OK) ThrowRuntime("memory index", "cannot open");
  m.Check(sqlite3_exec(m.db,
                       "CREATE VIRTUAL TABLE items USING fts5(seq UNINDEXED, kind UNINDEXED, text)",
                       nullptr, nullptr, nullptr),
          "create");
  m.Check(sqlite3_prepare_v2(m.db, "INSERT INTO items(seq, kind, text) VALUES (?, ?, ?)", -1,
                             &m.insert, nullptr),
          "prepare insert");
  m.Check(sqlite3_prepare_v2(m.db,
                             "SELECT seq, kind, text, bm25(items) FROM items WHERE items MATCH ? "
                             "AND seq < ? ORDER BY bm25(items), seq LIMIT ?",
                             -1, &m.search, nullptr),
          "prepare search");
}

MemoryIndex::~MemoryIndex() {
  sqlite3_finalize(impl_->insert);
  sqlite3_finalize(impl_->search);
  sqlite3_close(impl_->db);
}

void MemoryIndex::Update(const std::vector<Event>& events) {
  Impl& m = *impl_;
  for (size_t i = m.seen; i < events.size(); ++i) {
    const Event& e = events[i];
    switch (e.type) {
      case EventType::kEpisodeStart:
        m.metric = ValueOr(e.data, "metric", m.metric);
        break;
      case EventType::kToolResult:
      case EventType::kObservation:
        if (e.message && e.message->content.rfind("Retrieved", 0) != 0) {
          m.Add(e.seq, "observation", e.message->content);
        }
        break;
      case EventType::kNote:
        m.Add(e.seq, "note", "Note: " + ValueOr(e.data, "text", std::string()));
        break;
      case EventType::kClarification:
        m.Add(e.seq, "clarification", ValueOr(e.data, "answer", std::string()));
        break;
      case EventType::kExperiment: {
        int n = ValueOr(e.data, "experiment", 0);
        Json config = ValueOr(e.data, "config", Json::object());
        m.Add(e.seq, "experiment",
              ValueOr(e.data, "ok", false)
                  ? ExperimentResultText(n, m.metric, config, ValueOr(e.data, "valid_metric", 0.0))
                  : ExperimentFailedText(n, config, ValueOr(e.data, "error", std::string())));
        break;
      }
      default:
        break;
    }
  }
  m.seen = events.size();
}

std::vector<MemoryHit> MemoryIndex::Search(const std::string& query, int64_t before_seq,
                                           int k) const {
  std::vector<MemoryHit> hits;
  std::string q = Fts5Query(query);
  if (q.empty() || k <= 0) return hits;
  Impl& m = *impl_;
  sqlite3_reset(m.search);
  sqlite3_bind_text(m.search, 1, q.c_str(), static_cast<int>(q.size()), SQLITE_TRANSIENT);
  sqlite3_bind_int64(m.search, 2, before_seq);
  sqlite3_bind_int(m.search, 3, k);
  int rc;
  while ((rc = sqlite3_step(m.search)) == SQLITE_ROW) {
    MemoryHit h;
    h.seq = sqlite3_column_int64(m.search, 0);
    h.kind = reinterpret_cast<const char*>(sqlite3_column_text(m.search, 1));
    h.text = reinterpret_cast<const char*>(sqlite3_column_text(m.search, 2));
    h.score = sqlite3_column_double(m.search, 3);
    hits.push_back(std::move(h));
  }
  m.Check(rc, "search");
  return hits;
}

std::string Fts5Query(const std::string& text, size_t max_terms) {
  std::set<std::string> seen;
  std::string out, word;
  auto flush = [&] {
    if (word.size() >= 3 && seen.size() < max_terms && seen.insert(word).second) {
      out += (out.empty() ? "\"" : " OR \"") + word + "\"";
    }
    word.clear();
  };
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      flush();
    }
  }
  flush();
  return out;
}

}  // namespace ctxbench
