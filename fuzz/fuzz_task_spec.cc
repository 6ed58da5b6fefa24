// libFuzzer target: task.json text → TaskSpec (size and depth limits, parse,
// validation). Input errors are expected; anything else is a bug.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.h"
#include "core/json_limits.h"
#include "tasks/task_spec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    if (!ctxbench::CheckJsonLimits(text, ctxbench::kMaxJsonFileBytes, ctxbench::kMaxJsonDepth)) {
      return 0;
    }
    // The folder does not exist: data paths are only joined, never read.
    ctxbench::TaskSpecFromJson(ctxbench::ParseJson(text, "task.json"), "task.json",
                               "/nonexistent/fuzz-task");
  } catch (const ctxbench::Error&) {
  }
  return 0;
}
