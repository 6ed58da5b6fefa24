// CurlPoster against a real HTTP server on 127.0.0.1 (cpp-httplib).
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "http/test_http_server.h"
#include "telemetry/http_poster.h"

namespace ctxbench {
namespace {

class Collector {
 public:
  Collector() {
    http_.server().Post("/busy", [](const httplib::Request&, httplib::Response& res) {
      res.status = 503;
      res.set_header("Retry-After", "7");
    });
    http_.server().Post("/ok", [this](const httplib::Request& req, httplib::Response& res) {
      body_ = req.body;
      res.status = 200;
    });
    http_.Start();
  }
  std::string Url(const std::string& path) const { return http_.Url(path); }
  std::string body_;

 private:
  TestHttpServer http_;  // declared last: it stops before body_ goes
};

TEST(CurlPosterTest, PostsAndReadsRetryAfter) {
  Collector c;
  std::atomic<bool> abort{false};
  auto poster = MakeCurlPoster();
  HttpReply ok =
      poster->Post(c.Url("/ok"), {{"Content-Type", "application/x-protobuf"}}, "abc", 5, abort);
  EXPECT_EQ(ok.status, 200);
  EXPECT_LT(ok.retry_after_seconds, 0);
  EXPECT_EQ(c.body_, "abc");
  HttpReply busy = poster->Post(c.Url("/busy"), {}, "x", 5, abort);
  EXPECT_EQ(busy.status, 503);
  EXPECT_EQ(busy.retry_after_seconds, 7);
}

TEST(CurlPosterTest, AbortEndsAHangingRequestAtOnce) {
  Collector c;
  std::atomic<bool> abort{false};
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    abort = true;
  });
  auto start = std::chrono::steady_clock::now();
  HttpReply r = MakeCurlPoster()->Post(c.Url("/hang"), {}, "x", 30, abort);
  double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  stopper.join();
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.error, "aborted at the flush deadline");
  EXPECT_LT(took, 0.4);
}

}  // namespace
}  // namespace ctxbench
