// The error a model call that failed throws (Model::Complete), carrying how
// many attempts it made, so a failed call is counted like an answered one.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/error.h"

namespace ctxbench {

// A runtime Error. `failures` says why each attempt failed, in order (empty
// when the call was refused before any attempt, e.g. the model was already
// unavailable); the first `retries` of them were retried (a retry was
// scheduled after each: the rest, the last or, when a wait was cut short,
// none, were not); `purpose` is the request's ("agent" or "summarize").
class ModelCallError : public Error {
 public:
  ModelCallError(const std::string& where, const std::string& what,
                 std::vector<std::string> failures, int retries, std::string purpose)
      : Error(ErrorCode::kRuntime, where, what),
        failures_(std::move(failures)),
        retries_(retries),
        purpose_(std::move(purpose)) {}

  int attempts() const { return static_cast<int>(failures_.size()); }
  int retries() const { return retries_; }
  const std::vector<std::string>& failures() const { return failures_; }
  const std::string& purpose() const { return purpose_; }

 private:
  std::vector<std::string> failures_;
  int retries_;
  std::string purpose_;
};

}  // namespace ctxbench
