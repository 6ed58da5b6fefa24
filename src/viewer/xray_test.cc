#include "viewer/xray.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "viewer/episode_page.h"
#include "viewer/test_run.h"

namespace ctxbench {
namespace {

class XrayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    viewer_test::WriteTestRun(dir_.Path("run"), 2, &built_);
    catalog_ = std::make_unique<RunCatalog>(std::vector<std::string>{dir_.Path("run")});
  }
  std::vector<Event> Events(const std::string& id) {
    return ReadEpisodeEvents(catalog_->runs()[0], id);
  }
  store_test::ScratchDir dir_;
  viewer_test::BuiltContexts built_;
  std::unique_ptr<RunCatalog> catalog_;
};

TEST_F(XrayTest, MessagesAreExactlyWhatThePolicySent) {
  std::vector<Event> events = Events("toy.window1.sim.agentic.s1");
  ASSERT_EQ(built_.size(), 4u);
  for (int step = 1; step <= 4; ++step) {
    Json x = XrayJson(events, step);
    const Context& sent = built_[step - 1];
    ASSERT_EQ(x["messages"].size(), sent.messages.size()) << "step " << step;
    for (size_t i = 0; i < sent.messages.size(); ++i) {
      Json expected = MessageToJson(sent.messages[i]);
      const Json& got = x["messages"][i];
      EXPECT_EQ(got["role"], expected["role"]) << "step " << step << " message " << i;
      EXPECT_EQ(got["content"], expected["content"]) << "step " << step << " message " << i;
      EXPECT_EQ(got.value("tool_calls", Json()), expected.value("tool_calls", Json()))
          << "step " << step << " message " << i;
    }
    EXPECT_EQ(x["total_tokens"], sent.manifest.total_tokens);
    EXPECT_EQ(x["section_sum"], sent.manifest.total_tokens) << "the bar adds up to the total";
    EXPECT_EQ(x["budget_tokens"], 4000);
  }
}

TEST_F(XrayTest, StripMarksWhatTheWindowDropped) {
  std::vector<Event> events = Events("toy.window1.sim.agentic.s1");
  Json x = XrayJson(events, 3);
  int dropped = 0, kept = 0, head = 0;
  for (const Json& e : x["strip"]) {
    std::string state = e["state"];
    dropped += state == "dropped";
    kept += state == "kept";
    head += state == "head";
    EXPECT_LT(e["seq"].get<int64_t>(), x["context_seq"].get<int64_t>());
  }
  EXPECT_EQ(head, 2);     // the system prompt and the task
  EXPECT_EQ(kept, 2);     // max_turns 1: the newest reply and its tool result
  EXPECT_EQ(dropped, 2);  // the first step's reply and tool result
  for (const Json& m : x["messages"]) {
    std::string fate = m["fate"];
    EXPECT_TRUE(fate == "head" || fate == "kept") << fate;
  }
}

TEST_F(XrayTest, AStepWithoutAContextIsAnInputError) {
  EXPECT_THROW(XrayJson(Events("toy.full.sim.agentic.s1"), 9), Error);
}

TEST_F(XrayTest, CompareMarksWhatOnlyOneContextHeld) {
  Json c = CompareJson(Events("toy.full.sim.agentic.s1"), Events("toy.window1.sim.agentic.s1"), 3);
  EXPECT_EQ(c["a"]["step"], 3);
  EXPECT_EQ(c["b"]["step"], 3);
  // The full context holds the first step's turn, which the window dropped;
  // the window holds nothing the full context lacks but its own reply text.
  int only_a_first_turn = 0;
  for (const Json& m : c["a"]["messages"]) {
    if (m["only_here"] == true && m.value("seq", -1) == 5) ++only_a_first_turn;
  }
  EXPECT_EQ(only_a_first_turn, 1);
  EXPECT_GT(c["only_a"].get<int>(), c["only_b"].get<int>());
  int marked_b = 0;
  for (const Json& m : c["b"]["messages"]) marked_b += m["only_here"] == true;
  EXPECT_EQ(marked_b, c["only_b"].get<int>());
}

}  // namespace
}  // namespace ctxbench
