#include "context/memory_index.h"

#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <unordered_map>

#include "context/memory_text.h"
#include "core/error.h"
#include "events/payloads.h"

namespace ctxbench {

namespace {

// The distinct lower-case words of `text` in order of appearance: runs of
// ASCII letters and digits, as FTS5's unicode61 tokenizer splits ASCII text.
std::vector<std::string> Words(const std::string& text) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  std::string word;
  auto flush = [&] {
    if (!word.empty() && seen.insert(word).second) out.push_back(word);
    word.clear();
  };
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      flush();
    }
  }
  flush();
  return out;
}

// The FTS5 query for `words` (distinct, lower case): those of 3+ characters,
// quoted and joined with OR; at most `max_terms`.
std::string QueryOf(const std::vector<std::string>& words, size_t max_terms = 32) {
  std::string out;
  size_t terms = 0;
  for (const std::string& w : words) {
    if (w.size() < 3) continue;
    if (terms++ == max_terms) break;
    out += (out.empty() ? "\"" : " OR \"") + w + "\"";
  }
  return out;
}

}  // namespace

struct MemoryIndex::Impl {
  sqlite3* db = nullptr;
  sqlite3_stmt* insert = nullptr;
  sqlite3_stmt* erase = nullptr;
  sqlite3_stmt* search = nullptr;
  size_t capacity = kDefaultMemoryItems;
  size_t seen = 0;
  int64_t horizon = -1;
  std::string metric = "metric";
  // The items held, oldest first (seq ascending, as they were added).
  std::deque<MemoryHit> items;
  // How many held items contain each word (document frequency).
  std::unordered_map<std::string, int> df;

  void Check(int rc, const char* what) const {
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
      ThrowRuntime("memory index", std::string(what) + ": " + sqlite3_errmsg(db));
    }
  }
  sqlite3_stmt* Prepare(const char* sql) {
    sqlite3_stmt* stmt = nullptr;
    Check(sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr), sql);
    return stmt;
  }
  void Add(int64_t seq, const std::string& kind, const std::string& text) {
    sqlite3_reset(insert);
    sqlite3_bind_int64(insert, 1, seq);
    sqlite3_bind_text(insert, 2, text.c_str(), static_cast<int>(text.size()), SQLITE_STATIC);
    Check(sqlite3_step(insert), "insert");
    items.push_back({seq, kind, text, 0});
    for (const std::string& w : Words(text)) ++df[w];
    while (items.size() > capacity) {
      sqlite3_reset(erase);
      sqlite3_bind_int64(erase, 1, items.front().seq);
      Check(sqlite3_step(erase), "evict");
      for (const std::string& w : Words(items.front().text)) {
        if (--df[w] == 0) df.erase(w);
      }
      items.pop_front();
      horizon = items.front().seq;
    }
  }
  // The top `k` items for the FTS5 query `q` (empty: none).
  std::vector<MemoryHit> Run(const std::string& q, int64_t before_seq, int k) {
    std::vector<MemoryHit> hits;
    if (q.empty()) return hits;
    sqlite3_reset(search);
    sqlite3_bind_text(search, 1, q.c_str(), static_cast<int>(q.size()), SQLITE_TRANSIENT);
    sqlite3_bind_int64(search, 2, before_seq);
    sqlite3_bind_int(search, 3, k);
    int rc;
    while ((rc = sqlite3_step(search)) == SQLITE_ROW) {
      MemoryHit h = Item(sqlite3_column_int64(search, 0));
      h.score = sqlite3_column_double(search, 1);
      hits.push_back(std::move(h));
    }
    Check(rc, "search");
    return hits;
  }
  const MemoryHit& Item(int64_t seq) const {
    auto it = std::lower_bound(items.begin(), items.end(), seq,
                               [](const MemoryHit& h, int64_t s) { return h.seq < s; });
    return *it;  // FTS5 only returns rows that are held
  }
};

MemoryIndex::MemoryIndex(size_t capacity) : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.capacity = std::max<size_t>(1, capacity);
  if (sqlite3_open(":memory:", &m.db) != SQLITE_OK) ThrowRuntime("memory index", "cannot open");
  // The rowid is the event's seq; kind and text are kept in `items`.
  m.Check(
      sqlite3_exec(m.db, "CREATE VIRTUAL TABLE items USING fts5(text)", nullptr, nullptr, nullptr),
      "create");
  m.insert = m.Prepare("INSERT INTO items(rowid, text) VALUES (?, ?)");
  m.erase = m.Prepare("DELETE FROM items WHERE rowid = ?");
  m.search = m.Prepare(
      "SELECT rowid, bm25(items) FROM items WHERE items MATCH ? AND rowid < ? "
      "ORDER BY bm25(items), rowid LIMIT ?");
}

MemoryIndex::~MemoryIndex() {
  sqlite3_finalize(impl_->insert);
  sqlite3_finalize(impl_->erase);
  sqlite3_finalize(impl_->search);
  sqlite3_close(impl_->db);
}

int64_t MemoryIndex::horizon() const { return impl_->horizon; }
size_t MemoryIndex::size() const { return impl_->items.size(); }

void MemoryIndex::Update(const std::vector<Event>& events) {
  Impl& m = *impl_;
  for (size_t i = m.seen; i < events.size(); ++i) {
    const Event& e = events[i];
    if (e.type == EventType::kEpisodeStart) {
      std::string metric = EpisodeStartData::FromJson(e.data).metric;
      if (!metric.empty()) m.metric = metric;
    } else if (std::optional<MemoryItem> item = MemoryText(e, m.metric)) {
      m.Add(e.seq, item->kind, item->text);
    }
  }
  m.seen = events.size();
}

std::vector<MemoryHit> MemoryIndex::Search(const std::string& query, int64_t before_seq,
                                           int k) const {
  if (k <= 0) return {};
  Impl& m = *impl_;
  // Words no held item contains match nothing: left out. Words in more than
  // half of the items have a BM25 weight of zero (FTS5 clamps their negative
  // IDF to 1e-6) yet make FTS5 score nearly every row: they are searched only
  // when the rarer words match fewer than k items. The ranking is FTS5's
  // either way; a search costs what the rarer words match.
  std::vector<std::string> rare, all;
  for (std::string& w : Words(query)) {
    auto it = m.df.find(w);
    if (it == m.df.end()) continue;
    if (2 * static_cast<size_t>(it->second) <= m.items.size()) rare.push_back(w);
    all.push_back(std::move(w));
  }
  std::vector<MemoryHit> hits = m.Run(QueryOf(rare), before_seq, k);
  if (all.size() > rare.size() && hits.size() < static_cast<size_t>(k)) {
    hits = m.Run(QueryOf(all), before_seq, k);
  }
  return hits;
}

std::string Fts5Query(const std::string& text, size_t max_terms) {
  return QueryOf(Words(text), max_terms);
}

}  // namespace ctxbench
