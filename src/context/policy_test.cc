#include "context/policy.h"

#include <gtest/gtest.h>

#include <random>

#include "context/summarizer.h"
#include "context/synthetic_log.h"
#include "core/error.h"

namespace ctxbench {
namespace {

std::vector<Event> MakeLog(int turns, uint64_t seed = 1) { return MakeSyntheticLog(turns, seed); }

// Deterministic stand-in for the model: the summary is a digest of what it is given.
class FakeSummarizer final : public Summarizer {
 public:
  std::optional<std::string> Summarize(const std::string& previous,
                                       const std::vector<Message>& dropped, int64_t covers_to,
                                       int max_tokens) override {
    ++calls;
    if (fail) return std::nullopt;
    std::string s = "summary to " + std::to_string(covers_to) + " of " +
                    std::to_string(dropped.size()) + " messages; before: " + previous.substr(0, 40);
    return s.substr(0, static_cast<size_t>(max_tokens) * 3);
  }
  int calls = 0;
  bool fail = false;
};

// The manifest's record of the messages, resolved against the log, is
// exactly what was sent.
void ExpectManifestRecordsMessages(const Context& ctx, const std::vector<Event>& log,
                                   const std::string& name) {
  const Json recorded = ctx.manifest.ToJson()["messages"];
  ASSERT_EQ(recorded.size(), ctx.messages.size()) << name;
  for (size_t i = 0; i < recorded.size(); ++i) {
    const Json& r = recorded[i];
    const Message& sent = ctx.messages[i];
    if (r.contains("section")) {
      EXPECT_EQ(sent.role, Role::kUser) << name << " message " << i;
      EXPECT_EQ(r["content"], sent.content) << name << " message " << i;
      continue;
    }
    int64_t seq = r["seq"];
    ASSERT_TRUE(log.at(static_cast<size_t>(seq)).message) << name << " message " << i;
    Message m = *log[static_cast<size_t>(seq)].message;
    if (r.contains("content")) m.content = r["content"];
    EXPECT_EQ(m, sent) << name << " message " << i << " (event " << seq << ")";
  }
}

void ExpectInvariants(const Context& ctx, int budget, const std::string& name) {
  ASSERT_GE(ctx.messages.size(), 2u) << name;
  EXPECT_EQ(ctx.messages[0].role, Role::kSystem) << name;
  EXPECT_EQ(ctx.messages[1].content, "Task: tune max_depth.") << name;
  EXPECT_LE(ctx.manifest.total_tokens, budget) << name;
  for (size_t i = 0; i < ctx.messages.size(); ++i) {
    if (ctx.messages[i].role != Role::kTool) continue;
    bool found = false;
    for (size_t j = i; j-- > 0 && !found;) {
      for (const auto& c : ctx.messages[j].tool_calls)
        found |= c.id == ctx.messages[i].tool_call_id;
    }
    EXPECT_TRUE(found) << name << ": orphan tool result at " << i;
  }
}

std::vector<PolicyConfig> EveryPolicy() {
  return {
      {"full", "full", {{"context_window", 6000}}},
      {"window3", "window", {{"max_turns", 3}}},
      {"window_tokens", "window", {{"max_tokens", 300}}},
      {"mask", "mask", {{"after_turns", 2}, {"keep_tools", {"note"}}}},
      {"summarize", "summarize", {{"keep_turns", 3}, {"summary_tokens", 100}}},
      {"retrieve", "retrieve", {{"keep_turns", 2}, {"k", 3}}},
      {"state", "state", {{"keep_turns", 2}}},
      {"mix", "mix", Json::object()},
      {"pipeline",
       "pipeline",
       {{"stages",
         {{{"type", "mask"}, {"after_turns", 1}}, {{"type", "window"}, {"max_turns", 6}}}}}},
  };
}

TEST(PolicyTest, InvariantsHoldForEveryPolicyOverRandomLogsAndBudgets) {
  EstimateCounter counter;
  std::vector<ToolSpec> tools = {{"train", "Train a config", Json{{"type", "object"}}}};
  for (uint64_t seed = 1; seed <= 12; ++seed) {
    int turns = static_cast<int>(seed * 7 % 60);
    auto log = MakeLog(turns, seed);
    for (const auto& pc : EveryPolicy()) {
      int budget = pc.type == "full" ? 6000 : 300 + static_cast<int>(seed * 137 % 3000);
      FakeSummarizer sum_a, sum_b;
      auto warm = MakePolicy(pc, "test");
      // Warm the instance on a prefix of the log first: caches must not change the output.
      std::vector<Event> prefix(log.begin(), log.begin() + static_cast<long>(log.size() / 2));
      warm->Build({prefix, budget, counter, tools, &sum_a});
      Context a = warm->Build({log, budget, counter, tools, &sum_a});
      ExpectInvariants(a, budget, pc.name);
      ExpectManifestRecordsMessages(a, log, pc.name);
      Context b = MakePolicy(pc, "test")->Build({log, budget, counter, tools, &sum_b});
      EXPECT_EQ(a.messages, b.messages) << "policy " << pc.name << " is not pure, seed " << seed;
      EXPECT_EQ(a.manifest.total_tokens, b.manifest.total_tokens) << pc.name;
    }
  }
}

TEST(PolicyTest, WindowKeepsLastTurnsAndNamesWhatItDropped) {
  auto policy = MakePolicy({"w", "window", {{"max_turns", 2}}}, "test");
  auto log = MakeLog(5);
  EstimateCounter counter;
  std::vector<ToolSpec> tools;
  Context ctx = policy->Build({log, 100000, counter, tools});
  ASSERT_EQ(ctx.messages.size(), 2u + 4u);
  EXPECT_EQ(ctx.messages.back().tool_call_id, "c4");
  EXPECT_EQ(ctx.messages[2].tool_calls[0].id, "c3");
  ASSERT_EQ(ctx.manifest.dropped_ranges.size(), 1u);
  EXPECT_EQ(ctx.manifest.dropped_ranges[0].first, 3);
  EXPECT_EQ(ctx.manifest.extra["turns_kept"], 2);
}

TEST(PolicyTest, MaskReplacesOldObservationsButKeepsActions) {
  auto log = MakeLog(6);
  EstimateCounter counter;
  std::vector<ToolSpec> tools;
  Context ctx =
      MakePolicy({"m", "mask", {{"after_turns", 2}}}, "t")->Build({log, 100000, counter, tools});
  EXPECT_EQ(ctx.manifest.masked.size(), 4u);  // results of turns 0-3; turn 4 is a note: masked too
  int assistants = 0, placeholders = 0;
  for (const auto& m : ctx.messages) {
    assistants += m.role == Role::kAssistant;
    placeholders += m.content.rfind("[masked: train result", 0) == 0;
  }
  EXPECT_EQ(assistants, 6);
  EXPECT_EQ(placeholders, 4);
}

TEST(PolicyTest, SummarizeCallsTheSummarizerAndSaysWhatItCovers) {
  auto log = MakeLog(30);
  EstimateCounter counter;
  std::vector<ToolSpec> tools;
  FakeSummarizer sum;
  auto policy = MakePolicy({"s", "summarize", {{"keep_turns", 3}}}, "t");
  Context ctx = policy->Build({log, 1500, counter, tools, &sum});
  EXPECT_EQ(sum.calls, 1);
  EXPECT_NE(ctx.messages[2].content.find("Summary of the episode up to event"), std::string::npos);
  EXPECT_EQ(ctx.manifest.extra["sections"]["summary"]["fresh"], true);
  // A failed summariser is said, never silent.
  FakeSummarizer broken;
  broken.fail = true;
  Context gap = MakePolicy({"s", "summarize", {{"keep_turns", 3}}}, "t")
                    ->Build({log, 1500, counter, tools, &broken});
  EXPECT_NE(gap.messages[2].content.find("were dropped without a summary"), std::string::npos);
  // Below the trigger nothing is summarised.
  FakeSummarizer idle;
  MakePolicy({"s", "summarize", {{"keep_turns", 3}}}, "t")
      ->Build({log, 100000, counter, tools, &idle});
  EXPECT_EQ(idle.calls, 0);
}

TEST(PolicyTest, StateShowsTheBestExperimentAfterItLeftTheWindow) {
  auto log = MakeLog(40);
  EstimateCounter counter;
  std::vector<ToolSpec> tools;
  Context ctx =
      MakePolicy({"s", "state", {{"keep_turns", 2}}}, "t")->Build({log, 4000, counter, tools});
  const std::string& state = ctx.messages[2].content;
  EXPECT_NE(state.find("Best so far: Experiment"), std::string::npos);
  EXPECT_NE(state.find("Experiments run: 40"), std::string::npos);
  EXPECT_NE(state.find("more experiments not shown"), std::string::npos);
  EXPECT_EQ(ctx.manifest.extra["turns_kept"], 2);
}

TEST(PolicyTest, RetrieveAddsRankedItemsFromBeforeTheWindow) {
  auto log = MakeLog(20);
  EstimateCounter counter;
  std::vector<ToolSpec> tools;
  Context ctx = MakePolicy({"r", "retrieve", {{"keep_turns", 2}, {"k", 3}}}, "t")
                    ->Build({log, 8000, counter, tools});
  const Json& items = ctx.manifest.extra["sections"]["retrieved"]["items"];
  ASSERT_EQ(items.size(), 3u);
  int64_t first_kept = ctx.manifest.kept[2];
  for (const auto& item : items) EXPECT_LT(item["seq"].get<int64_t>(), first_kept);
}

TEST(PolicyTest, MixTightensAsTheEpisodeBudgetRunsOut) {
  auto log = MakeLog(30);
  EstimateCounter counter;
  std::vector<ToolSpec> tools;
  auto policy = MakePolicy({"mix", "mix", Json::object()}, "t");
  Context roomy = policy->Build({log, 8000, counter, tools, nullptr, -1});
  Context tight = policy->Build({log, 8000, counter, tools, nullptr, 8000});
  EXPECT_EQ(tight.manifest.extra["effective_budget"], 2000);
  EXPECT_LE(tight.manifest.total_tokens, 2000);
  EXPECT_LT(tight.manifest.total_tokens, roomy.manifest.total_tokens);
}

TEST(PolicyTest, OversizedNewestTurnIsCutNotDropped) {
  auto log = MakeLog(1);
  log[4].message->content = std::string(20000, 'y');
  EstimateCounter counter;
  std::vector<ToolSpec> tools;
  auto policy = MakePolicy({"w", "window", {{"max_turns", 4}}}, "test");
  Context ctx = policy->Build({log, 500, counter, tools});
  ExpectInvariants(ctx, 500, "window");
  EXPECT_EQ(ctx.manifest.truncated.size(), 1u);
  EXPECT_NE(ctx.messages.back().content.find("characters cut"), std::string::npos);
}

TEST(PolicyTest, BadConfigNamesTheInput) {
  try {
    MakePolicy({"w", "window", {{"max_turn", 2}}}, "config.json: $.context_policies[1]");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("$.context_policies[1].max_turn"), std::string::npos);
  }
  EXPECT_THROW(MakePolicy({"x", "telepathy", {}}, "here"), Error);
  EXPECT_THROW(MakePolicy({"p", "pipeline", {{"stages", {{{"type", "nope"}}}}}}, "here"), Error);
  EXPECT_THROW(MakePolicy({"m", "mix", {{"weights", {{"recent", 0}}}}}, "here"), Error);
  EXPECT_EQ(PresetPolicy("short_context", "flag").type, "window");
  EXPECT_EQ(PresetPolicy("long_context", "flag").type, "full");
}

}  // namespace
}  // namespace ctxbench
