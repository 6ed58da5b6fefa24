#include "llm/sim_model.h"

#include <gtest/gtest.h>

namespace ctxbench {
namespace {

const char* kTask =
    "Task: demo\nMetric: accuracy on the validation split (higher is better).\n"
    "Baseline config: {\"max_depth\":2,\"eta\":0.1,\"booster\":\"gbtree\"}\n"
    "Baseline validation accuracy: 0.7\n"
    "Target: validation accuracy >= 0.77 (10% better than the baseline).\n"
    "Knobs (set only these; other learner settings are fixed):\n"
    "- max_depth: integer in [1, 9]\n"
    "- eta: number in [0.01, 1], log scale\n"
    "- booster: one of [gbtree, dart]\n";

std::vector<Message> Head() {
  return {{Role::kSystem, "You are an ML experimenter.", {}, "", ""},
          {Role::kUser, kTask, {}, "", ""},
          {Role::kUser, "Iteration 1 of 5 (5 experiments left, this one included).", {}, "", ""}};
}

Message Result(int n, const std::string& config, double v) {
  return {Role::kUser,
          "Experiment " + std::to_string(n) + ": config " + config +
              " -> validation accuracy = " + std::to_string(v),
          {},
          "",
          ""};
}

TEST(SimViewTest, ReadsTaskKnobsAndResults) {
  auto msgs = Head();
  msgs.push_back(Result(1, R"({"max_depth":3,"eta":0.1,"booster":"gbtree"})", 0.72));
  SimView v = ReadSimView(msgs);
  ASSERT_EQ(v.knobs.size(), 3u);
  EXPECT_EQ(v.knobs[0].kind, SimKnob::kInt);
  EXPECT_TRUE(v.knobs[1].log);
  EXPECT_EQ(v.knobs[2].choices, (std::vector<std::string>{"gbtree", "dart"}));
  EXPECT_TRUE(v.direction.higher_is_better);
  EXPECT_DOUBLE_EQ(*v.target, 0.77);
  EXPECT_DOUBLE_EQ(*v.baseline_value, 0.7);
  EXPECT_EQ(v.iteration, 1);
  EXPECT_EQ(v.iterations, 5);
  ASSERT_EQ(v.results.size(), 1u);
  EXPECT_NEAR(*v.Best()->value, 0.72, 1e-9);
}

TEST(SimModelTest, NeverProposesAConfigItCanSeeWasTried) {
  auto msgs = Head();
  std::set<std::string> proposed;
  SimModel sim("sim", {}, std::make_shared<EstimateCounter>());
  for (int i = 0; i < 12; ++i) {
    CompletionRequest req;
    req.messages = msgs;
    req.seed = 1;
    Completion c = sim.Complete(req);
    Json reply = Json::parse(c.message.content);
    ASSERT_EQ(reply["action"], "train");
    std::string key = nlohmann::json::parse(reply["config"].dump()).dump();
    EXPECT_TRUE(proposed.insert(key).second) << "repeated " << key;
    msgs.push_back(c.message);
    msgs.push_back(Result(i + 1, reply["config"].dump(), 0.6));  // never better
  }
}

TEST(SimModelTest, ForgetsWhatItCannotSee) {
  // With the results cut from its messages, sim proposes the same config again:
  // its behaviour depends only on what it is shown.
  SimModel sim("sim", {}, std::make_shared<EstimateCounter>());
  CompletionRequest req;
  req.messages = Head();
  Completion first = sim.Complete(req);
  auto with_result = Head();
  with_result.push_back(first.message);
  with_result.push_back(Result(1, Json::parse(first.message.content)["config"].dump(), 0.71));
  req.messages = with_result;
  Completion second = sim.Complete(req);
  EXPECT_NE(first.message.content, second.message.content);
  req.messages = Head();
  EXPECT_EQ(sim.Complete(req).message.content, first.message.content);
}

TEST(SimModelTest, FinalAnswerWhenTargetVisibleOrAsked) {
  SimModel sim("sim", {}, std::make_shared<EstimateCounter>());
  CompletionRequest req;
  req.messages = Head();
  req.messages.push_back(Result(1, R"({"max_depth":4,"eta":0.2,"booster":"gbtree"})", 0.8));
  Json reply = Json::parse(sim.Complete(req).message.content);
  EXPECT_EQ(reply["action"], "final_answer");
  EXPECT_DOUBLE_EQ(reply["metric"].get<double>(), 0.8);
  EXPECT_EQ(reply["config"]["max_depth"], 4);

  req.messages = Head();
  req.messages.push_back(
      {Role::kUser, "The experiment budget is spent. Give your final answer now.", {}, "", ""});
  reply = Json::parse(sim.Complete(req).message.content);
  EXPECT_EQ(reply["action"], "final_answer");
  EXPECT_EQ(reply["config"]["max_depth"], 2);  // nothing visible but the baseline
}

TEST(SimModelTest, AgenticModeCallsToolsAndAsksOnce) {
  SimModel sim("sim", {}, std::make_shared<EstimateCounter>());
  CompletionRequest req;
  req.messages = Head();
  req.tools = {{"train", "", Json::object()}, {"ask", "", Json::object()}};
  Completion c = sim.Complete(req);
  ASSERT_EQ(c.message.tool_calls.size(), 1u);
  EXPECT_EQ(c.message.tool_calls[0].name, "ask");
  req.messages.push_back(c.message);
  req.messages.push_back(
      {Role::kTool, "Clarification: max_depth matters most.", {}, "call_1", "ask"});
  c = sim.Complete(req);
  EXPECT_EQ(c.message.tool_calls[0].name, "train");
  // The hint put max_depth first.
  Json args = Json::parse(c.message.tool_calls[0].arguments);
  EXPECT_NE(args["config"]["max_depth"], 2);
  EXPECT_GT(c.usage.prompt_tokens, 0);
  EXPECT_GT(c.usage.completion_tokens, 0);
}

TEST(SimModelTest, SeededFaultsAreDeterministic) {
  SimOptions faulty;
  faulty.malformed_json_rate = 1.0;
  SimModel sim("sim", faulty, std::make_shared<EstimateCounter>());
  CompletionRequest req;
  req.messages = Head();
  std::string a = sim.Complete(req).message.content;
  EXPECT_TRUE(Json::parse(a, nullptr, false).is_discarded());
  EXPECT_EQ(sim.Complete(req).message.content, a);
}

}  // namespace
}  // namespace ctxbench
