#include "context/retrieved_section.h"

#include <gtest/gtest.h>

#include "context/policy.h"

namespace ctxbench {
namespace {

Manifest ManifestWith(const Json& retrieved) {
  Manifest m;
  m.policy = "retrieve";
  m.extra = {{"sections", {{"retrieved", retrieved}}}};
  return m;
}

Manifest ManifestWithExtra(const Json& extra) {
  Manifest m;
  m.extra = extra;
  return m;
}

TEST(RetrievedSectionTest, RoundTripsThroughAManifestInTheTraceShape) {
  RetrievedSection s;
  s.items = {{4, "note", -2.25}, {9, "experiment", -1.5}};
  s.query = "max_depth overfit";
  s.memory_from_seq = 3;
  Json j = s.ToJson();
  // The trace shape (docs/tracing.md, op.context).
  EXPECT_EQ(j, Json::parse(R"({"items": [{"seq": 4, "kind": "note", "bm25": -2.25},
                                         {"seq": 9, "kind": "experiment", "bm25": -1.5}],
                               "query": "max_depth overfit", "memory_from_seq": 3})"));
  std::optional<RetrievedSection> back = RetrievedSection::FromManifest(ManifestWith(j));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->ToJson(), j);
  s.memory_from_seq.reset();  // nothing evicted: not written
  EXPECT_FALSE(s.ToJson().contains("memory_from_seq"));
}

TEST(RetrievedSectionTest, AManifestWithoutOneHasNone) {
  EXPECT_FALSE(RetrievedSection::FromManifest(Manifest()).has_value());
  EXPECT_FALSE(RetrievedSection::FromManifest(ManifestWithExtra({{"sections", 3}})).has_value());
  EXPECT_FALSE(RetrievedSection::FromManifest(ManifestWithExtra(Json())).has_value());
  EXPECT_FALSE(RetrievedSection::FromManifest(ManifestWith("not a section")).has_value());
}

TEST(RetrievedSectionTest, FieldsOfAnotherTypeKeepTheirDefaults) {
  Json odd = {{"items", {{{"seq", "four"}, {"kind", 1}}}}, {"query", 5}};
  std::optional<RetrievedSection> s = RetrievedSection::FromManifest(ManifestWith(odd));
  ASSERT_TRUE(s.has_value());
  ASSERT_EQ(s->items.size(), 1u);
  EXPECT_EQ(s->items[0].seq, -1);
  EXPECT_EQ(s->items[0].kind, "");
  EXPECT_FALSE(s->query.has_value());
}

}  // namespace
}  // namespace ctxbench
