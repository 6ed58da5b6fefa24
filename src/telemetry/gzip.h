// gzip compression of request bodies (Content-Encoding: gzip).
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace ctxbench {

// The gzip (RFC 1952) encoding of `data`, at zlib's fastest level (spans are
// repetitive text; level 1 keeps most of the gain at a fraction of the CPU). Throws a runtime error
// only if zlib fails (out of memory).
std::string GzipCompress(std::string_view data);

// The same encoding made piece by piece, so that a request body can be
// compressed while its spans arrive: Append as often as needed, then Finish.
class GzipStream {
 public:
  GzipStream();
  ~GzipStream();
  GzipStream(const GzipStream&) = delete;
  GzipStream& operator=(const GzipStream&) = delete;

  void Append(std::string_view data);
  // The whole gzip member; the stream is then empty and ready for the next.
  std::string Finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The inverse, for tests. Throws an input error on a corrupt stream.
std::string GzipDecompress(std::string_view data);

}  // namespace ctxbench
