// Success, or the reason there is none: the error channel for expected
// failures of operations that return no value (a workspace write the agent
// got wrong, a file that could not be copied). Its value-returning
// counterpart is Expected<T> (core/expected.h); errors that end the work
// throw ctxbench::Error (core/error.h). What a function uses is said at its
// declaration.
#pragma once

#include <string>
#include <utility>

namespace ctxbench {

// Ok, or failed with a one-line error. Cheap to copy when ok. [[nodiscard]]:
// a Status dropped on the floor is a failure nobody hears of; say so with a
// comment and a (void) cast where that is meant.
class [[nodiscard]] Status {
 public:
  // Ok.
  Status() = default;
  static Status Ok() { return Status(); }
  // REQUIRES: `error` is not empty (it is what the caller shows). Not ok even
  // when it is.
  static Status Failure(std::string error) { return Status(std::move(error), 0); }

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  // "" when ok().
  const std::string& error() const { return error_; }

 private:
  Status(std::string error, int) : ok_(false), error_(std::move(error)) {}
  bool ok_ = true;
  std::string error_;
};

}  // namespace ctxbench
