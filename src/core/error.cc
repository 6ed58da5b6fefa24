#include "core/error.h"

namespace ctxbench {

Error::Error(ErrorCode code, const std::string& where, const std::string& what)
    : std::runtime_error(where.empty() ? what : where + ": " + what), code_(code), where_(where) {}

void ThrowInput(const std::string& where, const std::string& what) {
  throw Error(ErrorCode::kInput, where, what);
}
void ThrowUsage(const std::string& where, const std::string& what) {
  throw Error(ErrorCode::kUsage, where, what);
}
void ThrowRuntime(const std::string& where, const std::string& what) {
  throw Error(ErrorCode::kRuntime, where, what);
}

}  // namespace ctxbench
