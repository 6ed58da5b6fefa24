// The schemas models are sent are strict-valid, and every argument object
// they allow is a valid action: a model that fills arguments from the schema
// alone makes no invalid action because of the schema.
#include "agent/tool_schema.h"

#include <gtest/gtest.h>

#include <random>

#include "agent/action.h"
#include "core/source_dir.h"
#include "core/test_strict_schema.h"
#include "tasks/workspace_spec.h"

namespace ctxbench {
namespace {

std::vector<TaskSpec> BundledTasks() {
  std::vector<TaskSpec> out;
  std::vector<std::string> dirs = {SourceDir() + "/tasks"};
  for (const std::string& name : ListTasks(dirs)) out.push_back(FindTask(name, dirs));
  return out;
}

Message ToolCallReply(const std::string& tool, const Json& args) {
  Message m{Role::kAssistant, "", {{"call_1", tool, args.dump()}}, "", ""};
  return m;
}

// Checks that the schemas of `tools` are strict and that random arguments
// they allow parse to valid actions whose configs (if any) `task` accepts.
void ExpectSchemaArgumentsValid(const TaskSpec& task, const std::vector<ToolSpec>& tools,
                                std::mt19937& rng) {
  for (const ToolSpec& tool : tools) {
    EXPECT_EQ(StrictSchemaProblem(tool.parameters), "") << task.name << " " << tool.name;
    for (int trial = 0; trial < 50; ++trial) {
      Json args = RandomInstance(tool.parameters, rng);
      ASSERT_EQ(SchemaViolation(tool.parameters, args), "") << args.dump();
      std::vector<Action> actions = ParseActions(ToolCallReply(tool.name, args), Mode::kAgentic);
      ASSERT_EQ(actions.size(), 1u);
      EXPECT_NE(actions[0].kind, Action::kInvalid)
          << task.name << " " << tool.name << " " << args.dump() << ": " << actions[0].error;
      EXPECT_EQ(actions[0].tool, tool.name);
      if (args.contains("config") && !task.is_workspace()) {
        Status check = CheckConfig(task, args["config"]);
        EXPECT_TRUE(check.ok()) << tool.name << " " << args.dump() << ": " << check.error();
      }
    }
  }
}

TEST(ToolSchemaTest, AgenticToolArgumentsFromTheSchemaAreValidForEveryBundledTask) {
  std::mt19937 rng(14);
  int tune = 0;
  for (const TaskSpec& task : BundledTasks()) {
    if (task.is_workspace()) continue;
    ++tune;
    std::vector<ToolSpec> tools = AgentTools(task);
    ASSERT_EQ(tools.size(), 6u);
    ExpectSchemaArgumentsValid(task, tools, rng);
    // train's config names every knob, all required, nothing else.
    const Json& config = tools.front().parameters["properties"]["config"];
    EXPECT_EQ(config["required"].size(), task.knobs.size()) << task.name;
    EXPECT_EQ(config["additionalProperties"], false);
  }
  EXPECT_GE(tune, 4);
}

TEST(ToolSchemaTest, WorkspaceToolArgumentsFromTheSchemaAreValid) {
  std::mt19937 rng(15);
  int workspace = 0;
  for (const TaskSpec& task : BundledTasks()) {
    if (!task.is_workspace()) continue;
    ++workspace;
    std::vector<ToolSpec> tools = WorkspaceAgentTools(task.workspace.tools);
    EXPECT_EQ(tools.size(), task.workspace.tools.size()) << task.name;
    ExpectSchemaArgumentsValid(task, tools, rng);
  }
  EXPECT_GE(workspace, 1);
  // Every tool a workspace task may name, too.
  std::vector<ToolSpec> all = WorkspaceAgentTools(KnownWorkspaceTools());
  EXPECT_EQ(all.size(), KnownWorkspaceTools().size());
  ExpectSchemaArgumentsValid(BundledTasks().front(), all, rng);
}

TEST(ToolSchemaTest, ControllerProposalsFromTheSchemaAreValid) {
  std::mt19937 rng(16);
  for (const TaskSpec& task : BundledTasks()) {
    if (task.is_workspace()) continue;
    OutputSchema proposal = ControllerProposalSchema(task);
    EXPECT_EQ(proposal.name, "proposal");
    EXPECT_EQ(StrictSchemaProblem(proposal.schema), "") << task.name;
    EXPECT_EQ(FinalAnswerSchema(task, true), proposal.schema);
    std::set<std::string> kinds;
    for (int trial = 0; trial < 60; ++trial) {
      Json reply = RandomInstance(proposal.schema, rng);
      Message m{Role::kAssistant, reply.dump(), {}, "", ""};
      std::vector<Action> actions = ParseActions(m, Mode::kController);
      ASSERT_EQ(actions.size(), 1u);
      EXPECT_NE(actions[0].kind, Action::kInvalid) << reply.dump() << ": " << actions[0].error;
      Status check = CheckConfig(task, actions[0].args["config"]);
      EXPECT_TRUE(check.ok()) << reply.dump() << ": " << check.error();
      kinds.insert(actions[0].tool);
    }
    EXPECT_EQ(kinds.size(), 2u) << "both train and final_answer proposals were drawn";
  }
}

// The schema a model would have filled before: {"type": "object"} gives {},
// which the validator rejects. This is the failure the knob schema fixes.
TEST(ToolSchemaTest, AnUntypedConfigSchemaYieldsRejectedConfigs) {
  std::mt19937 rng(17);
  TaskSpec task = FindTask("toy_tabular", {SourceDir() + "/tasks"});
  Json untyped = {{"type", "object"},
                  {"properties", Json::object()},
                  {"required", Json::array()},
                  {"additionalProperties", false}};
  Json config = RandomInstance(untyped, rng);
  EXPECT_EQ(config, Json::object());
  EXPECT_FALSE(CheckConfig(task, config).ok());
}

}  // namespace
}  // namespace ctxbench
