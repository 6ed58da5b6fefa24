#include "run/cpu_slots.h"

#include <sched.h>

#include <algorithm>
#include <thread>

namespace ctxbench {

CpuSlots::CpuSlots(int slots) : slots_(std::max(1, slots)), free_(slots_) {}

void CpuSlots::Acquire() {
  std::unique_lock<std::mutex> lock(mu_);
  freed_.wait(lock, [&] { return free_ > 0; });
  --free_;
}

void CpuSlots::Release() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++free_;
  }
  freed_.notify_one();
}

int UsableCpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0) return std::max(1, CPU_COUNT(&set));
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

}  // namespace ctxbench
