// For tests: a real HTTP server on 127.0.0.1 (cpp-httplib). Add routes on
// server(), then Start() binds a free port and serves on a thread of its own.
// Every server has POST /hang, which answers only once the server is being
// destroyed (for timeout tests). Destruction releases /hang, stops the server
// and joins its thread. Not thread-safe itself; handlers run on the server's
// threads.
#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

namespace ctxbench {

class TestHttpServer {
 public:
  TestHttpServer() {
    server_.Post("/hang", [this](const httplib::Request&, httplib::Response& res) {
      while (!stop_.load()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
      res.status = 200;
    });
  }
  TestHttpServer(const TestHttpServer&) = delete;
  TestHttpServer& operator=(const TestHttpServer&) = delete;
  ~TestHttpServer() {
    stop_ = true;
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }

  httplib::Server& server() { return server_; }
  void Start() {
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace ctxbench
