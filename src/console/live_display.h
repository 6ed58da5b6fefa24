// The progress of a running grid on stderr, in one of four forms
// (docs/progress.md):
//  - live: a frame redrawn in place about 4 times a second (console/frame.h):
//    the progress bar, the episodes in flight, totals, per-model connections,
//    warnings kept in view; log lines scroll above it; redrawn at once on a
//    resize (SIGWINCH); erased at the end of the grid, or at a hard stop (a
//    second Ctrl-C, core/hard_stop.h) with the notices posted printed in its
//    place;
//  - lines: the log's one line per finished episode plus a summary line
//    (console/frame.h SummaryLine) every `interval_s`; no control characters;
//  - json: one JSON object per line (console/progress_record.h) every
//    `interval_s` and a final one; log lines become log records;
//  - none: nothing of its own (the log is left as it is).
//
// A RunWatcher: hand it to ExecuteRun (RunOptions::watcher). While the grid
// runs (live, json) it owns stderr: it takes over the log (core/log_tap.h).
//
// Thread safety: as RunWatcher. Error channel: none (a failed write to the
// terminal is ignored).
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "console/live_state.h"
#include "console/terminal_region.h"
#include "core/clock.h"
#include "core/hard_stop.h"
#include "core/log.h"
#include "run/run_watcher.h"

namespace ctxbench {

enum class ProgressMode { kLive, kLines, kJson, kNone };

// "auto" is live when `fd` is a terminal (and TERM is not "dumb"), else
// lines. nullopt for an unknown name.
std::optional<ProgressMode> ParseProgressMode(const std::string& name, int fd);

struct DisplayOptions {
  ProgressMode mode = ProgressMode::kLines;
  double interval_s = 30;  // lines and json: seconds between updates
  int fd = 2;              // where to write (stderr)
};

class LiveDisplay final : public RunWatcher {
 public:
  explicit LiveDisplay(DisplayOptions options, const Clock& clock = SystemClock::Get());
  ~LiveDisplay() override;  // ends the grid's display if still running
  LiveDisplay(const LiveDisplay&) = delete;
  LiveDisplay& operator=(const LiveDisplay&) = delete;

  // Async-signal-safe (atomics only). While a live view owns the terminal,
  // takes `notice` (REQUIRES: a string literal, or text that outlives the
  // process) to print above the frame at its next redraw (within 50 ms, when
  // the grid ends, or at a hard stop) and returns true: written straight to
  // the terminal it would land below the frame and leave that frame in the
  // scrollback. Otherwise (or when 4 notices are already waiting) returns
  // false and the caller writes it itself.
  static bool PostNotice(const char* notice);

  // Never throws (the sinks' rule, events/event.h): an event the view cannot
  // read is kept as Failure() and the view goes on without it.
  void OnEvent(const EpisodeKey& key, const Event& event) override;
  std::string Failure() const override;
  void OnGridStart(const GridInfo& info) override;
  void OnGridEnd() override;

 private:
  void Loop();
  void TakeNotice();  // moves the posted notices into pending_
  // The hard-stop action (core/hard_stop.h), live only: prints the notices
  // posted (a second Ctrl-C's) in place of the frame and draws no more.
  void HardStop();
  void OnLogLine(LogLevel level, const std::string& line);
  void DrawLive(bool final);  // REQUIRES: region_mu_ held
  void Write(const std::string& bytes);
  size_t Width() const;
  size_t Height() const;

  const DisplayOptions options_;
  const Clock& clock_;
  LiveState state_;
  std::thread thread_;
  std::mutex mu_;  // guards stop_ and pending_
  std::condition_variable wake_;
  bool stop_ = false;
  bool running_ = false;
  std::vector<std::string> pending_;  // live: log lines not yet drawn
  // Guards region_ and stopped_; taken before mu_ and write_mu_. Timed: a
  // hard stop waits for a draw under way at most kHardStopWait.
  std::timed_mutex region_mu_;
  TerminalRegion region_;
  bool stopped_ = false;  // after a hard stop: nothing more is drawn
  std::mutex write_mu_;   // one write to the terminal at a time
  mutable std::mutex failure_mu_;
  std::string failure_;  // the first event the view could not read, and why
  // Live, while the grid runs: a second Ctrl-C ends the process through
  // HardStop. Last: unregistered before anything HardStop uses goes.
  std::optional<HardStopAction> hard_stop_;
};

}  // namespace ctxbench
