// HttpPoster over libcurl.
#include <curl/curl.h>

#include <mutex>

#include "telemetry/http_poster.h"

namespace ctxbench {

namespace {

size_t Discard(char*, size_t size, size_t n, void*) { return size * n; }

int Progress(void* abort, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<const std::atomic<bool>*>(abort)->load() ? 1 : 0;
}

class CurlPoster final : public HttpPoster {
 public:
  CurlPoster() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    curl_ = curl_easy_init();
  }
  ~CurlPoster() override {
    if (curl_) curl_easy_cleanup(curl_);
  }
  CurlPoster(const CurlPoster&) = delete;
  CurlPoster& operator=(const CurlPoster&) = delete;

  HttpReply Post(const std::string& url, const HttpHeaders& headers, const std::string& body,
                 double timeout_seconds, const std::atomic<bool>& abort) override {
    HttpReply reply;
    if (!curl_) {
      reply.error = "libcurl failed to initialise";
      return reply;
    }
    curl_easy_reset(curl_);
    curl_slist* list = nullptr;
    for (const auto& [k, v] : headers) list = curl_slist_append(list, (k + ": " + v).c_str());
    list = curl_slist_append(list, "Expect:");  // no 100-continue round trip
    long timeout_ms = std::max(1L, static_cast<long>(timeout_seconds * 1000));
    curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(curl_, CURLOPT_POST, 1L);
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
    curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, Discard);
    curl_easy_setopt(curl_, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl_, CURLOPT_XFERINFOFUNCTION, Progress);
    curl_easy_setopt(curl_, CURLOPT_XFERINFODATA, const_cast<std::atomic<bool>*>(&abort));
    curl_easy_setopt(curl_, CURLOPT_PROTOCOLS_STR, "http,https");
    CURLcode rc = curl_easy_perform(curl_);
    curl_slist_free_all(list);
    if (rc == CURLE_OK) {
      long status = 0;
      curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &status);
      reply.status = static_cast<int>(status);
    } else if (rc == CURLE_OPERATION_TIMEDOUT) {
      reply.error = "timed out after " + std::to_string(timeout_ms) + " ms";
    } else if (rc == CURLE_ABORTED_BY_CALLBACK) {
      reply.error = "aborted at the flush deadline";
    } else {
      reply.error = curl_easy_strerror(rc);  // generic text, holds no URL or header
    }
    return reply;
  }

 private:
  CURL* curl_ = nullptr;
};

}  // namespace

std::unique_ptr<HttpPoster> MakeCurlPoster() { return std::make_unique<CurlPoster>(); }

}  // namespace ctxbench
