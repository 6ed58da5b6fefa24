// Nothing a model sends can crash the harness: the sim reads tool calls,
// tool results and user text of any shape (the harness echoes a model's
// garbage back into the messages), and always answers.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "llm/sim_model.h"

namespace ctxbench {
namespace {

const char kWorkspaceTask[] =
    "Task: t (workspace task)\nWorkspace files:\ndata/train.csv (20 bytes) read-only\n"
    "params.json (30 bytes)\ntrain.py (500 bytes)\n\nMetric: accuracy on the validation split "
    "(higher is better).\nConfig file: params.json\nBaseline config: {\"width\":5}\n"
    "Baseline validation accuracy: 0.7\nTarget: validation accuracy >= 0.91 (30% better than the "
    "baseline).\n";

// Tool-call arguments a model may send: not JSON, JSON of the wrong shape,
// fields of the wrong type, nesting far past any limit, bytes that are not
// UTF-8.
std::vector<std::string> GarbageArguments() {
  std::vector<std::string> out = {"",
                                  "{",
                                  "null",
                                  "[]",
                                  "5",
                                  "\"params.json\"",
                                  R"({"path": 5})",
                                  R"({"path": null, "content": null})",
                                  R"({"path": ["params.json"], "content": {"a": 1}})",
                                  R"({"path": "params.json", "content": 7})",
                                  R"({"path": "params.json", "content": "{\"width\": [[[1]]]}"})",
                                  R"({"path": "params.json", "content": "\u0000"})",
                                  R"({"config": "x", "metric": "high"})",
                                  std::string(100000, '[') + std::string(100000, ']'),
                                  "{\"path\": \"\xff\xfe.json\"}",
                                  std::string("{\"path\":\"a\0b\"}", 15)};
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int i = 0; i < 40; ++i) {
    std::string s;
    for (int n = 0; n < 1 + i * 3; ++n) s += static_cast<char>(byte(rng));
    out.push_back(s);
  }
  return out;
}

std::vector<ToolSpec> Tools(bool workspace) {
  std::vector<ToolSpec> tools = {{"final_answer", "", Json::object()}};
  for (const char* n : workspace ? std::vector<const char*>{"read_file", "write_file", "edit_file",
                                                            "undo_edit", "run"}
                                 : std::vector<const char*>{"train", "note", "ask"}) {
    tools.push_back({n, "", Json::object()});
  }
  return tools;
}

TEST(SimModelGarbageTest, AnyToolArgumentsAndResultsGetAnAnswer) {
  SimModel sim("sim", {}, std::make_shared<EstimateCounter>());
  const std::vector<std::string> names = {"read_file", "write_file", "edit_file",    "undo_edit",
                                          "run",       "train",      "final_answer", "nonsense"};
  int answered = 0;
  for (bool workspace : {true, false}) {
    for (const std::string& args : GarbageArguments()) {
      for (const std::string& name : names) {
        std::vector<Message> msgs = {{Role::kSystem, "sys", {}, "", ""},
                                     {Role::kUser, kWorkspaceTask, {}, "", ""},
                                     {Role::kUser, "Iteration 1 of 3", {}, "", ""},
                                     {Role::kAssistant, "", {{"c1", name, args}}, "", ""},
                                     {Role::kTool, "File params.json:\n" + args, {}, "c1", name},
                                     {Role::kUser, args, {}, "", ""}};
        CompletionRequest req;
        req.messages = msgs;
        req.tools = Tools(workspace);
        req.seed = 3;
        Completion c;
        ASSERT_NO_THROW(c = sim.Complete(req)) << name << " " << args.substr(0, 80);
        EXPECT_EQ(c.message.role, Role::kAssistant);
        ++answered;
      }
    }
  }
  EXPECT_EQ(answered, 2 * static_cast<int>(GarbageArguments().size() * names.size()));
}

TEST(SimModelGarbageTest, NoMessagesAtAllGetAnAnswer) {
  SimModel sim("sim", {}, std::make_shared<EstimateCounter>());
  CompletionRequest req;
  Completion c;
  ASSERT_NO_THROW(c = sim.Complete(req));
  EXPECT_EQ(c.message.role, Role::kAssistant);
}

}  // namespace
}  // namespace ctxbench
