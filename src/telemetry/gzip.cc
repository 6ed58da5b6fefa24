#include "telemetry/gzip.h"

#include <zlib.h>

#include "core/error.h"

namespace ctxbench {

namespace {

constexpr int kGzipWindowBits = 15 + 16;  // 15-bit window, gzip wrapper

}  // namespace

struct GzipStream::Impl {
  z_stream zs{};
  std::string out;
  bool open = false;

  void Open() {
    zs = z_stream{};
    if (deflateInit2(&zs, Z_BEST_SPEED, Z_DEFLATED, kGzipWindowBits, 8, Z_DEFAULT_STRATEGY) !=
        Z_OK) {
      ThrowRuntime("gzip", "deflateInit2 failed");
    }
    open = true;
  }
  // Runs deflate until it has taken all input (and, with Z_FINISH, ended).
  void Deflate(std::string_view data, int flush) {
    if (!open) Open();
    char buf[32768];
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    zs.avail_in = static_cast<uInt>(data.size());
    int rc = Z_OK;
    do {
      zs.next_out = reinterpret_cast<Bytef*>(buf);
      zs.avail_out = sizeof(buf);
      rc = deflate(&zs, flush);
      if (rc == Z_STREAM_ERROR) ThrowRuntime("gzip", "deflate failed");
      out.append(buf, sizeof(buf) - zs.avail_out);
    } while (zs.avail_in > 0 || zs.avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
  }
  ~Impl() {
    if (open) deflateEnd(&zs);
  }
};

GzipStream::GzipStream() : impl_(std::make_unique<Impl>()) {}
GzipStream::~GzipStream() = default;

void GzipStream::Append(std::string_view data) {
  if (!data.empty()) impl_->Deflate(data, Z_NO_FLUSH);
}

std::string GzipStream::Finish() {
  impl_->Deflate({}, Z_FINISH);
  deflateEnd(&impl_->zs);
  impl_->open = false;
  std::string out;
  out.swap(impl_->out);
  return out;
}

std::string GzipCompress(std::string_view data) {
  GzipStream gz;
  gz.Append(data);
  return gz.Finish();
}

std::string GzipDecompress(std::string_view data) {
  z_stream zs{};
  if (inflateInit2(&zs, kGzipWindowBits) != Z_OK) ThrowRuntime("gzip", "inflateInit2 failed");
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  std::string out;
  char buf[16384];
  int rc = Z_OK;
  while (rc == Z_OK) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof(buf);
    rc = inflate(&zs, Z_NO_FLUSH);
    out.append(buf, sizeof(buf) - zs.avail_out);
    if (rc == Z_BUF_ERROR && zs.avail_in == 0) break;
  }
  inflateEnd(&zs);
  if (rc != Z_STREAM_END) ThrowInput("gzip", "corrupt or truncated gzip stream");
  return out;
}

}  // namespace ctxbench
