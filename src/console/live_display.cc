#include "console/live_display.h"

#include <pthread.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>

#include "console/cursor_report.h"
#include "console/frame.h"
#include "console/progress_record.h"
#include "core/env.h"
#include "core/lines.h"
#include "core/log_tap.h"

namespace ctxbench {

namespace {

constexpr double kTickS = 0.05;        // how often the display thread looks
constexpr double kLiveRedrawS = 0.25;  // live: redraw at least this often
constexpr size_t kPendingMax = 10000;  // live: log lines kept for the next redraw
constexpr double kCursorQueryS = 0.5;  // live: the terminal's answer to where its cursor is

std::atomic<bool> g_resized{false};
// PostNotice's hand-over: set while a live view owns the terminal; the
// notices posted and not yet taken.
std::atomic<bool> g_live_owner{false};
// A few slots, so that a second Ctrl-C's notice does not replace the
// first's when both come before the next tick.
constexpr size_t kNoticeSlots = 4;
std::atomic<const char*> g_notices[kNoticeSlots] = {};
static_assert(std::atomic<const char*>::is_always_lock_free, "used in a signal handler");
constexpr auto kHardStopWait = std::chrono::seconds(1);  // for a draw under way
struct sigaction g_old_winch;

void OnWinch(int) { g_resized.store(true); }

}  // namespace

std::optional<ProgressMode> ParseProgressMode(const std::string& name, int fd) {
  if (name == "live") return ProgressMode::kLive;
  if (name == "lines") return ProgressMode::kLines;
  if (name == "json") return ProgressMode::kJson;
  if (name == "none") return ProgressMode::kNone;
  if (name != "auto") return std::nullopt;
  std::optional<std::string> term = GetEnv("TERM");
  bool dumb = !term || *term == "dumb";
  return ::isatty(fd) && !dumb ? ProgressMode::kLive : ProgressMode::kLines;
}

bool LiveDisplay::PostNotice(const char* notice) {
  for (std::atomic<const char*>& slot : g_notices) {
    const char* empty = nullptr;
    if (!slot.compare_exchange_strong(empty, notice)) continue;
    if (g_live_owner.load()) return true;
    // No view (or it just ended): take the notice back unless the view did.
    const char* mine = notice;
    return !slot.compare_exchange_strong(mine, nullptr);
  }
  return false;  // every slot taken: the caller writes it
}

void LiveDisplay::TakeNotice() {
  for (std::atomic<const char*>& slot : g_notices) {
    const char* notice = slot.exchange(nullptr);
    if (notice == nullptr) continue;
    std::lock_guard<std::mutex> lock(mu_);
    for (std::string& line : SplitLines(notice)) {
      if (!line.empty()) pending_.push_back(std::move(line));
    }
  }
}

void LiveDisplay::HardStop() {
  RestoreTerminalAfterQuery();  // the process ends: echo must not stay off
  std::unique_lock<std::timed_mutex> lock(region_mu_, std::defer_lock);
  if (!lock.try_lock_for(kHardStopWait)) return;  // the terminal takes no bytes
  TakeNotice();
  DrawLive(/*final=*/true);
  stopped_ = true;
}

LiveDisplay::LiveDisplay(DisplayOptions options, const Clock& clock)
    : options_(options), clock_(clock), state_(clock) {}

LiveDisplay::~LiveDisplay() { OnGridEnd(); }

void LiveDisplay::OnEvent(const EpisodeKey& key, const Event& event) {
  if (options_.mode == ProgressMode::kNone) return;
  try {
    state_.OnEvent(key, event);
  } catch (const std::exception& e) {
    std::lock_guard<std::mutex> lock(failure_mu_);
    if (failure_.empty()) {
      failure_ = "progress display: " + key.Id() + ": event " + std::to_string(event.seq) + " (" +
                 EventTypeName(event.type) + "): " + e.what();
    }
  }
}

std::string LiveDisplay::Failure() const {
  std::lock_guard<std::mutex> lock(failure_mu_);
  return failure_;
}

void LiveDisplay::OnGridStart(const GridInfo& info) {
  if (options_.mode == ProgressMode::kNone || running_) return;
  state_.Start(info);
  running_ = true;
  stop_ = false;
  if (options_.mode == ProgressMode::kLive) {
    struct sigaction sa = {};
    sa.sa_handler = OnWinch;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGWINCH, &sa, &g_old_winch);
    hard_stop_.emplace([this] { HardStop(); });  // before notices are taken
    g_live_owner.store(true);
  }
  if (options_.mode == ProgressMode::kLive || options_.mode == ProgressMode::kJson) {
    SetLogTap([this](LogLevel level, const std::string& line) { OnLogLine(level, line); });
  }
  if (options_.mode == ProgressMode::kJson) {
    Write(ProgressRecord(state_.Snapshot(), false).dump() + "\n");
  }
  thread_ = std::thread(&LiveDisplay::Loop, this);
}

