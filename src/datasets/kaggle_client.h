// A client for the competition-data part of Kaggle's public REST API (the
// paths of the official `kaggle` client's KaggleApi:
// GET {base}/competitions/data/download-all/{id},
// GET {base}/competitions/data/download/{id}/{fileName} and
// GET {base}/competitions/data/list/{id}), with HTTP basic auth over the one
// HTTP transport (http/http_transport.h; downloads through
// http/download_to_file.h).
//
// Error channel: throws ctxbench::Error with one line naming
// "kaggle:<competition>": kInput for missing credentials, 401, 403 (with the
// competition's rules URL), 404 and a truncated or stalled transfer;
// kRuntime when the server cannot be reached or answers another status, or
// the download cannot be written (naming the destination); CancelledError
// when Cancellation::Process() is set during the transfer. The key never
// appears in a message, nor the user info of a URL. Thread safety: a const
// client may be used from several threads; each call has its own transport.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "datasets/kaggle_credentials.h"

namespace ctxbench {

// The public API's base URL.
extern const char* const kKaggleApiBase;

// KAGGLE_API_BASE when set (tests point it at 127.0.0.1), else kKaggleApiBase.
std::string KaggleApiBase(const EnvLookup& env);

// Throws a usage error unless `competition` is a Kaggle competition slug
// (letters, digits, '-' and '_'; what follows /c/ in its URL).
void CheckCompetitionName(const std::string& competition);

// Throws a usage error naming "kaggle:<competition> --file" unless `file` may
// name a data file of it: a relative path without "..", backslashes or NULs
// (CheckZipEntryName), not ending in '/'.
void CheckDataFileName(const std::string& competition, const std::string& file);

// The competition's rules page, where a user accepts them.
std::string KaggleRulesUrl(const std::string& competition);

// One data file of a competition, as Kaggle lists it.
struct KaggleFile {
  std::string name;           // path within the competition's data
  uint64_t total_bytes = 0;   // 0 when Kaggle does not say
  std::string creation_date;  // as Kaggle gives it; "" when absent
};

class KaggleClient {
 public:
  KaggleClient(std::string base_url, KaggleCredentials credentials);

  // Downloads every data file of the competition as one zip archive to
  // `dest_path`: streamed into a temporary file beside it, renamed into place
  // when complete (an earlier file is replaced); on any error or interrupt the
  // temporary file is removed. Follows redirects (to the storage host; the
  // credentials are not sent there). `progress_tty` picks the progress bar
  // over plain lines on stderr; `quiet` prints none. Returns the bytes written.
  uint64_t DownloadAll(const std::string& competition, const std::string& dest_path,
                       bool progress_tty, bool quiet = false) const;

  // Downloads one data file of the competition (`file` as ListFiles names it)
  // to `dest_path`, as DownloadAll does (temporary file, renamed into place;
  // nothing left on error). Kaggle may answer with the file zipped; the bytes
  // are written as received. A file over `max_bytes` is an input error and
  // nothing is kept. A 404 names the competition or the file as missing.
  uint64_t DownloadFile(const std::string& competition, const std::string& file,
                        const std::string& dest_path, bool progress_tty, bool quiet,
                        uint64_t max_bytes) const;

  // The competition's data files, in Kaggle's order. Accepts the v1 answer
  // (a JSON array of {name, totalBytes, creationDate, ...}) and the paged
  // form ({"files": [...], "nextPageToken": T}, following ?pageToken=T).
  // Errors as DownloadAll; an answer that is not such JSON is kRuntime.
  std::vector<KaggleFile> ListFiles(const std::string& competition) const;

 private:
  std::string base_url_;
  KaggleCredentials credentials_;
};

}  // namespace ctxbench
