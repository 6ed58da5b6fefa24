#include "datasets/zip_extract.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

#include "core/cancel.h"
#include "core/error.h"
#include "core/file.h"

namespace ctxbench {
namespace {

namespace fs = std::filesystem;

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};
struct ZipFileCloser {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};
using ZipPtr = std::unique_ptr<zip_t, ZipCloser>;
using ZipFilePtr = std::unique_ptr<zip_file_t, ZipFileCloser>;

constexpr const char* kCorrupt =
    "not a complete zip archive (truncated or corrupt download; delete it and fetch again)";

ZipPtr OpenZip(const std::string& path) {
  int err = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &err);
  if (z == nullptr) {
    if (err == ZIP_ER_NOENT || err == ZIP_ER_OPEN) ThrowInput(path, "cannot open the archive");
    ThrowInput(path, kCorrupt);
  }
  return ZipPtr(z);
}

// Removes a folder tree on scope exit unless released.
class StagingDir {
 public:
  explicit StagingDir(const std::string& parent) {
    std::string tmpl = (fs::path(parent) / ".ctxbench-unzip-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) {
      ThrowRuntime(parent, std::string("cannot create a staging folder: ") + std::strerror(errno));
    }
    path_ = tmpl;
  }
  ~StagingDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  StagingDir(const StagingDir&) = delete;
  StagingDir& operator=(const StagingDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The cap in the unit of --max-unpacked-gb (GiB), or in bytes when smaller.
std::string CapText(uint64_t bytes) {
  if (bytes < (1ULL << 30)) return std::to_string(bytes) + " bytes";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%g GiB", static_cast<double>(bytes) / (1ULL << 30));
  return buf;
}

std::string OverCap(const ZipLimits& limits, const std::string& what) {
  return "refusing the archive: " + what + " more than the " + CapText(limits.max_bytes) +
         " cap (a zip bomb, or raise it with --max-unpacked-gb)";
}

// Writes entry `index` to `out`, adding its bytes to `*written`; throws as
// soon as `*written` passes limits.max_bytes.
void WriteEntry(zip_t* z, zip_uint64_t index, const std::string& zip_path, const fs::path& out,
                const ZipLimits& limits, uint64_t* written) {
  ZipFilePtr in(zip_fopen_index(z, index, 0));
  if (!in) ThrowInput(zip_path, kCorrupt);
  int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) ThrowRuntime(out.string(), std::string("cannot create: ") + std::strerror(errno));
  char buf[1 << 16];
  for (;;) {
    zip_int64_t n = zip_fread(in.get(), buf, sizeof buf);
    if (n < 0) {
      ::close(fd);
      ThrowInput(zip_path, kCorrupt);
    }
    if (n == 0) break;
    *written += static_cast<uint64_t>(n);
    if (*written > limits.max_bytes) {
      ::close(fd);
      ThrowInput(zip_path, OverCap(limits, "it unpacks to"));
    }
    for (zip_int64_t done = 0; done < n;) {
      ssize_t w = ::write(fd, buf + done, static_cast<size_t>(n - done));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) {
        int e = errno;
        ::close(fd);
        ThrowRuntime(out.string(), std::string("cannot write: ") + std::strerror(e));
      }
      done += w;
    }
  }
  if (::close(fd) != 0) ThrowRuntime(out.string(), "cannot write");
}

}  // namespace

Status CheckZipEntryName(const std::string& name) {
  if (name.empty()) return Status::Failure("an empty name");
  if (name[0] == '/') return Status::Failure("an absolute path");
  if (name.find('\\') != std::string::npos) return Status::Failure("a backslash in the path");
  if (name.find('\0') != std::string::npos) return Status::Failure("a NUL in the path");
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find('/', start);
    if (end == std::string::npos) end = name.size();
    if (name.compare(start, end - start, "..") == 0 && end - start == 2) {
      return Status::Failure("a \"..\" component");
    }
    start = end + 1;
  }
  return Status::Ok();
}

uint64_t UnpackedBytesCap(double gb, const std::string& flag) {
  if (!(gb > 0 && gb <= 1e6)) ThrowUsage(flag, "expected a size in GiB in (0, 1000000]");
  return static_cast<uint64_t>(gb * static_cast<double>(1ULL << 30));
}

