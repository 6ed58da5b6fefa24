#include "llm/sim_workspace.h"

#include <gtest/gtest.h>

namespace ctxbench {
namespace {

Message User(const std::string& text) { return {Role::kUser, text, {}, "", ""}; }
Message Call(const std::string& id, const std::string& name, const Json& args) {
  return {Role::kAssistant, "", {{id, name, args.dump()}}, "", ""};
}
Message Result(const std::string& id, const std::string& name, const std::string& text) {
  return {Role::kTool, text, {}, id, name};
}

const char kStatement[] =
    "Task: t (workspace task)\nWorkspace files:\ndata/train.csv (20 bytes) read-only\n"
    "params.json (30 bytes)\ntrain.py (500 bytes)\n\nMetric: accuracy on the validation split "
    "(higher is better).\nConfig file: params.json\nBaseline config: {\"width\":5,\"depth\":10}\n"
    "Baseline validation accuracy: 0.7\nTarget: validation accuracy >= 0.91 (30% better than the "
    "baseline).\n";

TEST(SimWorkspaceTest, ClosestName) {
  EXPECT_EQ(ClosestName("montly_charges", {"tenure", "monthly_charges", "churned"}),
            "monthly_charges");
  EXPECT_EQ(ClosestName("x", {}), "");
}

TEST(SimWorkspaceTest, ReadsTheConfigThenWritesTheNextAndRuns) {
  std::vector<Message> msgs = {User(kStatement), User("Iteration 1 of 6")};
  auto a = SimWorkspaceAction(msgs, ReadSimView(msgs), 1);
  EXPECT_EQ(a.first, "read_file");
  EXPECT_EQ(a.second["path"], "params.json");
  msgs.push_back(Call("c1", "read_file", a.second));
  msgs.push_back(Result("c1", "read_file",
                        "File params.json (lines 1-1 of 1):\n{\"width\": 5, \"depth\": 10}\n"));
  a = SimWorkspaceAction(msgs, ReadSimView(msgs), 1);
  ASSERT_EQ(a.first, "write_file");
  Json next = Json::parse(a.second["content"].get<std::string>());
  EXPECT_NE(next.dump(), Json::parse("{\"width\": 5, \"depth\": 10}").dump());
  msgs.push_back(Call("c2", "write_file", a.second));
  msgs.push_back(Result("c2", "write_file", "Wrote params.json (25 bytes)."));
  EXPECT_EQ(SimWorkspaceAction(msgs, ReadSimView(msgs), 1).first, "run");
}

TEST(SimWorkspaceTest, FixesAMisspeltColumnFromTheTraceback) {
  std::string statement = std::string(kStatement) +
                          "The starter run fails: exit 1; KeyError: 'dept' at train.py:18 in "
                          "main: `scale = sum(...)`\n";
  std::vector<Message> msgs = {User(statement), User("Iteration 1 of 6")};
  auto a = SimWorkspaceAction(msgs, ReadSimView(msgs), 1);
  ASSERT_EQ(a.first, "read_file");
  EXPECT_EQ(a.second["path"], "data/train.csv");
  msgs.push_back(Call("c1", "read_file", a.second));
  msgs.push_back(Result("c1", "read_file", "File data/train.csv (lines 1-1 of 3):\nwidth,depth\n"));
  a = SimWorkspaceAction(msgs, ReadSimView(msgs), 1);
  ASSERT_EQ(a.first, "edit_file");
  EXPECT_EQ(a.second["path"], "train.py");
  EXPECT_EQ(a.second["search"], "\"dept\"");
  EXPECT_EQ(a.second["replace"], "\"depth\"");
  msgs.push_back(Call("c2", "edit_file", a.second));
  msgs.push_back(Result("c2", "edit_file", "Edited train.py: replaced 1 occurrence."));
  EXPECT_EQ(SimWorkspaceAction(msgs, ReadSimView(msgs), 1).first, "run");
}

}  // namespace
}  // namespace ctxbench
