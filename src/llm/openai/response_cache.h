// The response cache: chat completions stored in SQLite under a key that
// hashes everything that determines the answer (base URL and the request
// body: model, messages, tools, parameters, seed). Reruns of a config answer
// from it for free; `replay` answers only from it.
//
// Error channel: a cache that cannot be opened or written throws a runtime
// ctxbench::Error naming the file. Thread-safe: one instance may serve every
// episode of a run (calls are serialized by a mutex).
#pragma once

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
// ChatRequestBody() built (without "stream").
std::string RequestKey(const std::string& base_url, const Json& body);

class ResponseCache {
 public:
  // The process-wide cache for `path`, opened once and shared. `create`:
  // create the file (and its folder) if missing; otherwise a missing file is
  // an input error naming it.
  static std::shared_ptr<ResponseCache> Open(const std::string& path, bool create);
  ~ResponseCache();
  ResponseCache(const ResponseCache&) = delete;
  ResponseCache& operator=(const ResponseCache&) = delete;

  std::optional<CachedResponse> Find(const std::string& key);
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
