// libFuzzer target: the `.env` reader. Input errors are expected; anything
// else is a bug.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/dotenv.h"
#include "core/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    ctxbench::ParseDotenv(text, ".env");
  } catch (const ctxbench::Error&) {
  }
  return 0;
}
