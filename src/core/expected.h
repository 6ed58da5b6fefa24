// A value or the reason there is none: the error channel for expected
// failures that return a value (a config the agent got wrong, a score that
// could not be had). Errors that end the work throw ctxbench::Error instead
// (core/error.h); what a function uses is said at its declaration.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace ctxbench {

// Holds a T, or a non-empty one-line error. Copyable when T is. [[nodiscard]]
// like Status (core/status.h): a failure is not dropped unheard.
template <typename T>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : value_(std::move(value)) {}  // NOLINT: implicit, like std::expected
  static Expected Failure(std::string error) { return Expected(std::move(error), 0); }

  bool ok() const { return value_.has_value(); }
  explicit operator bool() const { return ok(); }
  // REQUIRES: ok().
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  const T& operator*() const& { return *value_; }
  const T* operator->() const { return &*value_; }
  // The value, or nullopt when failed (for a field that is optional beside
  // its error(), e.g. a hidden metric and why there is none).
  const std::optional<T>& as_optional() const& { return value_; }
  // "" when ok().
  const std::string& error() const { return error_; }

 private:
  Expected(std::string error, int) : error_(std::move(error)) {}
  std::optional<T> value_;
  std::string error_;
};

}  // namespace ctxbench
