#include "console/live_display.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <sstream>
#include <thread>

#include "core/hard_stop.h"
#include "core/json.h"

namespace ctxbench {
namespace {

// A pipe the display writes to; Read() takes what it wrote.
class Pipe {
 public:
  Pipe() {
    EXPECT_EQ(::pipe(fds_), 0);
    ::fcntl(fds_[0], F_SETFL, O_NONBLOCK);
  }
  ~Pipe() {
    ::close(fds_[0]);
    ::close(fds_[1]);
  }
  int write_fd() const { return fds_[1]; }
  std::string Read() {
    std::string out;
    char buf[4096];
    for (ssize_t n; (n = ::read(fds_[0], buf, sizeof buf)) > 0;) out.append(buf, n);
    return out;
  }

 private:
  int fds_[2];
};

Event Start() {
  Event e;
  e.type = EventType::kEpisodeStart;
  e.data = {{"context_tokens", 4000}, {"iterations", 3}};
  return e;
}

const EpisodeKey kKey{"toy", "full", "sim", "agentic", 1};

TEST(LiveDisplay, JsonModeWritesRecordsAndTurnsLogLinesIntoRecords) {
  Pipe pipe;
  LiveDisplay display({ProgressMode::kJson, 0.05, pipe.write_fd()});
  display.OnGridStart({1, 1, 0, {}});
  display.OnEvent(kKey, Start());
  LogWarn("collector down");
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  display.OnGridEnd();
  LogInfo("after the grid: to stderr again, not to the pipe");

  std::istringstream lines(pipe.Read());
  std::vector<Json> records;
  for (std::string line; std::getline(lines, line);) records.push_back(Json::parse(line));
  ASSERT_GE(records.size(), 4u);  // start, a warning, a periodic one, the final one
  EXPECT_EQ(records.front()["type"], "progress");
  EXPECT_EQ(records.front()["done"], 0);
  EXPECT_EQ(records.back()["final"], true);
  EXPECT_EQ(records.back()["in_flight"].size(), 1u);
  int warnings = 0, periodic = 0;
  for (const Json& r : records) {
    if (r["type"] == "log") {
      EXPECT_EQ(r["level"], "warning");
      EXPECT_EQ(r["message"], "collector down");
      ++warnings;
    } else if (r["final"] == false && r["in_flight"].size() == 1) {
      ++periodic;
    }
  }
  EXPECT_EQ(warnings, 1);
  EXPECT_GE(periodic, 1);
}

TEST(LiveDisplay, LiveModeDrawsAboveTheLogAndErasesAtTheEnd) {
  Pipe pipe;
  LiveDisplay display({ProgressMode::kLive, 30, pipe.write_fd()});
  display.OnGridStart({1, 1, 0, {}});
  display.OnEvent(kKey, Start());
  LogWarn("endpoint failing");
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  display.OnGridEnd();
  std::string out = pipe.Read();
  EXPECT_NE(out.find("\x1b[2K\x1b[1;33mwarning: endpoint failing\x1b[0m\n"), std::string::npos);
  EXPECT_NE(out.find("in flight 1:"), std::string::npos);
  EXPECT_NE(out.find("! warning: endpoint failing"), std::string::npos);  // kept in view
  // The last bytes erase the frame row by row and leave the cursor at its top.
  size_t erase = out.rfind("\r\x1b[");
  ASSERT_NE(erase, std::string::npos);
  EXPECT_EQ(out.find('\n', erase), std::string::npos) << "something drawn after the erase";
  EXPECT_NE(out.find("\x1b[2K", erase), std::string::npos);
}

TEST(LiveDisplay, ANoticePostedDuringTheLiveViewIsPrintedAboveTheFrame) {
  EXPECT_FALSE(LiveDisplay::PostNotice("no view: the caller writes it\n"));
  Pipe pipe;
  LiveDisplay display({ProgressMode::kLive, 30, pipe.write_fd()});
  display.OnGridStart({1, 1, 0, {}});
  display.OnEvent(kKey, Start());
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_TRUE(LiveDisplay::PostNotice("\nctxbench: stopping\n"));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  std::string during = pipe.Read();
  display.OnGridEnd();
  // Drawn as a log line: the cursor first moved up over the frame, the
  // notice's row erased, then the frame below it again.
  size_t notice = during.find("\x1b[2Kctxbench: stopping\n");
  ASSERT_NE(notice, std::string::npos) << during;
  EXPECT_NE(during.rfind("A", notice), std::string::npos);
  EXPECT_NE(during.find("in flight 1:", notice), std::string::npos);
  EXPECT_EQ(during.find("no view"), std::string::npos);
  // The view is gone: the next notice is the caller's again.
  EXPECT_FALSE(LiveDisplay::PostNotice("after\n"));
}

TEST(LiveDisplay, ANoticePostedAsTheGridEndsIsPrintedWithTheLastDraw) {
  Pipe pipe;
  LiveDisplay display({ProgressMode::kLive, 30, pipe.write_fd()});
  display.OnGridStart({1, 1, 0, {}});
  EXPECT_TRUE(LiveDisplay::PostNotice("ctxbench: stopping\n"));
  display.OnGridEnd();
  std::string out = pipe.Read();
  EXPECT_NE(out.find("\x1b[2Kctxbench: stopping\n"), std::string::npos) << out;
}

// A second Ctrl-C (a hard stop: core/hard_stop.h) ends the process from
// the hard-stop thread: the live view's action prints the posted notices in
// place of its frame, so no frame is left on the screen or in the
// scrollback, and draws nothing after. In a child, since the process ends.
TEST(LiveDisplay, AHardStopPrintsTheNoticesInPlaceOfTheFrame) {
  int out[2], go[2];
  ASSERT_EQ(::pipe(out), 0);
  ASSERT_EQ(::pipe(go), 0);
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::close(out[0]);
    ::close(go[1]);
    if (!StartHardStopThread(42)) ::_exit(2);
    LiveDisplay display({ProgressMode::kLive, 30, out[1]});
    display.OnGridStart({1, 1, 0, {}});
    display.OnEvent(kKey, Start());
    // Waits until the parent has read a frame (at most 10 s, then goes on
    // and the test fails below), not a fixed time a busy machine may miss.
    pollfd wait_go{go[0], POLLIN, 0};
    ::poll(&wait_go, 1, 10000);
    // Two notices before the next tick (two Ctrl-C at once): both are kept.
    if (!LiveDisplay::PostNotice("\nctxbench: stopping\n")) ::_exit(3);
    if (!LiveDisplay::PostNotice("\nctxbench: stopped at once\n")) ::_exit(3);
    if (!RequestHardStop()) ::_exit(4);
    ::sleep(10);  // the hard-stop thread ends the process first
    ::_exit(5);
  }
  ::close(out[1]);
  ::close(go[0]);
  std::string said;
  char buf[4096];
  bool told = false;
  for (ssize_t n; (n = ::read(out[0], buf, sizeof buf)) > 0;) {
    said.append(buf, n);
    if (!told && said.find("in flight 1:") != std::string::npos) {
      told = ::write(go[1], "g", 1) == 1;  // the frame is drawn: stop now
    }
  }
  ::close(out[0]);
  ::close(go[1]);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 42);
  size_t first = said.find("\x1b[2Kctxbench: stopping\n");
  size_t second = said.find("\x1b[2Kctxbench: stopped at once\n");
  ASSERT_NE(first, std::string::npos) << said;
  ASSERT_NE(second, std::string::npos) << said;
  EXPECT_LT(first, second);
  EXPECT_LT(said.find("in flight 1:"), first);  // the frame was drawn before
  std::string tail = said.substr(second);
  EXPECT_EQ(tail.find("in flight"), std::string::npos) << "a frame after the hard stop";
  EXPECT_NE(tail.find("\x1b[J"), std::string::npos);  // the old frame's rows erased
}

