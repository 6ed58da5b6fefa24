#include "context/memory_index.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <unordered_map>
#include <utility>

#include "context/memory_text.h"
#include "core/sqlite_db.h"
#include "events/payloads.h"

namespace ctxbench {

namespace {

// An item's terms as FTS5's unicode61 tokenizer sees ASCII text: each
// distinct lower-case word (run of ASCII letters and digits) with how often
// it occurs, in order of first appearance, and the number of tokens.
struct TermCounts {
  std::vector<std::pair<std::string, int>> terms;
  int tokens = 0;
  bool ascii = true;  // no byte >= 0x80 (else unicode61 may split differently)
};

TermCounts CountTerms(const std::string& text) {
  TermCounts out;
  std::unordered_map<std::string, size_t> index;
  std::string word;
  auto flush = [&] {
    if (word.empty()) return;
    ++out.tokens;
    auto [it, added] = index.emplace(word, out.terms.size());
    if (added) {
      out.terms.push_back({word, 1});
    } else {
      ++out.terms[it->second].second;
    }
    word.clear();
  };
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) out.ascii = false;
    if (std::isalnum(static_cast<unsigned char>(c))) {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      flush();
    }
  }
  flush();
  return out;
}

// The distinct lower-case words of `text` in order of appearance: runs of
// ASCII letters and digits, as FTS5's unicode61 tokenizer splits ASCII text.
std::vector<std::string> Words(const std::string& text) {
  TermCounts counts = CountTerms(text);
  std::vector<std::string> out;
  out.reserve(counts.terms.size());
  for (auto& term : counts.terms) out.push_back(std::move(term.first));
  return out;
}

// The query terms of `words` (distinct, lower case): those of 3+
// characters, at most `max_terms`.
std::vector<std::string> QueryTerms(const std::vector<std::string>& words, size_t max_terms = 32) {
  std::vector<std::string> out;
  for (const std::string& w : words) {
    if (w.size() < 3) continue;
    if (out.size() == max_terms) break;
    out.push_back(w);
  }
  return out;
}

// The FTS5 query for `terms`: quoted and joined with OR.
std::string QueryOf(const std::vector<std::string>& terms) {
  std::string out;
  for (const std::string& w : terms) out += (out.empty() ? "\"" : " OR \"") + w + "\"";
  return out;
}

}  // namespace

struct MemoryIndex::Impl {
  // One held item in a term's posting list. (A member, not file-local: a
  // member of file-local type would warn in a unity build, where this file
  // is an included one: -Wsubobject-linkage.)
  struct Posting {
    int64_t seq;
    int freq;    // occurrences of the term in the item
    int tokens;  // the item's length in tokens
  };

  // The FTS5 table, in memory, and its three statements (owned by `db`).
  SqliteDb db{":memory:"};
  Statement* insert = nullptr;
  Statement* erase = nullptr;
  Statement* search = nullptr;
  size_t capacity = kDefaultMemoryItems;
  size_t seen = 0;
  int64_t horizon = -1;
  std::string metric = "metric";
  // The items held, oldest first (seq ascending, as they were added).
  std::deque<MemoryHit> items;
  // Per term, the held items that contain it, seq ascending (its size is
  // the term's document frequency).
  std::unordered_map<std::string, std::deque<Posting>> postings;
  int64_t total_tokens = 0;  // tokens of all held items
  int non_ascii = 0;         // held items with a byte >= 0x80
  // Whether the FTS5 table holds the items: it is filled only when a search
  // needs it (an item that is not ASCII is held), then kept in step.
  bool fts_filled = false;
  bool always_fts = false;  // Engine::kFts5

