// Test support: what TaskSpecFromJson says about a spec it refuses.
// Used only by *_test.cc.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "core/error.h"
#include "core/json.h"
#include "tasks/task_spec.h"

namespace ctxbench {

// The message of the Error TaskSpecFromJson throws for spec `j` (read as
// "t.json" in "."), "" when it accepts the spec. A refusal must be an input
// error (exit code 2); a test fails otherwise.
inline std::string SpecErrorOf(const Json& j) {
  try {
    TaskSpecFromJson(j, "t.json", ".");
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), 2);
    return e.what();
  }
  return "";
}

}  // namespace ctxbench
