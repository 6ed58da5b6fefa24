#include "tasks/workspace_spec.h"

#include <gtest/gtest.h>

#include <climits>
#include <filesystem>
#include <string>

#include "core/error.h"
#include "core/file.h"
#include "core/test_scratch_dir.h"

namespace ctxbench {
namespace {

namespace fs = std::filesystem;

class WorkspaceSpecTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = scratch_.Path("task");
    fs::create_directories(folder_ + "/starter");
    WriteFileAtomic(folder_ + "/starter/train.py", "print(1)\n");
  }
  // A minimal valid workspace section with `limits`.
  Json Spec(const Json& limits) const {
    Json j = {{"run", {"python3", "train.py"}}, {"eval", {"python3", "{task}/eval.py"}}};
    if (!limits.is_null()) j["limits"] = limits;
    return j;
  }
  // The error message of parsing `j`, or "" when it parses.
  std::string ErrorOf(const Json& j) const {
    try {
      ParseWorkspaceSpec(JsonReader(j, "task.json", "$.workspace"), folder_);
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  }
  ScratchDir scratch_;
  std::string folder_;
};

TEST_F(WorkspaceSpecTest, TaskFolderInCommandsIsAbsoluteForARelativeFolder) {
  // A task found through a relative task_dirs has a relative folder; commands
  // run in the workspace, so {task} must not stay relative.
  fs::path relative = fs::relative(folder_, fs::current_path());
  ASSERT_TRUE(relative.is_relative()) << relative;
  WorkspaceSpec w = ParseWorkspaceSpec(JsonReader(Spec(nullptr), "task.json"), relative.string());
  ASSERT_EQ(w.eval_command.size(), 2u);
  fs::path eval = w.eval_command[1];
  EXPECT_TRUE(eval.is_absolute()) << eval;
  EXPECT_EQ(eval.filename(), "eval.py");
  EXPECT_TRUE(fs::equivalent(eval.parent_path(), folder_)) << eval;
}

TEST_F(WorkspaceSpecTest, LimitsInRangeAreConvertedToBytes) {
  Json limits = {{"memory_mb", 512},
                 {"file_mb", 8},
                 {"processes", 4},
                 {"output_bytes", 4096},
                 {"disk_mb", 32}};
  WorkspaceSpec w = ParseWorkspaceSpec(JsonReader(Spec(limits), "task.json"), folder_);
  EXPECT_EQ(w.limits.memory_bytes, 512LL << 20);
  EXPECT_EQ(w.limits.file_bytes, 8LL << 20);
  EXPECT_EQ(w.limits.processes, 4);
  EXPECT_EQ(w.limits.output_bytes, 4096u);
  EXPECT_EQ(w.disk_bytes, 32LL << 20);
}

TEST_F(WorkspaceSpecTest, LimitsThatWouldWrapAreRefusedByName) {
  // Each value once wrapped: << 20 past 2^63, or narrowed to int / size_t.
  const struct {
    const char* field;
    long long value;
  } kCases[] = {{"memory_mb", 1LL << 44},
                {"file_mb", 1LL << 43},
                {"disk_mb", 1LL << 44},
                {"processes", (1LL << 32) + 1},
                {"output_bytes", LLONG_MAX},
                {"memory_mb", -(1LL << 44)},
                {"processes", 0},
                {"output_bytes", 255}};
  for (const auto& c : kCases) {
    std::string what = ErrorOf(Spec({{c.field, c.value}}));
    EXPECT_NE(what.find(std::string("$.workspace.limits.") + c.field), std::string::npos)
        << c.field << " " << c.value << ": " << what;
    EXPECT_NE(what.find("must be an integer in ["), std::string::npos) << what;
  }
}

TEST_F(WorkspaceSpecTest, ATaskWithoutEvalIsRefusedAtLoad) {
  Json j = Spec(nullptr);
  j.erase("eval");
  std::string what = ErrorOf(j);
  EXPECT_NE(what.find("task.json: $.workspace.eval"), std::string::npos) << what;
  EXPECT_NE(what.find("evaluation"), std::string::npos) << what;
  EXPECT_EQ(what.find('\n'), std::string::npos) << what;  // one line
}

}  // namespace
}  // namespace ctxbench
