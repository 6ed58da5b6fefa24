#include "viewer/server.h"

#include <httplib.h>

#include "core/error.h"
#include "core/file.h"
#include "viewer/api.h"
#include "viewer/assets.h"
#include "viewer/page_cache.h"

namespace ctxbench {

namespace {

const char* kAppPolicy =
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "frame-ancestors 'none'";

std::string FileType(const std::string& path) {
  auto ends = [&](const char* suffix) {
    std::string s(suffix);
    return path.size() >= s.size() && path.compare(path.size() - s.size(), s.size(), s) == 0;
  };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".json")) return "application/json";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".png")) return "image/png";
  if (ends(".csv")) return "text/csv; charset=utf-8";
  return "text/plain; charset=utf-8";
}

bool IsLoopback(const std::string& host) {
  return host == "127.0.0.1" || host == "localhost" || host == "::1" || host == "[::1]";
}

// The host part of a Host header ("127.0.0.1:8765" -> "127.0.0.1").
std::string HostOf(const std::string& header) {
  if (!header.empty() && header[0] == '[') return header.substr(0, header.find(']') + 1);
  return header.substr(0, header.find(':'));
}

}  // namespace

struct ViewerServer::Impl {
  explicit Impl(LiveRunCatalog& c) : catalog(c) {}
  LiveRunCatalog& catalog;
  httplib::Server server;
  RunPageCache cache;
  bool loopback = true;

  void Answer(const httplib::Request& req, httplib::Response& res) {
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Referrer-Policy", "no-referrer");
    if (loopback && !IsLoopback(HostOf(req.get_header_value("Host")))) {
      res.status = 403;
      res.set_content("forbidden host\n", "text/plain");
      return;
    }
    const std::string& path = req.path;
    if (path == "/" || path == "/index.html") return SendAsset("index.html", res);
    if (path.rfind("/assets/", 0) == 0) return SendAsset(path.substr(8), res);
    if (path.rfind("/api/", 0) == 0) return SendApi(req, res);
    if (path.rfind("/files/", 0) == 0) return SendFile(path.substr(7), res);
    NotFound(res);
  }

  static void NotFound(httplib::Response& res) {
    res.status = 404;
    res.set_content("not found\n", "text/plain");
  }

  static void SendAsset(const std::string& name, httplib::Response& res) {
    const Asset* asset = FindViewerAsset(name);
    if (asset == nullptr) return NotFound(res);
    res.set_header("Content-Security-Policy", kAppPolicy);
    res.set_content(std::string(asset->data), std::string(asset->content_type));
  }

  void SendApi(const httplib::Request& req, httplib::Response& res) {
    QueryParams query;
    for (const auto& [key, value] : req.params) query[key] = value;
    std::shared_ptr<const RunCatalog> runs = CatalogFor(req.path.substr(5));
    ApiReply reply = HandleApi(*runs, req.path, query, &cache);
    res.status = reply.status;
    res.set_header("Cache-Control", "no-store");
    res.set_content(reply.body.dump(-1, ' ', false, Json::error_handler_t::replace),
                    "application/json");
  }

  // The catalog to answer `api_path` ("runs", "runs/<run>/...") from: a
  // rescan for the run list and for a run not served yet, else the current.
  std::shared_ptr<const RunCatalog> CatalogFor(const std::string& api_path) {
    if (api_path == "runs" || api_path == "runs/") return catalog.Rescan();
    std::shared_ptr<const RunCatalog> current = catalog.Current();
    if (api_path.rfind("runs/", 0) != 0) return current;
    std::string id = api_path.substr(5, api_path.find('/', 5) - 5);
    return current->Find(id) != nullptr ? current : catalog.Rescan();
  }

  void SendFile(const std::string& rest, httplib::Response& res) {
    size_t slash = rest.find('/');
    if (slash == std::string::npos) return NotFound(res);
    std::shared_ptr<const RunCatalog> runs = CatalogFor("runs/" + rest);
    const RunFolder* run = runs->Find(rest.substr(0, slash));
    if (run == nullptr) return NotFound(res);
    std::optional<std::string> file = runs->ResolveFile(*run, rest.substr(slash + 1));
    if (!file) return NotFound(res);
    try {
      // A downloaded file runs no script with the viewer's origin.
      res.set_header("Content-Security-Policy", "sandbox");
      res.set_content(ReadFile(*file), FileType(*file));
    } catch (const Error&) {
      NotFound(res);
    }
  }
};

ViewerServer::ViewerServer(LiveRunCatalog& catalog) : impl_(std::make_unique<Impl>(catalog)) {
  auto handler = [this](const httplib::Request& req, httplib::Response& res) {
    try {
      impl_->Answer(req, res);
    } catch (const std::exception& e) {
      res.status = 500;
      res.set_content(std::string(e.what()) + "\n", "text/plain");
    }
  };
  impl_->server.Get(".*", handler);
}

ViewerServer::~ViewerServer() = default;

int ViewerServer::Bind(const std::string& host, int port) {
  impl_->loopback = IsLoopback(host);
  int bound = port == 0 ? impl_->server.bind_to_any_port(host)
                        : (impl_->server.bind_to_port(host, port) ? port : -1);
  if (bound <= 0) {
    ThrowRuntime(host + ":" + std::to_string(port), "cannot listen (port in use or bad address)");
  }
  return bound;
}

void ViewerServer::Serve() { impl_->server.listen_after_bind(); }

void ViewerServer::Stop() { impl_->server.stop(); }

void ViewerServer::Warm() {
  std::shared_ptr<const RunCatalog> runs = impl_->catalog.Current();
  for (const RunFolder& run : runs->runs()) {
    for (const char* page : {"", "/grid"})
      HandleApi(*runs, "/api/runs/" + run.id + page, {}, &impl_->cache);
  }
}

}  // namespace ctxbench