std::vector<std::string> ExtractZip(const std::string& zip_path, const std::string& dest_dir,
                                    const ZipLimits& limits, uint64_t* unpacked_bytes) {
  ZipPtr z = OpenZip(zip_path);
  zip_int64_t count = zip_get_num_entries(z.get(), 0);
  if (count < 0) ThrowInput(zip_path, kCorrupt);
  if (static_cast<uint64_t>(count) > limits.max_entries) {
    ThrowInput(zip_path, "refusing the archive: " + std::to_string(count) +
                             " entries, more than the cap of " +
                             std::to_string(limits.max_entries) + " (a zip bomb?)");
  }

  // Every entry is checked before anything is written.
  std::vector<std::string> names;
  uint64_t declared = 0;
  for (zip_int64_t i = 0; i < count; ++i) {
    const char* raw = zip_get_name(z.get(), static_cast<zip_uint64_t>(i), ZIP_FL_ENC_RAW);
    if (raw == nullptr) ThrowInput(zip_path, kCorrupt);
    std::string name = raw;
    if (Status safe = CheckZipEntryName(name); !safe.ok()) {
      ThrowInput(zip_path, "refusing entry \"" + name + "\": " + safe.error() + " (zip-slip)");
    }
    zip_uint8_t opsys = 0;
    zip_uint32_t attr = 0;
    if (zip_file_get_external_attributes(z.get(), static_cast<zip_uint64_t>(i), 0, &opsys, &attr) ==
            0 &&
        opsys == ZIP_OPSYS_UNIX) {
      mode_t type = static_cast<mode_t>(attr >> 16) & S_IFMT;
      if (type == S_IFLNK) ThrowInput(zip_path, "refusing entry \"" + name + "\": a symlink");
      if (type != 0 && type != S_IFREG && type != S_IFDIR) {
        ThrowInput(zip_path, "refusing entry \"" + name + "\": not a regular file or folder");
      }
    }
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(z.get(), static_cast<zip_uint64_t>(i), 0, &st) != 0) {
      ThrowInput(zip_path, kCorrupt);
    }
    if ((st.valid & ZIP_STAT_SIZE) != 0) {
      // declared <= max_bytes holds here, so this cannot overflow.
      if (st.size > limits.max_bytes - declared) {
        ThrowInput(zip_path, OverCap(limits, "its entries declare"));
      }
      declared += st.size;
    }
    names.push_back(std::move(name));
  }

  MakeWritableDir(dest_dir);
  StagingDir staging(dest_dir);
  std::vector<std::string> files;
  uint64_t written = 0;
  for (zip_int64_t i = 0; i < count; ++i) {
    if (Cancellation::Process().requested()) {
      throw CancelledError(zip_path, "unpacking interrupted; nothing was unpacked");
    }
    const std::string& name = names[static_cast<size_t>(i)];
    fs::path out = fs::path(staging.path()) / name;
    std::error_code ec;
    if (name.back() == '/') {
      fs::create_directories(out, ec);
      if (ec) ThrowRuntime(out.string(), "cannot create folder: " + ec.message());
      continue;
    }
    fs::create_directories(out.parent_path(), ec);
    if (ec) ThrowRuntime(out.parent_path().string(), "cannot create folder: " + ec.message());
    if (fs::exists(fs::symlink_status(out, ec))) {
      ThrowInput(zip_path, "entry \"" + name + "\" appears twice");
    }
    WriteEntry(z.get(), static_cast<zip_uint64_t>(i), zip_path, out, limits, &written);
    files.push_back(name);
  }

  for (const auto& entry : fs::directory_iterator(staging.path())) {
    fs::path target = fs::path(dest_dir) / entry.path().filename();
    std::error_code ec;
    fs::remove_all(target, ec);
    fs::rename(entry.path(), target, ec);
    if (ec)
      ThrowRuntime(target.string(), "cannot move the unpacked file into place: " + ec.message());
  }
  if (unpacked_bytes != nullptr) *unpacked_bytes = written;
  return files;
}

}  // namespace ctxbench
