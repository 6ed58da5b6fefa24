#include "context/memory_index.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>

namespace ctxbench {
namespace {

Event Note(int64_t seq, const std::string& text) {
  Event e;
  e.seq = seq;
  e.type = EventType::kNote;
  e.data = {{"text", text}};
  return e;
}

Event Result(int64_t seq, const std::string& text) {
  Event e;
  e.seq = seq;
  e.type = EventType::kToolResult;
  e.message = Message{Role::kTool, text, {}, "c1", "train"};
  return e;
}

std::vector<int64_t> Seqs(const std::vector<MemoryHit>& hits) {
  std::vector<int64_t> out;
  for (const auto& h : hits) out.push_back(h.seq);
  return out;
}

TEST(Fts5QueryTest, QuotesDistinctLowercaseWordsOfThreeOrMoreCharacters) {
  EXPECT_EQ(Fts5Query("Max depth: 4, eta=0.1; max_depth \"x\" DEPTH"),
            "\"max\" OR \"depth\" OR \"eta\"");
  EXPECT_EQ(Fts5Query("a b c 12"), "");
  EXPECT_EQ(Fts5Query("one two three four", 2), "\"one\" OR \"two\"");
}

TEST(MemoryIndexTest, RanksByBm25AndSkipsItemsNotBeforeTheCut) {
  std::vector<Event> log = {Note(0, "learning rate sweep started"),
                            Result(1, "Experiment 1: max_depth 3 -> accuracy 0.81"),
                            Note(2, "depth matters more than learning rate"),
                            Result(3, "Experiment 2: max_depth 6 -> accuracy 0.84 depth"),
                            Note(4, "try a smaller eta"),
                            Note(5, "baseline was 0.80"),
                            Note(6, "subsample 0.8 helped")};
  MemoryIndex index;
  index.Update(log);
  auto hits = index.Search("depth", 100, 10);
  ASSERT_EQ(hits.size(), 3u);
  // Event 3 says "depth" twice in a short text: the best BM25 score (lowest).
  EXPECT_EQ(hits[0].seq, 3);
  EXPECT_EQ(hits[0].kind, "observation");
  EXPECT_LT(hits[0].score, hits[1].score);
  EXPECT_EQ(hits[1].kind == "note" ? hits[1].text : hits[2].text,
            "Note: depth matters more than learning rate");
  EXPECT_EQ(Seqs(index.Search("depth", 3, 10)), (std::vector<int64_t>{2, 1}));
  EXPECT_EQ(index.Search("depth", 100, 1).size(), 1u);
  EXPECT_TRUE(index.Search("nothing matches", 100, 5).empty());
  EXPECT_TRUE(index.Search("", 100, 5).empty());
}

// Items that do not mention `word`, so that it is rare enough to search for.
void AddFillers(std::vector<Event>& log, int n) {
  for (int i = 0; i < n; ++i) {
    log.push_back(Note(static_cast<int64_t>(log.size()), "filler " + std::to_string(i)));
  }
}

TEST(MemoryIndexTest, EqualScoresBreakTiesBySeq) {
  std::vector<Event> log = {Note(0, "same words here"), Note(1, "same words here"),
                            Note(2, "same words here")};
  AddFillers(log, 3);
  MemoryIndex index;
  index.Update(log);
  EXPECT_EQ(Seqs(index.Search("words", 100, 3)), (std::vector<int64_t>{0, 1, 2}));
}

TEST(MemoryIndexTest, WordsMostItemsContainOnlyFillTheTopK) {
  // "accuracy" is in 3 of 4 items (zero BM25 weight); "eta" is in one.
  std::vector<Event> log = {Note(0, "accuracy 0.8"), Note(1, "accuracy 0.7 with eta 0.1"),
                            Note(2, "accuracy 0.9"), Note(3, "subsample helped")};
  MemoryIndex index;
  index.Update(log);
  EXPECT_EQ(Seqs(index.Search("accuracy eta", 100, 1)), (std::vector<int64_t>{1}));
  auto filled = index.Search("accuracy eta", 100, 5);
  ASSERT_EQ(filled.size(), 3u);
  EXPECT_EQ(filled[0].seq, 1);  // the only item with "eta" still ranks first
  EXPECT_EQ(index.Search("accuracy", 100, 5).size(), 3u);
}

TEST(MemoryIndexTest, HoldsTheNewestItemsUpToItsCapacity) {
  std::vector<Event> log;
  for (int i = 0; i < 20; ++i) {
    log.push_back(Note(i, i % 2 ? "experiment record " + std::to_string(i) : "other"));
  }
  MemoryIndex bounded(8);
  bounded.Update(log);
  EXPECT_EQ(bounded.size(), 8u);
  EXPECT_EQ(bounded.horizon(), 12);
  EXPECT_EQ(Seqs(bounded.Search("experiment record", 100, 10)),
            (std::vector<int64_t>{13, 15, 17, 19}));

  // Fed one event at a time, the same items are held and found.
  MemoryIndex incremental(8);
  std::vector<Event> growing;
  for (const Event& e : log) {
    growing.push_back(e);
    incremental.Update(growing);
  }
  EXPECT_EQ(incremental.horizon(), 12);
  EXPECT_EQ(Seqs(incremental.Search("experiment record", 100, 10)),
            Seqs(bounded.Search("experiment record", 100, 10)));

  MemoryIndex roomy;
  roomy.Update(log);
  EXPECT_EQ(roomy.horizon(), -1);
  EXPECT_EQ(roomy.Search("experiment", 100, 20).size(), 10u);
}

TEST(MemoryIndexTest, NeverIndexesEarlierRetrievals) {
  std::vector<Event> log = {Result(0, "Retrieved for \"depth\": [1] depth 3"),
                            Result(1, "depth 3 was best"), Note(2, "filler")};
  MemoryIndex index;
  index.Update(log);
  EXPECT_EQ(Seqs(index.Search("depth", 100, 5)), (std::vector<int64_t>{1}));
}

// Random texts over a small vocabulary (so terms repeat and frequencies
// vary), with punctuation, digits, mixed case, underscores and short words.
std::string RandomText(std::mt19937& rng) {
  static const char* kWords[] = {"depth", "learning", "rate",  "accuracy",  "eta",   "max_depth",
                                 "0.81",  "Depth",    "ETA",   "subsample", "a",     "of",
                                 "trees", "x1",       "n_est", "loss",      "RMSLE", "baseline"};
  static const char* kSeparators[] = {" ", ", ", ": ", " -> ", "=", "\n", "(", ") ", "; "};
  std::uniform_int_distribution<int> length(1, 40), word(0, 17), sep(0, 8);
  std::string text;
  for (int i = 0, n = length(rng); i < n; ++i) {
    text += kWords[word(rng)];
    text += kSeparators[sep(rng)];
  }
  return text;
}

bool SameBits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// The in-memory ranking gives FTS5's own results, the same items in the same
// order with the same scores to the bit, over random memories (evicting and
// not), cuts, queries and k.
TEST(MemoryIndexTest, PostingListsRankExactlyAsFts5) {
  std::mt19937 rng(20261130);
  for (int trial = 0; trial < 40; ++trial) {
    size_t capacity = trial % 3 == 0 ? 7 : 1000;
    MemoryIndex fast(capacity), fts(capacity, MemoryIndex::Engine::kFts5);
    std::vector<Event> log;
    int events = 5 + trial * 2;
    for (int i = 0; i < events; ++i) {
      log.push_back(i % 2 ? Note(i, RandomText(rng)) : Result(i, RandomText(rng)));
      fast.Update(log);
      fts.Update(log);
      if (i % 4 != 3) continue;
      std::string query = RandomText(rng);
      for (int k : {1, 4, 10}) {
        for (int64_t before : {int64_t{i + 1}, int64_t{i / 2}}) {
          auto a = fast.Search(query, before, k), b = fts.Search(query, before, k);
          ASSERT_EQ(Seqs(a), Seqs(b)) << "trial " << trial << " query " << query;
          for (size_t h = 0; h < a.size(); ++h) {
            EXPECT_TRUE(SameBits(a[h].score, b[h].score))
                << a[h].score << " vs " << b[h].score << " trial " << trial;
            EXPECT_EQ(a[h].text, b[h].text);
          }
        }
      }
    }
  }
}

// A memory that holds non-ASCII text is searched by FTS5 (its tokenizer
// folds "Café" to "cafe"); once that item is evicted, by the posting lists.
TEST(MemoryIndexTest, NonAsciiTextIsSearchedByFts5) {
  std::vector<Event> log = {Note(0, "Café depth notes"), Note(1, "cafe depth"),
                            Note(2, "filler one"), Note(3, "filler two")};
  MemoryIndex index(4);
  index.Update(log);
  EXPECT_EQ(Seqs(index.Search("cafe", 100, 5)), (std::vector<int64_t>{1, 0}));
  log.push_back(Note(4, "filler three"));
  index.Update(log);  // evicts the non-ASCII item
  EXPECT_EQ(Seqs(index.Search("cafe", 100, 5)), (std::vector<int64_t>{1}));
  MemoryIndex fts(4, MemoryIndex::Engine::kFts5);
  fts.Update(log);
  EXPECT_EQ(Seqs(fts.Search("cafe", 100, 5)), (std::vector<int64_t>{1}));
}

}  // namespace
}  // namespace ctxbench
