#include "agent/memory_retriever.h"

#include <gtest/gtest.h>

#include "context/result_text.h"

namespace ctxbench {
namespace {

Event Ev(int64_t seq, EventType type, Json data, std::optional<Message> m = std::nullopt) {
  Event e;
  e.seq = seq;
  e.type = type;
  e.data = std::move(data);
  e.message = std::move(m);
  return e;
}

Message Tool(const std::string& text) { return {Role::kTool, text, {}, "c", "t"}; }

// A log with a note, an experiment and the tool result that reported it (the
// same text), an unrelated observation and an earlier retrieval.
std::vector<Event> Log() {
  Json config = {{"max_depth", 4}};
  std::string result = ExperimentResultText(1, "accuracy", config, 0.91);
  return {
      Ev(0, EventType::kEpisodeStart, {{"metric", "accuracy"}}),
      Ev(1, EventType::kNote, {{"text", "deeper trees overfit; try max_depth 4"}}),
      Ev(2, EventType::kExperiment,
         {{"experiment", 1}, {"config", config}, {"ok", true}, {"valid_metric", 0.91}}),
      Ev(3, EventType::kToolResult, {{"tool", "train"}, {"ok", true}}, Tool(result)),
      Ev(4, EventType::kObservation, Json::object(),
         Message{Role::kUser, "Iteration 2 of 5.", {}, "", ""}),
      Ev(5, EventType::kToolResult, {{"tool", "retrieve"}, {"ok", true}},
         Tool("Retrieved for \"depth\": max_depth")),
  };
}

TEST(MemoryRetriever, RanksByBm25AndRecordsHits) {
  MemoryRetriever memory;
  auto r = memory.Retrieve(Log(), "which max_depth overfit?", 3);
  ASSERT_EQ(r.hits.size(), 2u) << r.text;  // the note, and the experiment once
  EXPECT_EQ(r.hits[0].seq, 1);             // matches "overfit" and "max_depth"
  EXPECT_EQ(r.hits[0].kind, "note");
  EXPECT_EQ(r.hits[0].text, "Note: deeper trees overfit; try max_depth 4");
  EXPECT_EQ(r.hits[1].seq, 2);  // the record, not its duplicate tool result (seq 3)
  EXPECT_EQ(r.hits[1].kind, "experiment");
  EXPECT_LT(r.hits[0].bm25, r.hits[1].bm25);  // lower is better
  EXPECT_EQ(r.text.rfind("Retrieved for \"which max_depth overfit?\" (BM25, best first):", 0), 0u);
  EXPECT_NE(r.text.find("\n[event 1, note] Note: deeper trees overfit"), std::string::npos);
  EXPECT_EQ(r.text.find("[event 5"), std::string::npos);  // never retrieves retrievals
}

TEST(MemoryRetriever, KeepsAtMostKAndSeesNewEvents) {
  MemoryRetriever memory;
  std::vector<Event> log = Log();
  EXPECT_EQ(memory.Retrieve(log, "max_depth", 1).hits.size(), 1u);
  EXPECT_TRUE(memory.Retrieve(log, "learning rate", 3).hits.empty());
  log.push_back(Ev(6, EventType::kNote, {{"text", "learning rate 0.1 was best"}}));
  auto r = memory.Retrieve(log, "learning rate", 3);
  ASSERT_EQ(r.hits.size(), 1u);
  EXPECT_EQ(r.hits[0].seq, 6);
}

TEST(MemoryRetriever, SaysWhenNothingMatches) {
  MemoryRetriever memory;
  auto r = memory.Retrieve(Log(), "zz", 3);  // no word of 3+ characters
  EXPECT_TRUE(r.hits.empty());
  EXPECT_EQ(r.text, "Retrieved nothing for \"zz\".");
}

TEST(MemoryRetriever, CutsLongItemsOnACharacterBoundary) {
  // "Note: long xxx...": é takes bytes 399 and 400, across the 400-byte cut.
  std::string note = "long " + std::string(388, 'x') + "\xC3\xA9" + "tail";
  std::vector<Event> log = {Ev(0, EventType::kNote, {{"text", note}})};
  MemoryRetriever memory;
  auto r = memory.Retrieve(log, "long", 3);
  ASSERT_EQ(r.hits.size(), 1u);
  std::string shown = r.hits[0].text;
  EXPECT_EQ(shown.size(), 399u);
  EXPECT_EQ(shown.back(), 'x');
}

}  // namespace
}  // namespace ctxbench
