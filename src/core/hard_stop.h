// The hard stop (a second Ctrl-C): what must still happen before the process
// ends at once.
//
// A signal handler may only do async-signal-safe work, so it calls
// RequestHardStop(), which wakes a thread started by StartHardStopThread; that
// thread runs the registered actions, newest first, and then ends the process
// with _exit(exit_code) (no destructors, no atexit handlers). Each action must
// bound its own time. Used to send the spans made so far (telemetry) so that
// nothing a collector already holds is left without its run.
//
// Thread safety: everything here is safe from any thread; RequestHardStop()
// is also async-signal-safe.
#pragma once

#include <functional>
#include <list>

namespace ctxbench {

// Starts the thread (once per process; later calls do nothing). Returns false
// when it could not be started: hard stops then find no thread.
bool StartHardStopThread(int exit_code);

// Wakes the thread. Returns false when there is none (the caller then exits
// itself). Async-signal-safe: one write(2) to a pipe.
bool RequestHardStop() noexcept;

// Registers `action` for a hard stop while the object lives. The destructor
// waits while the actions run (the process then ends before it returns).
class HardStopAction {
 public:
  explicit HardStopAction(std::function<void()> action);
  ~HardStopAction();
  HardStopAction(const HardStopAction&) = delete;
  HardStopAction& operator=(const HardStopAction&) = delete;

 private:
  std::list<std::function<void()>>::iterator it_;
};

}  // namespace ctxbench
