#include "llm/openai/response_cache.h"

#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>

#include "core/clock.h"
#include "core/error.h"
#include "core/sqlite_db.h"
#include "llm/tokenizer/sha256.h"

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

std::string RequestKey(const std::string& base_url, const Json& body, uint64_t seed) {
  // A body with its seed keeps the key it always had (caches stay valid).
  if (body.contains("seed")) return Sha256Hex(base_url + "\n" + body.dump());
  return Sha256Hex(base_url + "\nseed " + std::to_string(seed) + "\n" + body.dump());
}

struct ResponseCache::Impl {
  explicit Impl(const std::string& p) : path(p), db(p) {}
  std::optional<CachedResponse> FindLocked(const std::string& key);
  std::mutex mutex;
  std::string path;
  SqliteDb db;
  std::set<std::string> claimed;  // keys being fetched
  std::condition_variable claim_ended;
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
  return impl_->FindLocked(key);
}

std::optional<CachedResponse> ResponseCache::FindOrClaim(const std::string& key, Claim* claim) {
  {
    std::unique_lock<std::mutex> lock(impl_->mutex);
    for (;;) {
      if (auto found = impl_->FindLocked(key)) return found;
      if (impl_->claimed.insert(key).second) break;
      impl_->claim_ended.wait(lock);
    }
  }
  *claim = Claim(this, key);
  return std::nullopt;
}

ResponseCache::Claim::Claim(Claim&& other) noexcept
    : cache_(other.cache_), key_(std::move(other.key_)) {
  other.cache_ = nullptr;
}

ResponseCache::Claim& ResponseCache::Claim::operator=(Claim&& other) noexcept {
  if (this != &other) {
    End();
    cache_ = other.cache_;
    key_ = std::move(other.key_);
    other.cache_ = nullptr;
  }
  return *this;
}

ResponseCache::Claim::~Claim() { End(); }

void ResponseCache::Claim::End() {
  if (!cache_) return;
  {
    std::lock_guard<std::mutex> lock(cache_->impl_->mutex);
    cache_->impl_->claimed.erase(key_);
  }
  cache_->impl_->claim_ended.notify_all();
  cache_ = nullptr;
}

std::optional<CachedResponse> ResponseCache::Impl::FindLocked(const std::string& key) {
  Statement& st = db.Prepare("SELECT response_json FROM responses WHERE key = ?1");
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
