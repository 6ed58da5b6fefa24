// A download to a file over any HttpTransport (HttpTransport::Stream): the
// body is written to a temporary file beside the destination and renamed
// into place only when the whole of it arrived with status 200, so the final
// path never holds a partial file.
//
// Error channel: never throws. HTTP and network failures come back in
// DownloadResult::response as Stream() gives them (status 0 and a flag for a
// failure to connect, a timeout or stall, an abort, a body over
// HttpRequest::max_response_bytes or a truncated body; the status otherwise);
// a local file failure in DownloadResult::file_error. In every case but
// `ok()` the temporary file is removed and `dest_path` is as it was.
// Thread safety: as the transport it is given (one call at a time per
// transport); calls on different transports and paths may run in parallel.
#pragma once

#include <cstdint>
#include <string>

#include "http/http_transport.h"

namespace ctxbench {

struct DownloadResult {
  HttpResponse response;  // its body is empty for a 2xx answer
  uint64_t bytes = 0;     // body bytes written (kept only when ok())
  // A local failure, one line naming what failed and strerror's text
  // ("cannot create the download file: ...", "cannot write the download:
  // ...", "cannot rename the download into place: ..."); "" when none.
  std::string file_error;

  // The whole body is at `dest_path`: status 200 and no failure.
  bool ok() const { return response.status == 200 && file_error.empty(); }
};

// Sends `request` (a GET, or what its method says) through `transport` and
// streams a 200 body into "<dest_path>.part-XXXXXX", then fsyncs it and
// renames it to `dest_path` (replacing an earlier file). Creates the missing
// folders above `dest_path`. Any other status (a 206 or 204 included) keeps
// no file. `request.abort` cancels, `request.on_progress` reports, and
// `request.max_response_bytes` caps the file (over it: too_large, no file).
DownloadResult DownloadToFile(HttpTransport& transport, const HttpRequest& request,
                              const std::string& dest_path);

}  // namespace ctxbench
