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
    // Basic auth "u:p" (dTpw in base64) or 401; /to-auth redirects here.
    http_.server().Get("/auth", [](const httplib::Request& req, httplib::Response& res) {
      bool ok = req.get_header_value("Authorization") == "Basic dTpw";
      res.status = ok ? 200 : 401;
      res.set_content(ok ? "in" : "out", "text/plain");
    });
    http_.server().Get("/to-auth", [](const httplib::Request&, httplib::Response& res) {
      res.status = 302;
      res.set_header("Location", "/auth");
    });
    http_.server().Get("/big-error", [](const httplib::Request&, httplib::Response& res) {
      res.status = 500;
      res.set_content(std::string(kStreamErrorBodyBytes + 1000, 'e'), "text/plain");
    });
    http_.server().Get("/lines", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(std::string(200000, 'l'), "text/plain");
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

TEST(CurlTransportTest, FollowsRedirectsOnlyWhenAskedWithBasicAuth) {
  LocalServer server;
  HttpRequest request;
  request.method = "GET";
  request.url = server.Url("/to-auth");
  request.basic_auth_user = "u";
  request.basic_auth_password = "p";
  auto transport = MakeCurlTransport();
  HttpResponse r = transport->Post(request, {});
  EXPECT_EQ(r.status, 302);
  EXPECT_EQ(r.headers["location"], "/auth");
  request.max_redirects = 1;
  r = transport->Post(request, {});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "in");
  request.basic_auth_password = "wrong";
  EXPECT_EQ(transport->Post(request, {}).status, 401);
}

TEST(CurlTransportTest, BasicAuthIsNotSentToTheHostARedirectLeadsTo) {
  TestHttpServer storage;  // another port: another host for libcurl
  std::string storage_auth = "unset";
  storage.server().Get("/blob", [&](const httplib::Request& req, httplib::Response& res) {
    storage_auth = req.get_header_value("Authorization");
    res.set_content("blob", "application/octet-stream");
  });
  storage.Start();
  TestHttpServer api;
  std::string api_auth;
  api.server().Get("/download", [&](const httplib::Request& req, httplib::Response& res) {
    api_auth = req.get_header_value("Authorization");
    res.status = 302;
    res.set_header("Location", storage.Url("/blob"));
  });
  api.Start();
  HttpRequest request;
  request.method = "GET";
  request.url = api.Url("/download");
  request.basic_auth_user = "u";
  request.basic_auth_password = "p";
  request.max_redirects = 2;
  HttpResponse r = MakeCurlTransport()->Post(request, {});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "blob");
  EXPECT_EQ(api_auth, "Basic dTpw");
  EXPECT_EQ(storage_auth, "");
}

TEST(CurlTransportTest, StreamHandsTheBodyOverWithoutKeepingIt) {
  LocalServer server;
  HttpRequest request;
  request.method = "GET";
  request.url = server.Url("/lines");
  request.timeout_s = 0;  // no limit on the whole exchange
  std::string streamed;
  int chunks = 0;
  HttpResponse r = MakeCurlTransport()->Stream(request, [&](std::string_view chunk) {
    streamed += chunk;
    ++chunks;
    return true;
  });
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(streamed, std::string(200000, 'l'));
  EXPECT_GT(chunks, 1);
}

TEST(CurlTransportTest, StreamEndsWhenTheReceiverSaysStop) {
  LocalServer server;
  HttpRequest request;
  request.method = "GET";
  request.url = server.Url("/lines");
  int chunks = 0;
  HttpResponse r = MakeCurlTransport()->Stream(request, [&](std::string_view) {
    ++chunks;
    return false;
  });
  EXPECT_EQ(chunks, 1);
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(r.stopped);
  EXPECT_EQ(r.error, "stopped by the receiver");
}

TEST(CurlTransportTest, StreamKeepsTheHeadOfAnErrorBody) {
  LocalServer server;
  HttpRequest request;
  request.method = "GET";
  request.url = server.Url("/big-error");
  bool called = false;
  HttpResponse r = MakeCurlTransport()->Stream(request, [&](std::string_view) {
    called = true;
    return true;
  });
  EXPECT_EQ(r.status, 500);
  EXPECT_FALSE(called);
  EXPECT_EQ(r.body, std::string(kStreamErrorBodyBytes, 'e'));
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
