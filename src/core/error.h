// The one error type of ctxbench.
//
// Error channel: code that loads or validates user input (config, task specs,
// data files, CLI flags) throws ctxbench::Error; the CLI turns it into one line
// on stderr and exit code 2 (kUsage / kInput) or 1 (kRuntime). Expected
// failures inside an episode (an invalid action, a failed training run) are
// values, never exceptions: they become events and the episode goes on.
#pragma once

#include <stdexcept>
#include <string>

namespace ctxbench {

enum class ErrorCode {
  kUsage,    // bad flags or config: fix the input (exit 2)
  kInput,    // missing or malformed file or data (exit 2)
  kRuntime,  // something failed while running (exit 1)
};

class Error : public std::runtime_error {
 public:
  // `where` names the input: a file path, a JSON path ("config.json: $.tasks[2]"),
  // a flag. The message reads "where: what".
  Error(ErrorCode code, const std::string& where, const std::string& what);

  ErrorCode code() const { return code_; }
  const std::string& where() const { return where_; }
  int exit_code() const { return code_ == ErrorCode::kRuntime ? 1 : 2; }

 private:
  ErrorCode code_;
  std::string where_;
};

[[noreturn]] void ThrowInput(const std::string& where, const std::string& what);
[[noreturn]] void ThrowUsage(const std::string& where, const std::string& what);
[[noreturn]] void ThrowRuntime(const std::string& where, const std::string& what);

}  // namespace ctxbench
