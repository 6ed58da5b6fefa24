#include "run/run_status.h"

#include <gtest/gtest.h>

namespace ctxbench {
namespace {

EpisodeCounts Counts(size_t planned, size_t complete, size_t errors) {
  return {planned, complete, errors};
}

TEST(RunStatusTest, EveryEpisodeCompleteIsCompleteAndExitsZero) {
  RunEnd end = DecideRunEnd(Counts(12, 12, 0), "", false);
  EXPECT_EQ(end.status, RunStatus::kComplete);
  EXPECT_EQ(end.reason, "");
  EXPECT_STREQ(RunStatusName(end.status), "complete");
  EXPECT_EQ(RunExitCode(end.status), 0);
}

TEST(RunStatusTest, AllFinishedSomeErroredIsCompleteWithErrorsAndExitsThree) {
  RunEnd end = DecideRunEnd(Counts(48, 0, 48), "", false);
  EXPECT_EQ(end.status, RunStatus::kCompleteWithErrors);
  EXPECT_STREQ(RunStatusName(end.status), "complete_with_errors");
  EXPECT_EQ(RunExitCode(end.status), 3);
  EXPECT_NE(end.reason.find("48 of 48 episodes errored"), std::string::npos) << end.reason;
  // A signal after the last episode started changes nothing.
  EXPECT_EQ(DecideRunEnd(Counts(4, 3, 1), "", true).status, RunStatus::kCompleteWithErrors);
  EXPECT_EQ(DecideRunEnd(Counts(4, 4, 0), "", true).status, RunStatus::kComplete);
}

TEST(RunStatusTest, SignalWithUnfinishedEpisodesIsInterruptedAndExits130) {
  RunEnd end = DecideRunEnd(Counts(12, 3, 1), "", true);
  EXPECT_EQ(end.status, RunStatus::kInterrupted);
  EXPECT_STREQ(RunStatusName(end.status), "interrupted");
  EXPECT_EQ(RunExitCode(end.status), 130);
  EXPECT_NE(end.reason.find("8 of 12 episodes unfinished"), std::string::npos) << end.reason;
}

TEST(RunStatusTest, StopReasonMakesTheRunFailedWhateverTheCounts) {
  for (bool signal : {false, true}) {
    for (EpisodeCounts c : {Counts(4, 4, 0), Counts(4, 1, 1), Counts(4, 0, 4)}) {
      RunEnd end = DecideRunEnd(c, "fail_on_error reached", signal);
      EXPECT_EQ(end.status, RunStatus::kFailed);
      EXPECT_EQ(end.reason, "fail_on_error reached");
      EXPECT_EQ(RunExitCode(end.status), 1);
    }
  }
}

TEST(RunStatusTest, UnfinishedEpisodesWithoutASignalOrReasonAreAFailure) {
  RunEnd end = DecideRunEnd(Counts(5, 2, 0), "", false);
  EXPECT_EQ(end.status, RunStatus::kFailed);
  EXPECT_NE(end.reason.find("3 of 5 episodes unfinished"), std::string::npos) << end.reason;
}

TEST(RunStatusTest, ExitCodeOfARecordedStatusName) {
  auto code = [](const std::string& name) { return RunExitCode(*ParseRunStatus(name)); };
  EXPECT_EQ(code("complete"), 0);
  EXPECT_EQ(code("complete_with_errors"), 3);
  EXPECT_EQ(code("failed"), 1);
  EXPECT_EQ(code("interrupted"), 130);
}

TEST(RunStatusTest, CountsEpisodesByStatus) {
  EpisodeCounts c{6, 0, 0};
  for (EpisodeStatus s : {EpisodeStatus::kComplete, EpisodeStatus::kError, EpisodeStatus::kComplete,
                          EpisodeStatus::kInterrupted, EpisodeStatus::kError}) {
    CountEpisode(s, c);
  }
  EXPECT_EQ(c.complete, 2u);
  EXPECT_EQ(c.errors, 2u);
  EXPECT_EQ(c.done(), 4u);
  EXPECT_EQ(c.unfinished(), 2u);  // the interrupted one and the one never run
  EXPECT_EQ(CountsText(c), "4/6 episodes done, 2 errors, 2 unfinished");
}

}  // namespace
}  // namespace ctxbench
