// The response cache: chat completions stored in SQLite under a key that
// hashes everything that determines the answer (base URL, the request body:
// model, messages, tools, parameters, and the episode's seed even when it is
// not sent). Reruns of a config answer from it for free; `replay` answers
// only from it. FindOrClaim makes lookups single-flight, so identical
// requests in flight at once are paid for once, whatever the parallelism.
//
// Error channel: a cache that cannot be opened or written throws a runtime
// ctxbench::Error naming the file. Thread-safe: one instance may serve every
// episode of a run (calls are serialized by a mutex).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/json.h"
#include "llm/message.h"

namespace ctxbench {

struct CachedResponse {
  Message message;
  Usage usage;
  std::string finish_reason;
  bool estimated_tokens = false;
};

// The cache key of a request: SHA-256 hex of the base URL and the body
// ChatRequestBody() built (without "stream"), and `seed` (the episode's) when
// the body does not carry it, so seeds stay independent samples.
std::string RequestKey(const std::string& base_url, const Json& body, uint64_t seed);

class ResponseCache {
 public:
  // The process-wide cache for `path`, opened once and shared. `create`:
  // create the file (and its folder) if missing; otherwise a missing file is
  // an input error naming it.
  static std::shared_ptr<ResponseCache> Open(const std::string& path, bool create);
  ~ResponseCache();
  ResponseCache(const ResponseCache&) = delete;
  ResponseCache& operator=(const ResponseCache&) = delete;

  // A hold on a key whose response is being fetched (see FindOrClaim).
  // Move-only; a default one holds nothing. Ending it (destruction or
  // reassignment) wakes the callers waiting for the key.
  class Claim {
   public:
    Claim() = default;
    Claim(Claim&& other) noexcept;
    Claim& operator=(Claim&& other) noexcept;
    ~Claim();
    bool held() const { return cache_ != nullptr; }

   private:
    friend class ResponseCache;
    Claim(ResponseCache* cache, std::string key) : cache_(cache), key_(std::move(key)) {}
    void End();
    ResponseCache* cache_ = nullptr;
    std::string key_;
  };

  std::optional<CachedResponse> Find(const std::string& key);
  // Single-flight Find. Returns the stored response for `key` if there is
  // one. Otherwise, if no other caller holds `key`, returns nullopt and
  // makes `*claim` hold it: the caller fetches, stores, then ends the claim.
  // If another caller holds it, waits for that claim to end and looks again
  // (so a failed fetch passes the key to one waiter). REQUIRES: the caller
  // holds no other claim on `key`, and `*claim` outlives nothing of this
  // cache (the cache outlives its claims).
  std::optional<CachedResponse> FindOrClaim(const std::string& key, Claim* claim);
  // Stores (or replaces) the response for `key`; `request` is kept for audits.
  void Store(const std::string& key, const Json& request, const CachedResponse& response);
  int64_t Size();
  const std::string& path() const;

 private:
  struct Impl;
  explicit ResponseCache(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ctxbench