  void FtsInsert(int64_t seq, const std::string& text) {
    insert->Reset();
    insert->Bind(1, seq).Bind(2, text).Run();
  }
  // Fills the FTS5 table with the held items, once.
  void FillFts() {
    if (fts_filled) return;
    for (const MemoryHit& h : items) FtsInsert(h.seq, h.text);
    fts_filled = true;
  }
  void Add(int64_t seq, const std::string& kind, const std::string& text) {
    if (fts_filled) FtsInsert(seq, text);
    items.push_back({seq, kind, text, 0});
    TermCounts counts = CountTerms(text);
    for (const auto& [term, freq] : counts.terms) {
      postings[term].push_back({seq, freq, counts.tokens});
    }
    total_tokens += counts.tokens;
    if (!counts.ascii) ++non_ascii;
    while (items.size() > capacity) {
      if (fts_filled) {
        erase->Reset();
        erase->Bind(1, items.front().seq).Run();
      }
      TermCounts old = CountTerms(items.front().text);
      for (const auto& [term, freq] : old.terms) {
        auto it = postings.find(term);
        it->second.pop_front();  // the oldest item is first in every list
        if (it->second.empty()) postings.erase(it);
      }
      total_tokens -= old.tokens;
      if (!old.ascii) --non_ascii;
      items.pop_front();
      horizon = items.front().seq;
    }
  }
  // How many held items contain `term`.
  size_t DocumentFrequency(const std::string& term) const {
    auto it = postings.find(term);
    return it == postings.end() ? 0 : it->second.size();
  }
  // The top `k` items matching any of `terms`, by FTS5's bm25() then seq.
  std::vector<MemoryHit> Run(const std::vector<std::string>& terms, int64_t before_seq, int k) {
    if (terms.empty()) return {};
    if (always_fts || non_ascii > 0) {
      FillFts();
      return RunFts(QueryOf(terms), before_seq, k);
    }
    return RunBm25(terms, before_seq, k);
  }
  // The search through FTS5 itself: `SELECT ... ORDER BY bm25(items), rowid`.
  std::vector<MemoryHit> RunFts(const std::string& q, int64_t before_seq, int k) {
    std::vector<MemoryHit> hits;
    if (q.empty()) return hits;
    search->Reset();
    search->Bind(1, q).Bind(2, before_seq).Bind(3, static_cast<int64_t>(k));
    while (search->Step()) {
      MemoryHit h = Item(search->Int(0));
      h.score = search->Real(1);
      hits.push_back(std::move(h));
    }
    return hits;
  }
  // The same search over the posting lists, for ASCII items (where these
  // terms are exactly unicode61's tokens): FTS5's bm25() (fts5_aux.c,
  // fts5Bm25Function: k1 1.2, b 0.75, IDF floored at 1e-6) computed with the
  // same operations in the same order, so the scores are the same doubles.
  // A term an item lacks adds an exact 0 there, so only postings are summed
  // (term by term, in query order, as FTS5 sums).
  std::vector<MemoryHit> RunBm25(const std::vector<std::string>& terms, int64_t before_seq, int k) {
    const double k1 = 1.2;
    const double b = 0.75;
    const int64_t rows = static_cast<int64_t>(items.size());
    const double avgdl = static_cast<double>(total_tokens) / static_cast<double>(rows);
    std::unordered_map<int64_t, double> score;
    for (const std::string& term : terms) {
      auto it = postings.find(term);
      if (it == postings.end()) continue;
      const int64_t hits = static_cast<int64_t>(it->second.size());
      double idf = std::log((rows - hits + 0.5) / (hits + 0.5));
      if (idf <= 0.0) idf = 1e-6;
      for (const Posting& p : it->second) {
        if (p.seq >= before_seq) break;
        const double freq = p.freq, size = p.tokens;
        score[p.seq] += idf * ((freq * (k1 + 1.0)) / (freq + k1 * (1 - b + b * size / avgdl)));
      }
    }
    std::vector<std::pair<double, int64_t>> ranked;  // (bm25, seq)
    ranked.reserve(score.size());
    for (const auto& [seq, sum] : score) ranked.push_back({-1.0 * sum, seq});
    size_t n = std::min(ranked.size(), static_cast<size_t>(k));
    std::partial_sort(ranked.begin(), ranked.begin() + n, ranked.end());
    std::vector<MemoryHit> out;
    out.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      MemoryHit h = Item(ranked[i].second);
      h.score = ranked[i].first;
      out.push_back(std::move(h));
    }
    return out;
  }
  const MemoryHit& Item(int64_t seq) const {
    auto it = std::lower_bound(items.begin(), items.end(), seq,
                               [](const MemoryHit& h, int64_t s) { return h.seq < s; });
    return *it;  // only held items are searched
  }
};

MemoryIndex::MemoryIndex(size_t capacity, Engine engine) : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.capacity = std::max<size_t>(1, capacity);
  m.always_fts = engine == Engine::kFts5;
  m.fts_filled = m.always_fts;
  // The rowid is the event's seq; kind and text are kept in `items`.
  m.db.Exec("CREATE VIRTUAL TABLE items USING fts5(text)");
  m.insert = &m.db.Prepare("INSERT INTO items(rowid, text) VALUES (?, ?)");
  m.erase = &m.db.Prepare("DELETE FROM items WHERE rowid = ?");
  m.search = &m.db.Prepare(
      "SELECT rowid, bm25(items) FROM items WHERE items MATCH ? AND rowid < ? "
      "ORDER BY bm25(items), rowid LIMIT ?");
}

MemoryIndex::~MemoryIndex() = default;

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
    size_t df = m.DocumentFrequency(w);
    if (df == 0) continue;
    if (2 * df <= m.items.size()) rare.push_back(w);
    all.push_back(std::move(w));
  }
  std::vector<MemoryHit> hits = m.Run(QueryTerms(rare), before_seq, k);
  if (all.size() > rare.size() && hits.size() < static_cast<size_t>(k)) {
    hits = m.Run(QueryTerms(all), before_seq, k);
  }
  return hits;
}

std::string Fts5Query(const std::string& text, size_t max_terms) {
  return QueryOf(QueryTerms(Words(text), max_terms));
}

}  // namespace ctxbench
