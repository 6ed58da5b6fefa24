// StoredOutcome: the one rule by which resume, the report and the viewer read
// an episode's outcome back from a store.
#include "agent/fold_outcome.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace ctxbench {
namespace {

Event At(int64_t seq, EventType type, int step, Json data) {
  Event e;
  e.seq = seq;
  e.type = type;
  e.iteration = step;
  e.step = step;
  e.data = std::move(data);
  return e;
}

// An episode's events up to its second step: started, two steps' contexts,
// no op.stop and no episode.end yet.
std::vector<Event> EventsSoFar() {
  EpisodeStartData start;
  start.metric = "accuracy";
  start.higher_is_better = true;
  start.baseline_metric = 0.7;
  start.target_metric = 0.9;
  return {At(0, EventType::kEpisodeStart, 0, start.ToJson()),
          At(1, EventType::kContext, 1, {{"tokens", 100}}),
          At(2, EventType::kContext, 2, {{"tokens", 300}})};
}

std::vector<Event> Stopped(EpisodeStatus status) {
  std::vector<Event> events = EventsSoFar();
  StopData stop;
  stop.rule = StopRule::kIterations;
  stop.status = status;
  events.push_back(At(3, EventType::kStop, 2, stop.ToJson()));
  return events;
}

TEST(StoredOutcomeTest, EventsWithAStopAreFoldedWhateverTheRunRecorded) {
  std::vector<Event> events = Stopped(EpisodeStatus::kError);
  Outcome recorded;
  recorded.steps = 99;  // a recorded outcome the events contradict
  Outcome o = StoredOutcome(events, recorded.ToJson().dump(), "db: episode e");
  EXPECT_EQ(o.ToJson(), FoldOutcome(events).ToJson());
  EXPECT_EQ(o.status, EpisodeStatus::kError);
  EXPECT_EQ(o.steps, 2);
}

TEST(StoredOutcomeTest, WithoutAStopTheRecordedOutcomeIsRead) {
  Outcome recorded;
  recorded.metric = "rmse";
  recorded.steps = 7;
  recorded.status = EpisodeStatus::kError;
  Outcome o = StoredOutcome(EventsSoFar(), recorded.ToJson().dump(), "db: episode e");
  EXPECT_EQ(o.ToJson(), recorded.ToJson());
}

// An episode in progress (or cut off by a crash) has neither op.stop nor a
// recorded outcome: it is the fold of its events so far.
TEST(StoredOutcomeTest, AnEpisodeInProgressIsTheFoldOfItsEventsSoFar) {
  std::vector<Event> events = EventsSoFar();
  Outcome o = StoredOutcome(events, "", "db: episode e");
  EXPECT_EQ(o.ToJson(), FoldOutcome(events).ToJson());
  EXPECT_EQ(o.steps, 2);
  EXPECT_EQ(o.max_context_tokens, 300);
  EXPECT_EQ(o.baseline_metric, 0.7);
}

TEST(StoredOutcomeTest, ACorruptOutcomeIsAnErrorOfTheCallersKindNamingWhere) {
  for (ErrorCode code : {ErrorCode::kInput, ErrorCode::kRuntime}) {
    try {
      StoredOutcome(EventsSoFar(), "{\"steps\": \"two\"}", "db: episode e", code);
      ADD_FAILURE() << "no error";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), code);
      EXPECT_NE(std::string(e.what()).find("db: episode e"), std::string::npos) << e.what();
    }
  }
  std::vector<Event> bad = Stopped(EpisodeStatus::kComplete);
  bad[0].data["higher_is_better"] = "yes";
  EXPECT_THROW(
      {
        try {
          StoredOutcome(bad, "", "db: episode e", ErrorCode::kRuntime);
        } catch (const Error& e) {
          EXPECT_EQ(e.code(), ErrorCode::kRuntime);
          throw;
        }
      },
      Error);
}

}  // namespace
}  // namespace ctxbench
