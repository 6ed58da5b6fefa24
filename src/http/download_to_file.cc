#include "http/download_to_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace ctxbench {

namespace {

// The temporary download file: removed unless Commit() renamed it.
class PartFile {
 public:
  explicit PartFile(const std::string& dest) : dest_(dest), path_(dest + ".part-XXXXXX") {
    fd_ = ::mkstemp(path_.data());
    created_ = fd_ >= 0;
    if (!created_) error_ = std::string("cannot create the download file: ") + std::strerror(errno);
  }
  ~PartFile() {
    if (fd_ >= 0) ::close(fd_);
    if (created_ && !committed_) ::unlink(path_.c_str());
  }
  PartFile(const PartFile&) = delete;
  PartFile& operator=(const PartFile&) = delete;

  // Appends `data`; false (and error()) when the write failed.
  bool Write(std::string_view data) {
    for (size_t done = 0; done < data.size();) {
      ssize_t w = ::write(fd_, data.data() + done, data.size() - done);
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) {
        error_ = std::string("cannot write the download: ") + std::strerror(errno);
        return false;
      }
      done += static_cast<size_t>(w);
    }
    bytes_ += data.size();
    return true;
  }
  // Flushes, closes and renames the file into place; false (and error()) on
  // failure.
  bool Commit() {
    int rc = ::fsync(fd_);
    int saved = errno;
    if (::close(fd_) != 0 && rc == 0) {
      rc = -1;
      saved = errno;
    }
    fd_ = -1;
    if (rc != 0) {
      error_ = std::string("cannot write the download: ") + std::strerror(saved);
      return false;
    }
    if (::rename(path_.c_str(), dest_.c_str()) != 0) {
      error_ = std::string("cannot rename the download into place: ") + std::strerror(errno);
      return false;
    }
    committed_ = true;
    return true;
  }
  uint64_t bytes() const { return bytes_; }
  const std::string& error() const { return error_; }

 private:
  std::string dest_;
  std::string path_;
  int fd_ = -1;
  bool created_ = false;
  bool committed_ = false;
  uint64_t bytes_ = 0;
  std::string error_;
};

}  // namespace

DownloadResult DownloadToFile(HttpTransport& transport, const HttpRequest& request,
                              const std::string& dest_path) {
  DownloadResult result;
  std::error_code ec;
  std::filesystem::path parent = std::filesystem::path(dest_path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  PartFile file(dest_path);
  if (!file.error().empty()) {
    result.file_error = file.error();
    return result;
  }
  result.response =
      transport.Stream(request, [&file](std::string_view chunk) { return file.Write(chunk); });
  result.bytes = file.bytes();
  if (!file.error().empty()) {
    result.file_error = file.error();  // the write that stopped the exchange
    return result;
  }
  if (result.response.status == 200 && !file.Commit()) result.file_error = file.error();
  return result;
}

}  // namespace ctxbench
