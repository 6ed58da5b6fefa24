// A Model decorator for models that wait on a server: it gives the episode's
// CPU slot back for the length of each call (retries and rate-limit waits
// included) and takes a slot again before returning, so waiting episodes do
// not keep CPU work from running.
//
// Error channel: as the inner model's Complete(); the slot is taken again
// before an error propagates. Thread-compatible like Model.
#pragma once

#include <memory>
#include <string>

#include "llm/model.h"
#include "run/cpu_slots.h"

namespace ctxbench {

class OffCpuModel final : public Model {
 public:
  // REQUIRES: the thread calling Complete() holds a slot of `slots`, which
  // outlives this model.
  OffCpuModel(std::unique_ptr<Model> inner, CpuSlots& slots)
      : inner_(std::move(inner)), slots_(slots) {}

  std::string name() const override { return inner_->name(); }
  Completion Complete(const CompletionRequest& request) override;

 private:
  std::unique_ptr<Model> inner_;
  CpuSlots& slots_;
};

}  // namespace ctxbench
