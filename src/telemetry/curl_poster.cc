// HttpPoster over libcurl's multi interface, polled in 50 ms slices so that
// an abort (the flush deadline, a Ctrl-C) ends a transfer at once, even one
// waiting on a collector that accepted the connection and never answers.
#include <curl/curl.h>

#include <cctype>
#include <ctime>
#include <mutex>

#include "llm/openai/retry_policy.h"  // ParseRetryAfter, shared with the model client
#include "telemetry/http_poster.h"

namespace ctxbench {

namespace {

constexpr int kPollMs = 50;

size_t Discard(char*, size_t size, size_t n, void*) { return size * n; }

// Keeps the value of a Retry-After header (the last response's, if several).
size_t OnHeader(char* data, size_t size, size_t n, void* out) {
  std::string line(data, size * n);
  auto* value = static_cast<std::string*>(out);
  if (line.rfind("HTTP/", 0) == 0) value->clear();  // a new response (after a 100, ...)
  const std::string name = "retry-after:";
  if (line.size() > name.size()) {
    std::string head = line.substr(0, name.size());
    for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (head == name) {
      std::string v = line.substr(name.size());
      size_t a = v.find_first_not_of(" \t");
      size_t b = v.find_last_not_of(" \t\r\n");
      *value = a == std::string::npos ? "" : v.substr(a, b - a + 1);
    }
  }
  return size * n;
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
    std::string retry_after;
    curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, OnHeader);
    curl_easy_setopt(curl_, CURLOPT_HEADERDATA, &retry_after);
    curl_easy_setopt(curl_, CURLOPT_PROTOCOLS_STR, "http,https");
    CURLcode rc = Perform(abort);
    curl_slist_free_all(list);
    if (rc == CURLE_OK) {
      long status = 0;
      curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &status);
      reply.status = static_cast<int>(status);
      if (!retry_after.empty()) {
        reply.retry_after_seconds =
            ParseRetryAfter(retry_after, static_cast<double>(std::time(nullptr))).value_or(-1);
      }
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
  // Runs the transfer on a multi handle, checking `abort` every kPollMs.
  // Returns the transfer's result, CURLE_ABORTED_BY_CALLBACK when aborted.
  CURLcode Perform(const std::atomic<bool>& abort) {
    CURLM* multi = curl_multi_init();
    if (!multi) return CURLE_OUT_OF_MEMORY;
    curl_multi_add_handle(multi, curl_);
    CURLcode rc = CURLE_ABORTED_BY_CALLBACK;
    for (int running = 1; !abort.load();) {
      if (curl_multi_perform(multi, &running) != CURLM_OK) {
        rc = CURLE_FAILED_INIT;
        break;
      }
      if (running == 0) {
        int left = 0;
        CURLMsg* msg = curl_multi_info_read(multi, &left);
        rc = msg && msg->msg == CURLMSG_DONE ? msg->data.result : CURLE_FAILED_INIT;
        break;
      }
      curl_multi_poll(multi, nullptr, 0, kPollMs, nullptr);
    }
    curl_multi_remove_handle(multi, curl_);
    curl_multi_cleanup(multi);
    return rc;
  }

  CURL* curl_ = nullptr;
};

}  // namespace

std::unique_ptr<HttpPoster> MakeCurlPoster() { return std::make_unique<CurlPoster>(); }

}  // namespace ctxbench
