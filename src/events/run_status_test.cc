#include "events/run_status.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace ctxbench {
namespace {

TEST(RunStatusNameTest, EveryStatusNameParsesBackAndRunningIsNone) {
  for (RunStatus s : {RunStatus::kComplete, RunStatus::kCompleteWithErrors, RunStatus::kFailed,
                      RunStatus::kInterrupted}) {
    EXPECT_EQ(ParseRunStatus(RunStatusName(s)), s);
    EXPECT_EQ(ReadRecordedRunStatus(RecordedRunStatusName(s), "run.json"), s);
  }
  EXPECT_EQ(RunStatusName(RunStatus::kCompleteWithErrors), std::string("complete_with_errors"));
  EXPECT_EQ(ParseRunStatus("running"), std::nullopt);
  EXPECT_EQ(RecordedRunStatusName(std::nullopt), "running");
  EXPECT_EQ(ReadRecordedRunStatus("running", "run.json"), std::nullopt);
}

TEST(RunStatusNameTest, AnUnknownRecordedStatusIsAnInputErrorNamingItAndTheFile) {
  for (const char* bad : {"", "Complete", "done", "error"}) {
    try {
      ReadRecordedRunStatus(bad, "/runs/x/run.json");
      ADD_FAILURE() << "no error for '" << bad << "'";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInput);
      std::string what = e.what();
      EXPECT_NE(what.find("/runs/x/run.json"), std::string::npos) << what;
      EXPECT_NE(what.find("'" + std::string(bad) + "'"), std::string::npos) << what;
    }
  }
}

}  // namespace
}  // namespace ctxbench
