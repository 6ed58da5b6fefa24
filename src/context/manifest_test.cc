// Manifest::FromJson reads back what Manifest::ToJson writes, for manifests
// real policies build, and tolerates an older writer's shape.
#include <gtest/gtest.h>

#include "context/policy.h"
#include "context/summarizer.h"
#include "context/synthetic_log.h"
#include "core/error.h"

namespace ctxbench {
namespace {

// A summary that says what it covers (no model).
class StubSummarizer final : public Summarizer {
 public:
  std::optional<std::string> Summarize(const std::string&, const std::vector<Message>& dropped,
                                       int64_t covers_to, int) override {
    return std::to_string(dropped.size()) + " messages to " + std::to_string(covers_to);
  }
};

// The manifests of every policy type over a log long enough for each to drop,
// mask, summarise or retrieve something, and of one whose last call's
// arguments are too big for the budget (cut: SentMessage::arguments).
std::vector<Manifest> RealManifests() {
  EstimateCounter counter;
  std::vector<ToolSpec> tools = {{"train", "Train a config", Json{{"type", "object"}}}};
  StubSummarizer summarizer;
  std::vector<Event> log = MakeSyntheticLog(24, 3);
  std::vector<Manifest> out;
  for (const PolicyConfig& pc : std::vector<PolicyConfig>{
           {"full", "full", {{"context_window", 2000}}},
           {"window", "window", {{"max_turns", 3}}},
           {"mask", "mask", {{"after_turns", 2}}},
           {"summarize", "summarize", {{"keep_turns", 3}, {"summary_tokens", 100}}},
           {"retrieve", "retrieve", {{"keep_turns", 2}, {"k", 3}}},
           {"state", "state", {{"keep_turns", 2}}},
           {"mix", "mix", Json::object()}}) {
    out.push_back(MakePolicy(pc, "test")->Build({log, 2000, counter, tools, &summarizer}).manifest);
  }

  Event call;
  call.type = EventType::kLlmCall;
  call.message = Message{Role::kAssistant,
                         "",
                         {{"big", "train", "{\"x\": \"" + std::string(20000, 'a') + "\"}"}},
                         "",
                         ""};
  log.push_back(call);
  Event result;
  result.type = EventType::kToolResult;
  result.message = Message{Role::kTool, "refused", {}, "big", "train"};
  log.push_back(result);
  for (size_t i = 0; i < log.size(); ++i) log[i].seq = static_cast<int64_t>(i);
  out.push_back(MakePolicy({"full", "full", {{"context_window", 3000}}}, "test")
                    ->Build({log, 3000, counter, tools})
                    .manifest);
  return out;
}

TEST(ManifestTest, RoundTripsWhatRealPoliciesBuild) {
  bool masked = false, truncated = false, dropped = false, cut = false, section = false;
  for (const Manifest& m : RealManifests()) {
    Json j = m.ToJson();
    Manifest back = Manifest::FromJson(j);
    EXPECT_EQ(back.ToJson(), j) << m.policy;
    EXPECT_EQ(back.kept, m.kept) << m.policy;
    EXPECT_EQ(back.dropped_ranges, m.dropped_ranges) << m.policy;
    EXPECT_EQ(back.messages.size(), m.messages.size()) << m.policy;
    masked |= !m.masked.empty();
    truncated |= !m.truncated.empty();
    dropped |= !m.dropped_ranges.empty();
    for (const SentMessage& s : m.messages) {
      cut |= s.cut_arguments;
      section |= s.seq < 0;
    }
  }
  // The manifests exercised every kind of record.
  EXPECT_TRUE(masked);
  EXPECT_TRUE(truncated);
  EXPECT_TRUE(dropped);
  EXPECT_TRUE(cut);
  EXPECT_TRUE(section);
}

TEST(ManifestTest, AnOlderShapeKeepsTheDefaultsOfWhatItLacks) {
  // An older writer: no messages, no estimated, no extra.
  Json old = Json::parse(R"({"policy": "window", "kept": [0, 1, 5], "dropped": [[2, 4]],
                             "section_tokens": {"head": 12, "history": 30},
                             "total_tokens": 42, "budget_tokens": 100})");
  Manifest m = Manifest::FromJson(old);
  EXPECT_EQ(m.policy, "window");
  EXPECT_EQ(m.kept, (std::vector<int64_t>{0, 1, 5}));
  ASSERT_EQ(m.dropped_ranges.size(), 1u);
  EXPECT_EQ(m.dropped_ranges[0], (std::pair<int64_t, int64_t>{2, 4}));
  EXPECT_EQ(m.section_tokens.at("history"), 30);
  EXPECT_EQ(m.total_tokens, 42);
  EXPECT_FALSE(m.estimated);
  EXPECT_TRUE(m.messages.empty());
  EXPECT_EQ(m.extra, Json::object());
  // Nothing at all (an op.context without a manifest): every default.
  EXPECT_EQ(Manifest::FromJson(Json()).ToJson(), Manifest().ToJson());
}

TEST(ManifestTest, MessageRecordsReadBackByShape) {
  Json j = Json::parse(R"({"messages": [
      {"seq": 3},
      {"seq": 4, "as": "masked", "content": "[masked]"},
      {"seq": 5, "as": "truncated", "content": "cut", "arguments": ["{}"]},
      {"section": "summary", "content": "so far"}]})");
  Manifest m = Manifest::FromJson(j);
  ASSERT_EQ(m.messages.size(), 4u);
  EXPECT_EQ(m.messages[0].seq, 3);
  EXPECT_EQ(m.messages[0].as, "");
  EXPECT_EQ(m.messages[1].as, "masked");
  EXPECT_EQ(m.messages[1].content, "[masked]");
  EXPECT_FALSE(m.messages[1].cut_arguments);
  EXPECT_TRUE(m.messages[2].cut_arguments);
  EXPECT_EQ(m.messages[2].arguments, (std::vector<std::string>{"{}"}));
  EXPECT_EQ(m.messages[3].seq, -1);
  EXPECT_EQ(m.messages[3].section, "summary");
  EXPECT_EQ(m.messages[3].content, "so far");
  EXPECT_EQ(m.ToJson()["messages"], j["messages"]);
}

