#include "agent/action.h"

#include <gtest/gtest.h>

namespace ctxbench {
namespace {

Action Call(const std::string& tool, const std::string& args) {
  Message m{Role::kAssistant, "", {{"c1", tool, args}}, "", ""};
  std::vector<Action> actions = ParseActions(m, Mode::kAgentic);
  EXPECT_EQ(actions.size(), 1u);
  return actions.front();
}

TEST(ActionTest, NullableArgumentsAreAccepted) {
  Action read = Call("read_file", R"({"path": "a.py", "start_line": null, "end_line": null})");
  EXPECT_EQ(read.kind, Action::kReadFile) << read.error;
  Action fin = Call("final_answer", R"({"config": {"a": 1}, "metric": 0.5, "summary": null})");
  EXPECT_EQ(fin.kind, Action::kFinalAnswer) << fin.error;
}

TEST(ActionTest, WrongTypesAreInvalid) {
  EXPECT_EQ(Call("read_file", R"({"path": "a.py", "start_line": "3"})").kind, Action::kInvalid);
  EXPECT_EQ(Call("final_answer", R"({"config": [], "metric": 0.5})").kind, Action::kInvalid);
  EXPECT_EQ(Call("final_answer", R"({"config": {}, "metric": "high"})").kind, Action::kInvalid);
  EXPECT_EQ(Call("train", R"({"config": "max_depth=3"})").kind, Action::kInvalid);
  EXPECT_EQ(Call("ask", R"({"question": 3})").kind, Action::kInvalid);
  EXPECT_EQ(Call("train", "not json").kind, Action::kInvalid);
  EXPECT_EQ(Call("fly", "{}").kind, Action::kInvalid);
}

TEST(ActionTest, FinalAnswerWithoutConfigParses) {
  // Workspace tasks answer without a config; a tune task's episode rejects it
  // with CheckConfig's reason.
  Action fin = Call("final_answer", R"({"metric": 0.9, "summary": "done"})");
  EXPECT_EQ(fin.kind, Action::kFinalAnswer) << fin.error;
  EXPECT_FALSE(fin.args.contains("config"));
}

TEST(ActionTest, EmptyTextArgumentsAreAnswered) {
  EXPECT_EQ(Call("ask", R"({"question": ""})").kind, Action::kAsk);
  EXPECT_EQ(Call("retrieve", R"({"query": ""})").kind, Action::kRetrieve);
}

TEST(ActionTest, ControllerReadsOneObject) {
  Message m{Role::kAssistant,
            "Here:\n```json\n{\"action\": \"train\", \"config\": {\"a\": 1}}\n```",
            {},
            "",
            ""};
  std::vector<Action> actions = ParseActions(m, Mode::kController);
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0].kind, Action::kTrain);
  m.content = R"({"action": "ask", "question": "?"})";
  EXPECT_EQ(ParseActions(m, Mode::kController)[0].kind, Action::kInvalid);
}

}  // namespace
}  // namespace ctxbench
