// The libcurl transport against a real HTTP server on 127.0.0.1
// (cpp-httplib): what its other users (the OTLP exporter, the model client)
// rely on beyond the model client's own tests.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "http/http_transport.h"
#include "http/test_http_server.h"

namespace ctxbench {
namespace {

class LocalServer {
 public:
  LocalServer() {
    http_.server().Get("/hello", [](const httplib::Request&, httplib::Response& res) {
      res.set_header("X-Answer", "42");
      res.set_content("hi", "text/plain");
    });
    http_.server().Post("/echo-agent", [](const httplib::Request& req, httplib::Response& res) {
      res.set_content(req.has_header("User-Agent") ? "agent" : "none", "text/plain");
    });
    http_.Start();
  }
  std::string Url(const std::string& path) const { return http_.Url(path); }

 private:
  TestHttpServer http_;
};

TEST(CurlTransportTest, GetReturnsBodyAndLowerCaseHeaders) {
  LocalServer server;
  HttpRequest request;
  request.method = "GET";
  request.url = server.Url("/hello");
  std::string streamed;
  HttpResponse r =
      MakeCurlTransport()->Post(request, [&](std::string_view chunk) { streamed += chunk; });
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "hi");
  EXPECT_EQ(streamed, "hi");
  EXPECT_EQ(r.headers["x-answer"], "42");
}

TEST(CurlTransportTest, AnEmptyHeaderValueRemovesTheHeader) {
  LocalServer server;
  HttpRequest request;
  request.url = server.Url("/echo-agent");
  request.headers = {{"User-Agent", "ctxbench-test"}};
  auto transport = MakeCurlTransport();
  EXPECT_EQ(transport->Post(request, {}).body, "agent");
  request.headers = {{"User-Agent", ""}};
  EXPECT_EQ(transport->Post(request, {}).body, "none");
}

TEST(CurlTransportTest, AbortEndsAnExchangeWithASilentServerAtOnce) {
  LocalServer server;
  std::atomic<bool> abort{false};
  HttpRequest request;
  request.url = server.Url("/hang");
  request.abort = [&abort] { return abort.load(); };
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    abort = true;
  });
  auto start = std::chrono::steady_clock::now();
  HttpResponse r = MakeCurlTransport()->Post(request, {});
  double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  stopper.join();
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(r.aborted);
  EXPECT_EQ(r.error, "aborted");
  EXPECT_LT(took, 0.6);  // 150 ms plus one 50 ms poll, with room for a loaded machine
}

TEST(CurlTransportTest, OnlyHttpAndHttpsUrlsAreUsed) {
  HttpRequest request;
  request.method = "GET";
  request.url = "file:///etc/hostname";
  HttpResponse r = MakeCurlTransport()->Post(request, {});
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(r.body.empty());
  EXPECT_FALSE(r.error.empty());
}

}  // namespace
}  // namespace ctxbench
