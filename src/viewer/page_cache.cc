#include "viewer/page_cache.h"

#include <filesystem>

namespace ctxbench {

namespace fs = std::filesystem;

namespace {

std::string FileStamp(const fs::path& path) {
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  if (ec) return "-";
  auto time = fs::last_write_time(path, ec);
  if (ec) return "-";
  return std::to_string(size) + ":" + std::to_string(time.time_since_epoch().count());
}

}  // namespace

std::string RunStamp(const RunFolder& run) {
  return FileStamp(run.db) + "|" + FileStamp(run.db + "-wal") + "|" +
         FileStamp(fs::path(run.dir) / "run.json");
}

Json RunPageCache::Get(const RunFolder& run, const std::string& page,
                       const std::function<Json()>& compute) {
  std::string stamp = RunStamp(run);
  auto key = std::make_pair(run.dir, page);
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(key);
    if (it != entries_.end() && it->second.stamp == stamp) {
      ++hits_;
      return it->second.value;
    }
  }
  Json value = compute();
  std::lock_guard<std::mutex> lock(mu_);
  ++misses_;
  entries_[key] = {stamp, value};
  return value;
}

int64_t RunPageCache::misses() const {
  std::lock_guard<std::mutex> lock(mu_);
  return misses_;
}

int64_t RunPageCache::hits() const {
  std::lock_guard<std::mutex> lock(mu_);
  return hits_;
}

}  // namespace ctxbench
