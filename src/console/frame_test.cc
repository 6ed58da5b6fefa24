#include "console/frame.h"

#include <gtest/gtest.h>

#include "console/text.h"

namespace ctxbench {
namespace {

LiveSnapshot Sample() {
  LiveSnapshot s;
  s.elapsed_s = 65;
  s.total = 40;
  s.done = 12;
  s.successes = 5;
  s.errors = 1;
  s.eta_s = 130;
  s.in_flight = {
      {"toy_tabular.full.gpt.agentic.s1", 3, 7, 5100, 8000, 21400, 0.0213, "run_experiment", 2.3},
      {"toy_tabular.window4.gpt.controller.s2", 1, 1, 900, 8000, 0, 0, "", std::nullopt}};
  s.calls = 120;
  s.calls_per_s = 1.846;
  s.tokens = 1200000;
  s.cost_usd = 0.41234;
  s.cost_cap_usd = 5;
  s.retries = 4;
  s.retries_last_min = 3;
  s.rate_limited_last_min = 2;
  s.models = {{"gpt", true, 4, 8, true, ""}, {"sim", false, 0, 0, true, ""}};
  return s;
}

std::string Join(const std::vector<FrameLine>& lines) {
  std::string out;
  for (const FrameLine& l : lines) out += (l.warning ? "!" : "|") + l.text + "\n";
  return out;
}

TEST(ConsoleFrame, GoldenAt110Columns) {
  EXPECT_EQ(Join(RenderFrame(Sample(), 110, 40)),
            R"(|[######..............]  12/40  30%  5 successes  1 error  elapsed 1m05s  ETA 2m10s
|calls 120 (1.8/s)  tokens 1.20M  cost $0.4123 of $5.00  last minute: 3 retries, 2 429s
|models:  gpt 4/8 connections  sim (no server)
|in flight 2:
|  toy_tabular.full.gpt.agentic.s1        it 3 step 7  ctx 5.1k/8.0k  tok 21.4k  $0.0213  run_experiment  in c~
|  toy_tabular.window4.gpt.controller.s2  it 1 step 1  ctx 900/8.0k  tok 0  $0.0000
)");
}

TEST(ConsoleFrame, GoldenWithTheSummarisersCalls) {
  LiveSnapshot s = Sample();
  s.in_flight.resize(1);
  s.in_flight[0].last_action = "";
  s.in_flight[0].call_s.reset();
  s.in_flight[0].summarize_calls = 2;
  s.in_flight[0].summarize_s = 3.1;
  s.summarize_calls = 4;
  s.summarize_s = 6.2;
  EXPECT_EQ(Join(RenderFrame(s, 130, 40)),
            R"(|[######..............]  12/40  30%  5 successes  1 error  elapsed 1m05s  ETA 2m10s
|calls 120 (1.8/s)  tokens 1.20M  cost $0.4123 of $5.00  last minute: 3 retries, 2 429s  summariser 4 calls 6.2s
|models:  gpt 4/8 connections  sim (no server)
|in flight 1:
|  toy_tabular.full.gpt.agentic.s1  it 3 step 7  ctx 5.1k/8.0k  tok 21.4k  $0.0213  summariser 2x 3.1s
)");
}

TEST(ConsoleFrame, GoldenAt60ColumnsWithWarningsAndTooFewRows) {
  LiveSnapshot s = Sample();
  s.models[0].available = false;
  s.models[0].why = "5 connections failed in a row (refused)";
  s.warnings = {"warning: collector down", "error: model gpt is unavailable"};
  s.warnings_total = 5;
  EXPECT_EQ(Join(RenderFrame(s, 60, 9)),
            R"(|[######..............]  12/40  30%  5 successes  1 error  e~
|calls 120 (1.8/s)  tokens 1.20M  cost $0.4123 of $5.00  las~
|models:  gpt UNAVAILABLE  sim (no server)
|in flight 2:
|  ... and 2 more
!! model gpt unavailable: 5 connections failed in a row (ref~
!! 5 warnings, the latest 2:
!! warning: collector down
!! error: model gpt is unavailable
)");
}

TEST(ConsoleFrame, EveryLineFitsTheWidthAndTheHeight) {
  LiveSnapshot s = Sample();
  for (int i = 0; i < 30; ++i) s.in_flight.push_back(s.in_flight[0]);
  for (size_t width : {20u, 45u, 80u, 200u}) {
    std::vector<FrameLine> lines = RenderFrame(s, width, 12);
    EXPECT_LE(lines.size(), 12u);
    for (const FrameLine& l : lines) EXPECT_LE(Columns(l.text), width) << l.text;
  }
}

TEST(ConsoleFrame, ServerTextCannotMoveTheCursor) {
  LiveSnapshot s = Sample();
  s.warnings = {"warning: HTTP 500: \x1b[2J\x1b[Hgotcha"};
  s.warnings_total = 1;
  for (const FrameLine& l : RenderFrame(s, 200, 40)) {
    EXPECT_EQ(l.text.find('\x1b'), std::string::npos);
  }
  EXPECT_EQ(SummaryLine(s).find('\x1b'), std::string::npos);
}

TEST(ConsoleFrame, SummaryLineGolden) {
  EXPECT_EQ(SummaryLine(Sample()),
            "progress: 12/40 done (5 successes, 1 error), 2 in flight, 120 calls, 1.20M tokens, "
            "$0.4123, last minute 3 retries and 2 429s, elapsed 1m05s, ETA 2m10s, longest call "
            "under way 2.3s");
}

}  // namespace
}  // namespace ctxbench
