#include "datasets/kaggle_client.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <utility>

#include "core/cancel.h"
#include "core/error.h"
#include "core/json.h"
#include "datasets/download_progress.h"
#include "datasets/zip_extract.h"
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
  uint64_t max_bytes;
  bool too_large = false;
};

size_t OnData(char* data, size_t size, size_t nmemb, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t n = size * nmemb;
  if (t->file->bytes() + n > t->max_bytes) {
    t->too_large = true;
    return 0;
  }
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

// Sets the options every API call shares: `url`, basic auth, redirects
// (http/https only), failure on HTTP errors, timeouts and `errbuf`.
void SetCommonOptions(CURL* c, const std::string& url, const KaggleCredentials& credentials,
                      char* errbuf) {
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
  curl_easy_setopt(c, CURLOPT_USERNAME, credentials.username.c_str());
  curl_easy_setopt(c, CURLOPT_PASSWORD, credentials.key.c_str());
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
}

// Throws the one-line error for a failed call (HTTP status or curl code);
// returns when the call succeeded with 200. `written` is the byte count so
// far and `write_errno` the errno of a failed local write (0 if none).
void ThrowOnFailure(CURLcode rc, long status, const std::string& competition,
                    const std::string& url, const std::string& base_url,
                    const KaggleCredentials& credentials, const char* errbuf,
                    const std::string& dest_path, uint64_t written, int write_errno,
                    const std::string& file = "") {
  const std::string where = "kaggle:" + competition;
  if (rc == CURLE_HTTP_RETURNED_ERROR) {
    if (status == 401) {
      ThrowInput(where, "Kaggle refused the credentials from " + credentials.source +
                            " (HTTP 401): check the username and key, or create a new token at "
                            "https://www.kaggle.com/settings");
    }
    if (status == 403) {
      ThrowInput(where,
                 "Kaggle denied the download (HTTP 403): join the competition and accept "
                 "its rules at " +
                     KaggleRulesUrl(competition) + " while signed in as " + credentials.username +
                     ", then fetch again");
    }
    if (status == 404 && !file.empty()) {
      ThrowInput(where, "no data file \"" + file +
                            "\" in this competition, or no such competition (HTTP 404): "
                            "`ctxbench data fetch kaggle:" +
                            competition + " --list` shows its files");
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
  if (rc == CURLE_WRITE_ERROR && write_errno != 0) {
    ThrowRuntime(dest_path,
                 std::string("cannot write the download: ") + std::strerror(write_errno));
  }
  if (rc == CURLE_PARTIAL_FILE || rc == CURLE_RECV_ERROR || rc == CURLE_OPERATION_TIMEDOUT) {
    ThrowInput(where, "the download ended early after " + HumanBytes(written) +
                          " (truncated transfer: " + curl_easy_strerror(rc) +
                          "); nothing was kept, fetch again");
  }
  if (rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST ||
      rc == CURLE_COULDNT_RESOLVE_PROXY) {
    ThrowRuntime(where, "cannot reach " + base_url + " (network down or connection refused: " +
                            (errbuf[0] ? errbuf : curl_easy_strerror(rc)) + ")");
  }
  if (rc != CURLE_OK) {
    ThrowRuntime(where,
                 std::string("download failed: ") + (errbuf[0] ? errbuf : curl_easy_strerror(rc)));
  }
  if (status != 200) {
    ThrowRuntime(where, "Kaggle answered HTTP " + std::to_string(status) + " for " + url);
  }
}

// Collects a response body in memory, up to a cap (a file list is small).
struct BodySink {
  std::string text;
  bool overflow = false;
};
constexpr size_t kMaxListBytes = 16 << 20;
constexpr int kMaxListPages = 1000;

size_t OnBody(char* data, size_t size, size_t nmemb, void* user) {
  auto* sink = static_cast<BodySink*>(user);
  size_t n = size * nmemb;
  if (sink->text.size() + n > kMaxListBytes) {
    sink->overflow = true;
    return 0;
  }
  sink->text.append(data, n);
  return n;
}

int OnListProgress(void*, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return Cancellation::Process().requested() ? 1 : 0;
}

// One page of a file list: the v1 REST answer (a JSON array of files) or the
// paged object form ({"files": [...], "nextPageToken": "..."}).
std::string ParseFilePage(const std::string& text, const std::string& where,
                          std::vector<KaggleFile>* out) {
  Json j;
  try {
    j = Json::parse(text);
  } catch (const Json::exception&) {
    ThrowRuntime(where, "Kaggle's file list is not JSON");
  }
  const Json* files = &j;
  std::string next;
  if (j.is_object()) {
    if (!j.contains("files") || !j["files"].is_array()) {
      ThrowRuntime(where, "Kaggle's file list has no \"files\" array");
    }
    files = &j["files"];
    if (j.contains("nextPageToken") && j["nextPageToken"].is_string()) {
      next = j["nextPageToken"].get<std::string>();
    }
  } else if (!j.is_array()) {
    ThrowRuntime(where, "Kaggle's file list is neither a list nor an object");
  }
  for (const Json& f : *files) {
    if (!f.is_object() || !f.contains("name") || !f["name"].is_string()) {
      ThrowRuntime(where, "a file in Kaggle's file list has no name");
    }
    KaggleFile file;
    file.name = f["name"].get<std::string>();
    if (f.contains("totalBytes") && f["totalBytes"].is_number()) {
      file.total_bytes = f["totalBytes"].get<double>() > 0
                             ? static_cast<uint64_t>(f["totalBytes"].get<double>())
                             : 0;
    }
    if (f.contains("creationDate") && f["creationDate"].is_string()) {
      file.creation_date = f["creationDate"].get<std::string>();
    }
    out->push_back(std::move(file));
  }
  return next;
}

std::string EscapeQuery(CURL* c, const std::string& v) {
  char* e = curl_easy_escape(c, v.c_str(), static_cast<int>(v.size()));
  std::string out = e != nullptr ? e : "";
  curl_free(e);
  return out;
}

// What a download is of, for its progress line and its errors.
struct DownloadOf {
  const std::string& competition;
  std::string label;  // the progress line's name
  std::string file;   // the data file; "" for the whole competition
  const std::string& base_url;
  const KaggleCredentials& credentials;
};

// Streams `url` into `dest_path` (atomically, see DownloadAll); more than
// `max_bytes` is an input error and keeps nothing. Returns the bytes written.
uint64_t Download(const std::string& url, const DownloadOf& of, const std::string& dest_path,
                  bool progress_tty, bool quiet, uint64_t max_bytes) {
  const std::string where = "kaggle:" + of.competition;
  CurlGlobalInit();
  std::unique_ptr<CURL, CurlCloser> curl(curl_easy_init());
  if (!curl) ThrowRuntime(where, "cannot start libcurl");

  std::error_code ec;
  fs::path parent = fs::path(dest_path).parent_path();
  if (!parent.empty()) fs::create_directories(parent, ec);
  PartFile file(dest_path);
  ProgressLine progress(stderr, progress_tty, of.label);
  Transfer transfer{&file, quiet ? nullptr : &progress, std::chrono::steady_clock::now(),
                    max_bytes};

  char errbuf[CURL_ERROR_SIZE] = {0};
  CURL* c = curl.get();
  SetCommonOptions(c, url, of.credentials, errbuf);
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
  if (transfer.too_large) {
    ThrowInput(where, of.label + " is larger than " + HumanBytes(max_bytes) +
                          " (--max-unpacked-gb); nothing was kept");
  }
  ThrowOnFailure(rc, status, of.competition, url, of.base_url, of.credentials, errbuf, dest_path,
                 file.bytes(), file.write_errno(), of.file);
  file.Commit();
  if (!quiet) progress.Finish(file.bytes(), seconds);
  return file.bytes();
}

// Percent-encodes everything but RFC 3986's unreserved characters, '/'
// included (as the official client sends a file name in the path).
std::string EscapeUrlPart(const std::string& v) {
  CurlGlobalInit();
  std::unique_ptr<CURL, CurlCloser> curl(curl_easy_init());
  if (!curl) ThrowRuntime(v, "cannot start libcurl");
  return EscapeQuery(curl.get(), v);
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

void CheckDataFileName(const std::string& competition, const std::string& file) {
  Status safe = CheckZipEntryName(file);
  std::string why = safe.error();
  if (why.empty() && file.back() == '/') why = "a folder, not a file";
  if (why.empty() && file.size() > 1000) why = "longer than 1000 characters";
  if (!why.empty()) {
    ThrowUsage("kaggle:" + competition + " --file",
               "not a data file name (" + why + "); `data fetch --list` names them");
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
  return Download(base_url_ + "/competitions/data/download-all/" + competition,
                  {competition, competition + ".zip", "", base_url_, credentials_}, dest_path,
                  progress_tty, quiet, UINT64_MAX);
}

uint64_t KaggleClient::DownloadFile(const std::string& competition, const std::string& file,
                                    const std::string& dest_path, bool progress_tty, bool quiet,
                                    uint64_t max_bytes) const {
  CheckCompetitionName(competition);
  CheckDataFileName(competition, file);
  std::string escaped = EscapeUrlPart(file);
  return Download(base_url_ + "/competitions/data/download/" + competition + "/" + escaped,
                  {competition, file, file, base_url_, credentials_}, dest_path, progress_tty,
                  quiet, max_bytes);
}

std::vector<KaggleFile> KaggleClient::ListFiles(const std::string& competition) const {
  CheckCompetitionName(competition);
  const std::string where = "kaggle:" + competition;
  CurlGlobalInit();
  std::unique_ptr<CURL, CurlCloser> curl(curl_easy_init());
  if (!curl) ThrowRuntime(where, "cannot start libcurl");
  CURL* c = curl.get();
  std::vector<KaggleFile> files;
  std::string token;
  for (int page = 0; page < kMaxListPages; ++page) {
    std::string url = base_url_ + "/competitions/data/list/" + competition;
    if (!token.empty()) url += "?pageToken=" + EscapeQuery(c, token);
    BodySink sink;
    char errbuf[CURL_ERROR_SIZE] = {0};
    curl_easy_reset(c);
    SetCommonOptions(c, url, credentials_, errbuf);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, OnBody);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, OnListProgress);
    CURLcode rc = curl_easy_perform(c);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    if (sink.overflow) ThrowRuntime(where, "Kaggle's file list is larger than 16 MiB");
    ThrowOnFailure(rc, status, competition, url, base_url_, credentials_, errbuf, "",
                   sink.text.size(), 0);
    token = ParseFilePage(sink.text, where, &files);
    if (token.empty()) return files;
  }
  ThrowRuntime(where,
               "Kaggle's file list has more than " + std::to_string(kMaxListPages) + " pages");
}

}  // namespace ctxbench
