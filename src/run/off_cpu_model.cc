#include "run/off_cpu_model.h"

namespace ctxbench {

namespace {

// Gives a held slot back for its lifetime.
class SlotLoan {
 public:
  explicit SlotLoan(CpuSlots& slots) : slots_(slots) { slots_.Release(); }
  ~SlotLoan() { slots_.Acquire(); }
  SlotLoan(const SlotLoan&) = delete;
  SlotLoan& operator=(const SlotLoan&) = delete;

 private:
  CpuSlots& slots_;
};

}  // namespace

Completion OffCpuModel::Complete(const CompletionRequest& request) {
  SlotLoan loan(slots_);
  return inner_->Complete(request);
}

}  // namespace ctxbench
