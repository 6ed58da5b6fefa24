#include "llm/model_health.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace ctxbench {
namespace {

TEST(ModelHealthTest, TheFirstReasonWinsAndIsReportedOnce) {
  ModelHealth h;
  EXPECT_TRUE(h.available());
  EXPECT_FALSE(h.Unavailable());
  EXPECT_FALSE(h.TakeReport());
  h.MarkUnavailable("HTTP 401 from http://h/v1/chat/completions: bad key");
  h.MarkUnavailable("HTTP 404");
  EXPECT_FALSE(h.available());
  EXPECT_EQ(h.Unavailable().value_or(""), "HTTP 401 from http://h/v1/chat/completions: bad key");
  EXPECT_TRUE(h.TakeReport());
  EXPECT_FALSE(h.TakeReport());
}

TEST(ModelHealthTest, TheBreakerOpensAfterThresholdFailuresInARow) {
  ModelHealth h;
  for (int i = 0; i < 2; ++i) h.RecordConnectionFailure("Couldn't connect to server", 3);
  h.RecordAnswer();  // an answer between failures: the run starts over
  for (int i = 0; i < 2; ++i) h.RecordConnectionFailure("Couldn't connect to server", 3);
  EXPECT_TRUE(h.available());
  h.RecordConnectionFailure("Couldn't resolve host name", 3);
  ASSERT_FALSE(h.available());
  std::string why = h.Unavailable().value_or("");
  EXPECT_NE(why.find("3 connection failures in a row"), std::string::npos) << why;
  EXPECT_NE(why.find("Couldn't resolve host name"), std::string::npos) << why;
}

TEST(ModelHealthTest, AThresholdOfZeroNeverOpensTheBreaker) {
  ModelHealth h;
  for (int i = 0; i < 100; ++i) h.RecordConnectionFailure("refused", 0);
  EXPECT_TRUE(h.available());
}

TEST(ModelHealthTest, FailuresFromManyThreadsOpenItOnceAndOneThreadReports) {
  ModelHealth h;
  std::atomic<int> reports{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) h.RecordConnectionFailure("refused", 5);
      if (h.TakeReport()) ++reports;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_FALSE(h.available());
  EXPECT_EQ(reports.load(), 1);
}

}  // namespace
}  // namespace ctxbench
