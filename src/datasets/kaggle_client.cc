#include "datasets/kaggle_client.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <utility>

#include "core/cancel.h"
#include "core/error.h"
#include "datasets/download_progress.h"
#include "http/curl_global.h"

namespace ctxbench {
namespace {

namespace fs = std::filesystem;

struct CurlCloser {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};

// The temporary download file: removed unless Commit() renamed it.
class PartFile {
 public:
  explicit PartFile(const std::string& dest) : dest_(dest) {
    path_ = dest + ".part-XXXXXX";
    fd_ = ::mkstemp(path_.data());
    if (fd_ < 0) {
      ThrowRuntime(dest, std::string("cannot create the download file: ") + std::strerror(errno));
    }
  }
  ~PartFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) ::unlink(path_.c_str());
  }
  PartFile(const PartFile&) = delete;
  PartFile& operator=(const PartFile&) = delete;

  bool Write(const char* data, size_t n) {
    for (size_t done = 0; done < n;) {
      ssize_t w = ::write(fd_, data + done, n - done);
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) {
        write_errno_ = errno;
        return false;
      }
      done += static_cast<size_t>(w);
    }
    bytes_ += n;
    return true;
  }
  void Commit() {
    if (::fsync(fd_) != 0 || ::close(fd_) != 0) {
      fd_ = -1;
      ThrowRuntime(dest_, std::string("cannot write: ") + std::strerror(errno));
    }
    fd_ = -1;
    if (::rename(path_.c_str(), dest_.c_str()) != 0) {
      ThrowRuntime(dest_,
                   std::string("cannot rename the download into place: ") + std::strerror(errno));
    }
    committed_ = true;
  }
  uint64_t bytes() const { return bytes_; }
  int write_errno() const { return write_errno_; }

 private:
  std::string dest_;
  std::string path_;
  int fd_ = -1;
  bool committed_ = false;
  uint64_t bytes_ = 0;
  int write_errno_ = 0;
};

struct Transfer {
  PartFile* file;
  ProgressLine* progress;  // null when quiet
  std::chrono::steady_clock::time_point start;
};

size_t OnData(char* data, size_t size, size_t nmemb, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t n = size * nmemb;
  return t->file->Write(data, n) ? n : 0;
}

int OnProgress(void* user, curl_off_t total, curl_off_t now, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(user);
  if (Cancellation::Process().requested()) return 1;
  if (t->progress != nullptr && now > 0) {
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t->start).count();
    t->progress->Update(static_cast<uint64_t>(now), static_cast<uint64_t>(total), s);
  }
  return 0;
}

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

}  // namespace

const char* const kKaggleApiBase = "https://www.kaggle.com/api/v1";

std::string KaggleApiBase(const EnvLookup& env) {
  std::string base = env("KAGGLE_API_BASE").value_or(kKaggleApiBase);
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
}

void CheckCompetitionName(const std::string& competition) {
  bool ok = !competition.empty() && competition.size() <= 100;
  for (char c : competition) ok = ok && IsNameChar(c);
  if (!ok) {
    ThrowUsage("kaggle:" + competition,
               "not a competition name (the part after kaggle.com/c/ in its URL, e.g. "
               "nomad2018-predict-transparent-conductors)");
  }
}

std::string KaggleRulesUrl(const std::string& competition) {
  return "https://www.kaggle.com/c/" + competition + "/rules";
}

KaggleClient::KaggleClient(std::string base_url, KaggleCredentials credentials)
    : base_url_(std::move(base_url)), credentials_(std::move(credentials)) {}

uint64_t KaggleClient::DownloadAll(const std::string& competition, const std::string& dest_path,
                                   bool progress_tty, bool quiet) const {
  CheckCompetitionName(competition);
  const std::string where = "kaggle:" + competition;
  CurlGlobalInit();
  std::unique_ptr<CURL, CurlCloser> curl(curl_easy_init());
  if (!curl) ThrowRuntime(where, "cannot start libcurl");

  std::error_code ec;
  fs::path parent = fs::path(dest_path).parent_path();
  if (!parent.empty()) fs::create_directories(parent, ec);
  PartFile file(dest_path);
  ProgressLine progress(stderr, progress_tty, competition + ".zip");
  Transfer transfer{&file, quiet ? nullptr : &progress, std::chrono::steady_clock::now()};

  std::string url = base_url_ + "/competitions/data/download-all/" + competition;
  char errbuf[CURL_ERROR_SIZE] = {0};
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
  curl_easy_setopt(c, CURLOPT_USERNAME, credentials_.username.c_str());
  curl_easy_setopt(c, CURLOPT_PASSWORD, credentials_.key.c_str());
  curl_easy_setopt(c, CURLOPT_USERAGENT, "ctxbench/" CTXBENCH_VERSION);
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
  // A stalled transfer (under 1 byte/s for 60 s) fails instead of hanging.
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, OnData);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, OnProgress);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, &transfer);

  CURLcode rc = curl_easy_perform(c);
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - transfer.start).count();
  if (rc != CURLE_OK && !quiet) progress.Abandon();

  if (rc == CURLE_HTTP_RETURNED_ERROR) {
    if (status == 401) {
      ThrowInput(where, "Kaggle refused the credentials from " + credentials_.source +
                            " (HTTP 401): check the username and key, or create a new token at "
                            "https://www.kaggle.com/settings");
    }
    if (status == 403) {
      ThrowInput(where,
                 "Kaggle denied the download (HTTP 403): join the competition and accept "
                 "its rules at " +
                     KaggleRulesUrl(competition) + " while signed in as " + credentials_.username +
                     ", then fetch again");
    }
    if (status == 404) {
      ThrowInput(where,
                 "no such Kaggle competition (HTTP 404): check the name, the part after "
                 "kaggle.com/c/ in its URL");
    }
    ThrowRuntime(where, "Kaggle answered HTTP " + std::to_string(status) + " for " + url);
  }
  if (rc == CURLE_ABORTED_BY_CALLBACK) {
    throw CancelledError(where, "download interrupted; the partial file was removed");
  }
  if (rc == CURLE_WRITE_ERROR && file.write_errno() != 0) {
    ThrowRuntime(dest_path,
                 std::string("cannot write the download: ") + std::strerror(file.write_errno()));
  }
  if (rc == CURLE_PARTIAL_FILE || rc == CURLE_RECV_ERROR || rc == CURLE_OPERATION_TIMEDOUT) {
    ThrowInput(where, "the download ended early after " + HumanBytes(file.bytes()) +
                          " (truncated transfer: " + curl_easy_strerror(rc) +
                          "); nothing was kept, fetch again");
  }
  if (rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST ||
      rc == CURLE_COULDNT_RESOLVE_PROXY) {
    ThrowRuntime(where, "cannot reach " + base_url_ + " (network down or connection refused: " +
                            (errbuf[0] ? errbuf : curl_easy_strerror(rc)) + ")");
  }
  if (rc != CURLE_OK) {
    ThrowRuntime(where,
                 std::string("download failed: ") + (errbuf[0] ? errbuf : curl_easy_strerror(rc)));
  }
  if (status != 200) {
    ThrowRuntime(where, "Kaggle answered HTTP " + std::to_string(status) + " for " + url);
  }
  file.Commit();
  if (!quiet) progress.Finish(file.bytes(), seconds);
  return file.bytes();
}

}  // namespace ctxbench