// The input error names the field of the wrong type.
void ExpectWrongType(const Json& j, const std::string& field) {
  try {
    Manifest::FromJson(j);
    ADD_FAILURE() << j.dump() << " was read";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInput) << e.what();
    EXPECT_NE(std::string(e.what()).find(field), std::string::npos) << e.what();
  }
}

TEST(ManifestTest, AWrongTypeIsAnInputErrorNamingTheField) {
  ExpectWrongType({{"kept", "0,1"}}, "'kept'");
  ExpectWrongType({{"kept", {0, "one"}}}, "'kept'");
  ExpectWrongType({{"dropped", {1, 2}}}, "'dropped'");
  ExpectWrongType({{"section_tokens", {{"head", "many"}}}}, "'section_tokens'");
  ExpectWrongType({{"total_tokens", "42"}}, "'total_tokens'");
  ExpectWrongType({{"estimated", 1}}, "'estimated'");
  ExpectWrongType({{"extra", "detail"}}, "'extra'");
  ExpectWrongType(Json::parse(R"({"messages": [{"seq": "3"}]})"), "'messages[0].seq'");
  ExpectWrongType(Json::parse(R"({"messages": [{"seq": 3}, 7]})"), "'messages[1]'");
  ExpectWrongType(Json::parse(R"({"messages": [{"as": "masked"}]})"), "'messages[0]'");
  ExpectWrongType(Json::parse(R"({"messages": {"seq": 3}})"), "'messages'");
  ExpectWrongType("a manifest", "manifest");
}

}  // namespace
}  // namespace ctxbench
