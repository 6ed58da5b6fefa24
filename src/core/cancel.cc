#include "core/cancel.h"

#include <algorithm>
#include <chrono>
#include <thread>

namespace ctxbench {

bool Cancellation::WaitFor(double seconds, const std::function<bool()>& also) const {
  using Clock = std::chrono::steady_clock;
  const auto end = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                      std::chrono::duration<double>(std::max(0.0, seconds)));
  constexpr auto kSlice = std::chrono::milliseconds(50);
  for (;;) {
    if (requested() || (also && also())) return true;
    auto now = Clock::now();
    if (now >= end) return false;
    std::this_thread::sleep_for(std::min<Clock::duration>(kSlice, end - now));
  }
}

Cancellation& Cancellation::Process() {
  static Cancellation flag;
  return flag;
}

}  // namespace ctxbench
