#include "llm/openai/response_cache.h"

#include <filesystem>
#include <map>
#include <mutex>

#include "core/clock.h"
#include "core/error.h"
#include "llm/tokenizer/sha256.h"
#include "core/sqlite_db.h"

namespace ctxbench {

namespace fs = std::filesystem;

namespace {

const char kSchema[] = R"sql(
CREATE TABLE IF NOT EXISTS responses (
  key TEXT PRIMARY KEY,
  model TEXT,
  request_json TEXT NOT NULL,
  response_json TEXT NOT NULL,
  created_at REAL
);
)sql";

Json ResponseToJson(const CachedResponse& r) {
  return {{"message", MessageToJson(r.message)},
          {"usage",
           {{"prompt_tokens", r.usage.prompt_tokens},
            {"completion_tokens", r.usage.completion_tokens},
            {"cached_prompt_tokens", r.usage.cached_prompt_tokens}}},
          {"finish_reason", r.finish_reason},
          {"estimated_tokens", r.estimated_tokens}};
}

CachedResponse ResponseFromJson(const Json& j) {
  CachedResponse r;
  r.message = MessageFromJson(j.at("message"));
  const Json& u = j.at("usage");
  r.usage.prompt_tokens = u.value("prompt_tokens", 0);
  r.usage.completion_tokens = u.value("completion_tokens", 0);
  r.usage.cached_prompt_tokens = u.value("cached_prompt_tokens", 0);
  r.finish_reason = j.value("finish_reason", "");
  r.estimated_tokens = j.value("estimated_tokens", false);
  return r;
}

}  // namespace

std::string RequestKey(const std::string& base_url, const Json& body) {
  return Sha256Hex(base_url + "\n" + body.dump());
}

struct ResponseCache::Impl {
  explicit Impl(const std::string& p) : path(p), db(p) {}
  std::mutex mutex;
  std::string path;
  SqliteDb db;
};

ResponseCache::ResponseCache(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ResponseCache::~ResponseCache() = default;

std::shared_ptr<ResponseCache> ResponseCache::Open(const std::string& path, bool create) {
  static std::mutex mutex;
  static std::map<std::string, std::weak_ptr<ResponseCache>> open;
  std::lock_guard<std::mutex> lock(mutex);
  std::string id = fs::absolute(path).lexically_normal().string();
  if (auto it = open.find(id); it != open.end()) {
    if (auto cache = it->second.lock()) return cache;
  }
  if (!fs::exists(path)) {
    if (!create) ThrowInput(path, "no response cache here (record one with an openai model)");
    fs::path parent = fs::path(path).parent_path();
    std::error_code ec;
    if (!parent.empty()) fs::create_directories(parent, ec);
    if (ec) ThrowRuntime(path, "cannot create the cache's folder: " + ec.message());
  }
  auto impl = std::make_unique<Impl>(path);
  impl->db.Exec("PRAGMA busy_timeout = 10000");
  impl->db.Exec("PRAGMA journal_mode = WAL");
  impl->db.Exec(kSchema);
  std::shared_ptr<ResponseCache> cache(new ResponseCache(std::move(impl)));
  open[id] = cache;
  return cache;
}

std::optional<CachedResponse> ResponseCache::Find(const std::string& key) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  Statement& st = impl_->db.Prepare("SELECT response_json FROM responses WHERE key = ?1");
  st.Bind(1, key);
  std::optional<CachedResponse> found;
  if (st.Step()) {
    Json j = Json::parse(st.Text(0), nullptr, false);
    if (!j.is_discarded() && j.is_object() && j.contains("message") && j.contains("usage")) {
      found = ResponseFromJson(j);
    }
  }
  st.Reset();
  return found;
}

void ResponseCache::Store(const std::string& key, const Json& request,
                          const CachedResponse& response) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  Statement& st = impl_->db.Prepare(
      "INSERT OR REPLACE INTO responses (key, model, request_json, response_json, created_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5)");
  st.Bind(1, key);
  st.Bind(2, request.value("model", ""));
  st.Bind(3, request.dump());
  st.Bind(4, ResponseToJson(response).dump());
  st.Bind(5, SystemClock::Get().WallSeconds());
  st.Run();
  st.Reset();
}

int64_t ResponseCache::Size() {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  Statement& st = impl_->db.Prepare("SELECT COUNT(*) FROM responses");
  int64_t n = st.Step() ? st.Int(0) : 0;
  st.Reset();
  return n;
}

const std::string& ResponseCache::path() const { return impl_->path; }

}  // namespace ctxbench
