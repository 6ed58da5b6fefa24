// libFuzzer target: config.json text → RunConfig, the way `ctxbench run`
// reads it (size and depth limits, parse, validation). An input error is the
// expected answer to bad input; anything else escaping (another exception, a
// crash, a sanitizer report) is a bug.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.h"
#include "core/json_limits.h"
#include "run/run_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    if (!ctxbench::CheckJsonLimits(text, ctxbench::kMaxJsonFileBytes, ctxbench::kMaxJsonDepth)) {
      return 0;
    }
    ctxbench::RunConfig config =
        ctxbench::RunConfigFromJson(ctxbench::ParseJson(text, "fuzz.json"), "fuzz.json");
    ctxbench::RunConfigToJson(config);
  } catch (const ctxbench::Error&) {
  }
  return 0;
}