void LiveDisplay::OnGridEnd() {
  if (!running_) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
  if (options_.mode == ProgressMode::kLive || options_.mode == ProgressMode::kJson) {
    SetLogTap({});  // the grid's threads are done: no call is left in the tap
  }
  if (options_.mode == ProgressMode::kLive) {
    g_live_owner.store(false);
    TakeNotice();  // posted before the owner flag fell: printed with the last draw
    {
      std::lock_guard<std::timed_mutex> lock(region_mu_);
      DrawLive(/*final=*/true);
    }
    hard_stop_.reset();
    sigaction(SIGWINCH, &g_old_winch, nullptr);
  } else if (options_.mode == ProgressMode::kJson) {
    Write(ProgressRecord(state_.Snapshot(), true).dump() + "\n");
  }
  running_ = false;
}

void LiveDisplay::OnLogLine(LogLevel level, const std::string& line) {
  if (options_.mode == ProgressMode::kJson) {
    Write(LogRecord(level, line).dump() + "\n");
    return;
  }
  if (level <= LogLevel::kWarn) state_.AddWarning(line);
  std::lock_guard<std::mutex> lock(mu_);
  if (pending_.size() < kPendingMax) pending_.push_back(line);
}

void LiveDisplay::Loop() {
  pthread_setname_np(pthread_self(), "ctxbench-view");  // bench/progress_overhead.py finds it
  double last = clock_.MonotonicSeconds();
  if (options_.mode == ProgressMode::kLive) {
    // The frame goes to the bottom of the screen (console/terminal_region.h):
    // the empty rows below the cursor are scrolled out first.
    std::optional<size_t> row = QueryCursorRow(options_.fd, kCursorQueryS);
    size_t height = Height();
    std::lock_guard<std::timed_mutex> lock(region_mu_);
    if (row && *row + 1 < height) Write(TerminalRegion::ScrollDown(height - 1 - *row));
    DrawLive(false);
  }
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    wake_.wait_for(lock, std::chrono::duration<double>(kTickS), [this] { return stop_; });
    if (stop_) break;
    double now = clock_.MonotonicSeconds();
    if (options_.mode == ProgressMode::kLive) {
      lock.unlock();
      TakeNotice();
      lock.lock();
      bool resized = g_resized.exchange(false);
      if (!resized && pending_.empty() && now - last < kLiveRedrawS) continue;
      lock.unlock();
      {
        std::lock_guard<std::timed_mutex> write_lock(region_mu_);
        DrawLive(false);
      }
      lock.lock();
      last = now;
    } else if (now - last >= options_.interval_s) {
      last = now;
      lock.unlock();
      if (options_.mode == ProgressMode::kJson) {
        Write(ProgressRecord(state_.Snapshot(), false).dump() + "\n");
      } else {
        LogInfo(SummaryLine(state_.Snapshot()));
      }
      lock.lock();
    }
  }
}

void LiveDisplay::DrawLive(bool final) {
  if (stopped_) return;  // a hard stop erased the frame for good
  std::vector<std::string> above;
  {
    std::lock_guard<std::mutex> lock(mu_);
    above.swap(pending_);
  }
  size_t width = Width();
  size_t height = Height();
  std::vector<FrameLine> frame;
  if (!final) {
    // At most half the screen: a narrowing that doubles its rows still
    // leaves it on the screen (console/terminal_region.h).
    frame =
        RenderFrame(state_.Snapshot(), width > 1 ? width - 1 : 1, std::max<size_t>(height / 2, 1));
  }
  Write(region_.Redraw(above, frame, width, height));
}

void LiveDisplay::Write(const std::string& bytes) {
  std::lock_guard<std::mutex> lock(write_mu_);
  size_t off = 0;
  while (off < bytes.size()) {
    ssize_t n = ::write(options_.fd, bytes.data() + off, bytes.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    off += static_cast<size_t>(n);
  }
}

size_t LiveDisplay::Width() const {
  struct winsize ws = {};
  if (::ioctl(options_.fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return 80;
}

size_t LiveDisplay::Height() const {
  struct winsize ws = {};
  if (::ioctl(options_.fd, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0) return ws.ws_row;
  return 24;
}

}  // namespace ctxbench
