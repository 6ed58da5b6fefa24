// CPU slots: a counting semaphore that bounds the CPU work of a run's
// episodes (training, sim replies, context builds, workspace commands) to the
// CPUs given, while many more episodes may be in flight waiting on model
// APIs. Each episode thread holds a slot while it works and gives it back
// while a model call waits on the network (OffCpuModel).
//
// Error channel: none. Thread-safe.
#pragma once

#include <condition_variable>
#include <mutex>

namespace ctxbench {

class CpuSlots {
 public:
  // REQUIRES: slots >= 1.
  explicit CpuSlots(int slots);
  CpuSlots(const CpuSlots&) = delete;
  CpuSlots& operator=(const CpuSlots&) = delete;

  // Blocks until a slot is free and takes it.
  void Acquire();
  // Gives a slot back. REQUIRES: the caller holds one.
  void Release();
  int slots() const { return slots_; }

  // Holds a slot for its lifetime.
  class Hold {
   public:
    explicit Hold(CpuSlots& slots) : slots_(slots) { slots_.Acquire(); }
    ~Hold() { slots_.Release(); }
    Hold(const Hold&) = delete;
    Hold& operator=(const Hold&) = delete;

   private:
    CpuSlots& slots_;
  };

 private:
  const int slots_;
  std::mutex mu_;
  std::condition_variable freed_;
  int free_;
};

// The CPUs this process may run on (its affinity mask, which taskset and
// Slurm's cpusets narrow), at least 1.
int UsableCpus();

}  // namespace ctxbench
