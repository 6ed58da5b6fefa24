// gzip compression of request bodies (Content-Encoding: gzip).
#pragma once

#include <string>
#include <string_view>

namespace ctxbench {

// The gzip (RFC 1952) encoding of `data`, at zlib's fastest level (spans are
// repetitive text; level 1 keeps most of the gain at a fraction of the CPU). Throws a runtime error
// only if zlib fails (out of memory).
std::string GzipCompress(std::string_view data);

// The inverse, for tests. Throws an input error on a corrupt stream.
std::string GzipDecompress(std::string_view data);

}  // namespace ctxbench