TEST(LiveDisplay, NoneModeWritesNothing) {
  Pipe pipe;
  LiveDisplay display({ProgressMode::kNone, 0.01, pipe.write_fd()});
  display.OnGridStart({1, 1, 0, {}});
  display.OnEvent(kKey, Start());
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  display.OnGridEnd();
  EXPECT_EQ(pipe.Read(), "");
}

// The sinks' rule: the view never throws into the episode that appends an
// event. One it cannot read (here an action that is not a string) is kept as
// its failure, naming the episode and the event, and the view goes on.
TEST(LiveDisplay, AnEventItCannotReadIsItsFailureNotAnException) {
  Pipe pipe;
  LiveDisplay display({ProgressMode::kJson, 0.05, pipe.write_fd()});
  display.OnGridStart({1, 1, 0, {}});
  display.OnEvent(kKey, Start());
  EXPECT_EQ(display.Failure(), "");
  Event bad;
  bad.seq = 7;
  bad.type = EventType::kStepSummary;
  bad.data = {{"action", 5}};
  EXPECT_NO_THROW(display.OnEvent(kKey, bad));
  std::string failure = display.Failure();
  EXPECT_NE(failure.find(kKey.Id()), std::string::npos) << failure;
  EXPECT_NE(failure.find("event 7 (step.summary)"), std::string::npos) << failure;
  bad.seq = 8;
  EXPECT_NO_THROW(display.OnEvent(kKey, bad));
  EXPECT_EQ(display.Failure(), failure);  // the first failure is kept
  display.OnGridEnd();
  EXPECT_NE(pipe.Read(), "");
}

TEST(LiveDisplay, AutoIsLinesWhenNotATerminal) {
  Pipe pipe;
  EXPECT_EQ(ParseProgressMode("auto", pipe.write_fd()), ProgressMode::kLines);
  EXPECT_EQ(ParseProgressMode("json", pipe.write_fd()), ProgressMode::kJson);
  EXPECT_FALSE(ParseProgressMode("fancy", pipe.write_fd()).has_value());
}

}  // namespace
}  // namespace ctxbench
