// The viewer's HTTP server: the embedded web app, the JSON API (api.h) and
// read-only downloads of files inside the served run folders.
//
//   GET /                      the app (index.html); /assets/<name> its files
//   GET /api/...               HandleApi
//   GET /files/<run>/<path>    a file inside the run folder (report.html,
//                              traces/<episode>.jsonl, ...); 404 for any path
//                              that leaves it, `..` or %2e%2e alike
//
// The run list (/api/runs) rescans the served folders, and so does a URL
// naming a run not yet known, so runs created after the server started are
// served (viewer/live_catalog.h). Only GET and HEAD are served; nothing is
// ever written. A server bound to a
// loopback address answers only requests whose Host header names a loopback
// host (no DNS rebinding). cpp-httplib stays inside server.cc.
//
// Error channel: Bind throws a runtime ctxbench::Error naming host:port.
// Requests are answered on the server's worker threads; Stop() may be called
// from any thread.
#pragma once

#include <memory>
#include <string>

#include "viewer/live_catalog.h"

namespace ctxbench {

class ViewerServer {
 public:
  // `catalog` must outlive the server.
  explicit ViewerServer(LiveRunCatalog& catalog);
  ~ViewerServer();
  ViewerServer(const ViewerServer&) = delete;
  ViewerServer& operator=(const ViewerServer&) = delete;

  // Binds `host`:`port` (port 0: any free port) and returns the bound port.
  int Bind(const std::string& host, int port);
  // Answers requests until Stop(). REQUIRES: Bind succeeded.
  void Serve();
  void Stop();
  // Computes every run's Runs and Grid replies into the server's cache, so the
  // first requests for them are answered at once. May run on any thread while
  // the server serves; errors are left for the requests to report.
  void Warm();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ctxbench
