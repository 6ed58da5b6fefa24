#include "viewer/bundle.h"

#include <cctype>
#include <cstdio>
#include <filesystem>

#include "core/error.h"
#include "core/file.h"
#include "viewer/api.h"
#include "viewer/assets.h"

namespace ctxbench {

namespace fs = std::filesystem;

namespace {

// The url of a list filtered to one grid cell, parameters in name order
// (app.js builds the same).
std::string CellUrl(const std::string& run, const Json& cell) {
  return "/api/runs/" + run + "/episodes?limit=1000&mode=" + cell.value("mode", "") +
         "&model=" + cell.value("model", "") + "&policy=" + cell.value("policy", "") +
         "&task=" + cell.value("task", "");
}

class BundleWriter {
 public:
  BundleWriter(const RunCatalog& catalog, const fs::path& dir) : catalog_(catalog), dir_(dir) {}

  // Writes the reply to `url` and returns its body.
  Json Put(const std::string& url) {
    size_t q = url.find('?');
    QueryParams query;
    if (q != std::string::npos) {
      std::string rest = url.substr(q + 1);
      size_t start = 0;
      while (start < rest.size()) {
        size_t end = rest.find('&', start);
        if (end == std::string::npos) end = rest.size();
        std::string pair = rest.substr(start, end - start);
        size_t eq = pair.find('=');
        query[pair.substr(0, eq)] = eq == std::string::npos ? "" : pair.substr(eq + 1);
        start = end + 1;
      }
    }
    ApiReply reply = HandleApi(catalog_, url.substr(0, q), query);
    if (reply.status != 200) ThrowRuntime(url, reply.body.value("error", "failed"));
    std::string text = "window.CTXBENCH_DATA[" + Json(url).dump() +
                       "] = " + reply.body.dump(-1, ' ', false, Json::error_handler_t::replace) +
                       ";\n";
    WriteFileAtomic((dir_ / "data" / BundleDataName(url)).string(), text);
    ++written_;
    return reply.body;
  }
  size_t written() const { return written_; }

 private:
  const RunCatalog& catalog_;
  fs::path dir_;
  size_t written_ = 0;
};

}  // namespace

std::string BundleDataName(const std::string& url) {
  std::string name;
  for (unsigned char c : url) {
    if (std::isalnum(c) || c == '.' || c == '-') {
      name += static_cast<char>(c);
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "_%02X", c);
      name += hex;
    }
  }
  return name + ".js";
}

size_t WriteBundle(const RunCatalog& catalog, const std::string& out_dir) {
  fs::path dir(out_dir);
  std::error_code ec;
  std::string resolved = fs::weakly_canonical(fs::absolute(dir), ec).string() + "/";
  for (const RunFolder& run : catalog.runs()) {
    if (resolved.rfind(run.dir + "/", 0) == 0) {
      ThrowUsage(out_dir, "a bundle is never written inside a run folder (" + run.dir + ")");
    }
  }
  fs::create_directories(dir / "assets", ec);
  if (!ec) fs::create_directories(dir / "data", ec);
  if (ec) ThrowRuntime(out_dir, "cannot create the bundle folder: " + ec.message());
  for (const Asset& a : ViewerAssets()) {
    std::string data(a.data);
    if (a.name == "index.html") {
      // The bundle's marker: pages read data scripts instead of the API.
      data.replace(data.find("<!--bundle-->"), 13,
                   "<script src=\"assets/bundle-marker.js\"></script>");
      WriteFileAtomic((dir / "index.html").string(), data);
      continue;
    }
    WriteFileAtomic((dir / "assets" / std::string(a.name)).string(), data);
  }
  WriteFileAtomic((dir / "assets" / "bundle-marker.js").string(),
                  "window.CTXBENCH_BUNDLE = true;\nwindow.CTXBENCH_DATA = {};\n");
  BundleWriter out(catalog, dir);
  out.Put("/api/runs");
  for (const RunFolder& run : catalog.runs()) {
    std::string base = "/api/runs/" + run.id;
    out.Put(base);
    Json grid = out.Put(base + "/grid");
    for (const Json& cell : grid["cells"]) out.Put(CellUrl(run.id, cell));
    // Every event, for the bundle's search (app.js reads the pages in order).
    for (int64_t offset = 0;; offset += 5000) {
      Json page = out.Put(base + "/events?limit=5000" +
                          (offset ? "&offset=" + std::to_string(offset) : ""));
      if (!page.value("more", false)) break;
    }
    for (int64_t offset = 0;; offset += 1000) {
      Json page = out.Put(base + "/episodes?limit=1000" +
                          (offset ? "&offset=" + std::to_string(offset) : ""));
      for (const Json& e : page["episodes"]) {
        std::string id = e.value("episode_id", "");
        Json episode = out.Put(base + "/episodes/" + id);
        for (const Json& step : episode["steps"]) {
          out.Put(base + "/episodes/" + id + "/xray/" + std::to_string(step.value("step", 0)));
        }
      }
      if (page["episodes"].size() < 1000) break;
    }
  }
  return out.written();
}

}  // namespace ctxbench
