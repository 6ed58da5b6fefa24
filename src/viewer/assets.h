// The viewer's web assets (HTML, JS, CSS under src/viewer/assets/), compiled
// into the binary at build time by embed_assets.cmake: the viewer works
// offline and loads nothing from a CDN.
#pragma once

#include <string_view>
#include <vector>

namespace ctxbench {

struct Asset {
  std::string_view name;          // file name, e.g. "app.js"
  std::string_view content_type;  // e.g. "text/javascript; charset=utf-8"
  std::string_view data;
};

// Every embedded asset, in name order. Thread-safe (static data).
const std::vector<Asset>& ViewerAssets();
// The asset named `name`, or nullptr.
const Asset* FindViewerAsset(std::string_view name);

}  // namespace ctxbench
