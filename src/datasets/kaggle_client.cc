#include "datasets/kaggle_client.h"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <utility>

#include "core/cancel.h"
#include "core/error.h"
#include "core/json.h"
#include "core/url.h"
#include "datasets/download_progress.h"
#include "datasets/zip_extract.h"
#include "http/download_to_file.h"
#include "http/http_transport.h"

namespace ctxbench {
namespace {

// The one-line error of an exchange that did not end with 200 (a status, a
// transport failure or an abort); returns when it did. `written` is the
// byte count so far. URLs are named without their user info.
void ThrowOnFailure(const HttpResponse& r, const std::string& competition, const std::string& url,
                    const std::string& base_url, const KaggleCredentials& credentials,
                    uint64_t written, const std::string& file = "") {
  const std::string where = "kaggle:" + competition;
  if (r.status == 401) {
    ThrowInput(where, "Kaggle refused the credentials from " + credentials.source +
                          " (HTTP 401): check the username and key, or create a new token at "
                          "https://www.kaggle.com/settings");
  }
  if (r.status == 403) {
    ThrowInput(where,
               "Kaggle denied the download (HTTP 403): join the competition and accept "
               "its rules at " +
                   KaggleRulesUrl(competition) + " while signed in as " + credentials.username +
                   ", then fetch again");
  }
  if (r.status == 404 && !file.empty()) {
    ThrowInput(where, "no data file \"" + file +
                          "\" in this competition, or no such competition (HTTP 404): "
                          "`ctxbench data fetch kaggle:" +
                          competition + " --list` shows its files");
  }
  if (r.status == 404) {
    ThrowInput(where,
               "no such Kaggle competition (HTTP 404): check the name, the part after "
               "kaggle.com/c/ in its URL");
  }
  if (r.status != 0 && r.status != 200) {
    ThrowRuntime(where, "Kaggle answered HTTP " + std::to_string(r.status) + " for " +
                            UrlWithoutCredentials(url));
  }
  if (r.status == 200) return;
  if (r.aborted) throw CancelledError(where, "download interrupted; the partial file was removed");
  if (r.connect_failed) {
    ThrowRuntime(where, "cannot reach " + UrlWithoutCredentials(base_url) +
                            " (network down or connection refused: " + r.error + ")");
  }
  if (r.truncated || r.timed_out) {
    ThrowInput(where, "the download ended early after " + HumanBytes(written) +
                          " (truncated transfer: " + r.error + "); nothing was kept, fetch again");
  }
  ThrowRuntime(where, "download failed: " + RedactUrlCredentials(r.error));
}

// The request every API call sends: `url` with basic auth, redirects
// (http/https; the credentials go to the first host only), a 30 s connect
// limit and a 60 s stall limit but none on the whole transfer, Ctrl-C
// (Cancellation::Process) as its abort.
HttpRequest ApiRequest(const std::string& url, const KaggleCredentials& credentials) {
  HttpRequest request;
  request.method = "GET";
  request.url = url;
  request.headers = {{"User-Agent", "ctxbench/" CTXBENCH_VERSION}};
  request.basic_auth_user = credentials.username;
  request.basic_auth_password = credentials.key;
  request.max_redirects = 5;
  request.timeout_s = 0;
  request.connect_timeout_s = 30;
  request.stall_timeout_s = 60;
  request.abort = [] { return Cancellation::Process().requested(); };
  return request;
}

constexpr size_t kMaxListBytes = 16 << 20;
constexpr int kMaxListPages = 1000;

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
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

// Percent-encodes everything but RFC 3986's unreserved characters, '/'
// included (as the official client sends a file name in the path).
std::string EscapeUrlPart(const std::string& v) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : v) {
    if (IsNameChar(static_cast<char>(c)) || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
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
  ProgressLine progress(stderr, progress_tty, of.label);
  auto start = std::chrono::steady_clock::now();
  auto seconds = [&start] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  HttpRequest request = ApiRequest(url, of.credentials);
  request.max_response_bytes = max_bytes;
  if (!quiet) {
    request.on_progress = [&](uint64_t now, uint64_t total) {
      if (now > 0) progress.Update(now, total, seconds());
    };
  }
  DownloadResult result = DownloadToFile(*MakeCurlTransport(), request, dest_path);
  if (!result.ok() && !quiet) progress.Abandon();
  if (!result.file_error.empty()) ThrowRuntime(dest_path, result.file_error);
  if (result.response.too_large) {
    ThrowInput(where, of.label + " is larger than " + HumanBytes(max_bytes) +
                          " (--max-unpacked-gb); nothing was kept");
  }
  ThrowOnFailure(result.response, of.competition, url, of.base_url, of.credentials, result.bytes,
                 of.file);
  if (!quiet) progress.Finish(result.bytes, seconds());
  return result.bytes;
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
  std::unique_ptr<HttpTransport> transport = MakeCurlTransport();
  std::vector<KaggleFile> files;
  std::string token;
  for (int page = 0; page < kMaxListPages; ++page) {
    std::string url = base_url_ + "/competitions/data/list/" + competition;
    if (!token.empty()) url += "?pageToken=" + EscapeUrlPart(token);
    HttpRequest request = ApiRequest(url, credentials_);
    request.max_response_bytes = kMaxListBytes;
    HttpResponse r = transport->Post(request, {});
    if (r.too_large) ThrowRuntime(where, "Kaggle's file list is larger than 16 MiB");
    ThrowOnFailure(r, competition, url, base_url_, credentials_, r.body.size());
    token = ParseFilePage(r.body, where, &files);
    if (token.empty()) return files;
  }
  ThrowRuntime(where,
               "Kaggle's file list has more than " + std::to_string(kMaxListPages) + " pages");
}

}  // namespace ctxbench
