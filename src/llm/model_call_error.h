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
// unavailable); `purpose` is the request's ("agent" or "summarize").
class ModelCallError : public Error {
 public:
  ModelCallError(const std::string& where, const std::string& what,
                 std::vector<std::string> failures, std::string purpose)
      : Error(ErrorCode::kRuntime, where, what),
        failures_(std::move(failures)),
        purpose_(std::move(purpose)) {}

  int attempts() const { return static_cast<int>(failures_.size()); }
  const std::vector<std::string>& failures() const { return failures_; }
  const std::string& purpose() const { return purpose_; }

 private:
  std::vector<std::string> failures_;
  std::string purpose_;
};

}  // namespace ctxbench
