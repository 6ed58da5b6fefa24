#include "tasks/workspace.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "core/error.h"

namespace ctxbench {

namespace fs = std::filesystem;

namespace {

const char kAbsent[] = "\x01<absent>";

std::vector<std::string> Components(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    std::string part = path.substr(start, end - start);
    if (!part.empty() && part != ".") parts.push_back(part);
    start = end + 1;
  }
  return parts;
}

// A descriptor closed at scope end.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  Fd& operator=(Fd&& o) noexcept {
    std::swap(fd_, o.fd_);
    return *this;
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

std::string OpenError(const std::string& path, const std::string& part, int err) {
  if (err == ELOOP || err == ENOTDIR) {
    return "'" + path + "': '" + part +
           "' is a symbolic link or not a folder; links are refused (paths stay inside the "
           "workspace)";
  }
  if (err == ENOENT) return "'" + path + "' does not exist (list_files shows the files)";
  return "'" + path + "': " + std::strerror(err);
}

// Opens the folder holding the last component of `parts` without following
// links; creates missing folders when `create`.
Status OpenParent(const std::string& root, const std::string& path,
                  const std::vector<std::string>& parts, bool create, int owner, Fd* out) {
  Fd dir(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() < 0) return Status::Failure("the workspace folder is missing");
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    int fd = ::openat(dir.get(), parts[i].c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT && create) {
      if (::mkdirat(dir.get(), parts[i].c_str(), 0770) != 0)
        return Status::Failure(OpenError(path, parts[i], errno));
      fd = ::openat(dir.get(), parts[i].c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (fd >= 0 && owner >= 0 &&
          (::fchown(fd, static_cast<uid_t>(owner), static_cast<gid_t>(owner)) != 0 ||
           ::fchmod(fd, 0770) != 0)) {
        ::close(fd);
        return Status::Failure(OpenError(path, parts[i], errno));
      }
    }
    if (fd < 0) return Status::Failure(OpenError(path, parts[i], errno));
    dir = Fd(fd);
  }
  *out = std::move(dir);
  return Status::Ok();
}

bool HasControlCharacter(const std::string& s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  });
}

void ListInto(int dirfd, const std::string& prefix, int depth, std::vector<std::string>* lines) {
  DIR* d = ::fdopendir(::dup(dirfd));
  if (!d) return;
  std::vector<std::string> names;
  while (dirent* e = ::readdir(d)) {
    if (e->d_name[0] != '.') names.push_back(e->d_name);
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    if (lines->size() >= 500) return;
    struct stat st;
    if (::fstatat(dirfd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
    std::string rel = prefix + name;
    if (HasControlCharacter(rel)) {
      lines->push_back(EscapeControlCharacters(rel) +
                       " (control characters in the name; refused by the file tools)");
    } else if (S_ISLNK(st.st_mode)) {
      lines->push_back(rel + " (symbolic link; refused)");
    } else if (S_ISDIR(st.st_mode) && depth < 6) {
      Fd sub(::openat(dirfd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
      if (sub.get() >= 0) ListInto(sub.get(), rel + "/", depth + 1, lines);
    } else if (S_ISREG(st.st_mode)) {
      lines->push_back(rel + " (" + std::to_string(st.st_size) + " bytes)");
    }
  }
}

}  // namespace

std::string EscapeControlCharacters(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (u < 0x20 || u == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02x", u);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out;
}

Status CheckWorkspacePath(const std::string& path) {
  if (path.empty()) return Status::Failure("the path is empty");
  if (path.find('\0') != std::string::npos) {
    return Status::Failure("the path contains a NUL byte; refused");
  }
  if (HasControlCharacter(path)) {
    return Status::Failure("'" + EscapeControlCharacters(path) +
                           "' contains control characters (newline, escape, ...); refused: name "
                           "files with printable characters");
  }
  if (path.size() > kMaxWorkspacePath) {
    return Status::Failure("the path is too long (" + std::to_string(path.size()) +
                           " characters; the limit is " + std::to_string(kMaxWorkspacePath) + ")");
  }
  if (path[0] == '/' || path[0] == '~') {
    return Status::Failure("'" + path +
                           "' is absolute; refused: use a path relative to the workspace root");
  }
  std::vector<std::string> parts = Components(path);
  if (parts.empty()) return Status::Failure("'" + path + "' names the workspace root, not a file");
  for (const std::string& part : parts) {
    if (part == "..") {
      return Status::Failure("'" + path + "': '..' is refused: paths stay inside the workspace");
    }
    if (part.size() > 255) {
      return Status::Failure("'" + path + "': a path component is longer than 255 characters");
    }
  }
  return Status::Ok();
}

Workspace::Workspace(std::string root, std::vector<std::string> read_only, int owner_uid)
    : root_(std::move(root)), read_only_(std::move(read_only)), owner_uid_(owner_uid) {}

bool Workspace::IsReadOnly(const std::string& path) const {
  std::string norm;
  for (const std::string& part : Components(path)) norm += (norm.empty() ? "" : "/") + part;
  return std::find(read_only_.begin(), read_only_.end(), norm) != read_only_.end();
}

Status Workspace::Check(const std::string& path, bool for_write) const {
  Status valid = CheckWorkspacePath(path);
  if (!valid) return valid;
  if (for_write && IsReadOnly(path)) {
    return Status::Failure("'" + path + "' is read-only for this task");
  }
  return Status::Ok();
}

Expected<std::string> Workspace::List() const {
  Fd dir(::open(root_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() < 0) return Expected<std::string>::Failure("the workspace folder is missing");
  std::vector<std::string> lines;
  ListInto(dir.get(), "", 0, &lines);
  if (lines.empty()) return std::string("(the workspace is empty)\n");
  std::string listing;
  for (std::string& line : lines) {
    std::string path = line.substr(0, line.find(" ("));
    if (IsReadOnly(path)) line += " read-only";
    listing += line + "\n";
  }
  return listing;
}

Expected<std::string> Workspace::Read(const std::string& path) const {
  using Result = Expected<std::string>;
  if (Status valid = Check(path, false); !valid) return Result::Failure(valid.error());
  std::vector<std::string> parts = Components(path);
  Fd dir;
  if (Status opened = OpenParent(root_, path, parts, false, owner_uid_, &dir); !opened) {
    return Result::Failure(opened.error());
  }
  Fd fd(::openat(dir.get(), parts.back().c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (fd.get() < 0) return Result::Failure(OpenError(path, parts.back(), errno));
  struct stat st;
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return Result::Failure("'" + path + "' is not a regular file");
  }
  if (static_cast<size_t>(st.st_size) > kMaxWorkspaceFileBytes) {
    return Result::Failure("'" + path + "' is too large to read (" + std::to_string(st.st_size) +
                           " bytes)");
  }
  std::string content(static_cast<size_t>(st.st_size), '\0');
  size_t got = 0;
  while (got < content.size()) {
    ssize_t n = ::read(fd.get(), content.data() + got, content.size() - got);
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  content.resize(got);
  return content;
}

Status Workspace::Write(const std::string& path, const std::string& content) {
  if (Status valid = Check(path, true); !valid) return valid;
  if (content.size() > kMaxWorkspaceFileBytes) return Status::Failure("the content is too large");
  Expected<std::string> old = Read(path);
  std::string before;
  if (old) {
    before = std::move(old).value();
  } else if (old.error().find("does not exist") != std::string::npos) {
    before = kAbsent;
  } else {
    return Status::Failure(old.error());
  }
  std::vector<std::string> parts = Components(path);
  Fd dir;
  if (Status opened = OpenParent(root_, path, parts, true, owner_uid_, &dir); !opened) {
    return opened;
  }
  Fd fd(::openat(dir.get(), parts.back().c_str(),
                 O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0666));
  if (fd.get() < 0) return Status::Failure(OpenError(path, parts.back(), errno));
  if (owner_uid_ >= 0 &&
      ::fchown(fd.get(), static_cast<uid_t>(owner_uid_), static_cast<gid_t>(owner_uid_)) != 0) {
    return Status::Failure("'" + path +
                           "': cannot hand it to the sandbox user: " + std::strerror(errno));
  }
  size_t put = 0;
  while (put < content.size()) {
    ssize_t n = ::write(fd.get(), content.data() + put, content.size() - put);
    if (n <= 0) return Status::Failure("'" + path + "': write failed: " + std::strerror(errno));
    put += static_cast<size_t>(n);
  }
  history_[path].push_back(std::move(before));
  return Status::Ok();
}

Status Workspace::Edit(const std::string& path, const std::string& search,
                       const std::string& replace) {
  if (Status valid = Check(path, true); !valid) return valid;
  if (search.empty()) return Status::Failure("the search text is empty");
  Expected<std::string> read = Read(path);
  if (!read) return Status::Failure(read.error());
  std::string content = std::move(read).value();
  size_t count = 0;
  for (size_t at = content.find(search); at != std::string::npos;
       at = content.find(search, at + 1)) {
    ++count;
  }
  if (count == 0) {
    return Status::Failure(
        "the search text was not found in '" + path +
        "' (it must match exactly, including spaces; read_file shows the current text)");
  }
  if (count > 1) {
    return Status::Failure("the search text occurs " + std::to_string(count) + " times in '" +
                           path + "'; include more of the surrounding text so it is unique");
  }
  size_t at = content.find(search);
  content.replace(at, search.size(), replace);
  return Write(path, content);
}

Status Workspace::Remove(const std::string& path) {
  if (Status valid = CheckWorkspacePath(path); !valid) return valid;
  std::vector<std::string> parts = Components(path);
  Fd dir;
  if (Status opened = OpenParent(root_, path, parts, false, -1, &dir); !opened) {
    bool absent = opened.error().find("does not exist") != std::string::npos;
    return absent ? Status::Ok() : opened;
  }
  if (::unlinkat(dir.get(), parts.back().c_str(), 0) != 0 && errno != ENOENT) {
    return Status::Failure(OpenError(path, parts.back(), errno));
  }
  return Status::Ok();
}

Status Workspace::Undo(const std::string& path) {
  if (Status valid = Check(path, true); !valid) return valid;
  auto it = history_.find(path);
  if (it == history_.end() || it->second.empty()) {
    return Status::Failure("no edit of '" + path + "' to undo");
  }
  std::string before = std::move(it->second.back());
  it->second.pop_back();
  if (before == kAbsent) {
    std::vector<std::string> parts = Components(path);
    Fd dir;
    Status opened = OpenParent(root_, path, parts, false, owner_uid_, &dir);
    if (opened && ::unlinkat(dir.get(), parts.back().c_str(), 0) != 0) {
      return Status::Failure(OpenError(path, parts.back(), errno));
    }
    return opened;
  }
  Status restored = Write(path, before);
  if (restored) it->second.pop_back();  // Write pushed the undone content
  return restored;
}

namespace {

// Calls `file(rel, fd, st)` for every regular file under the folder `dirfd`,
// opened by descriptor without following links; folders up to 16 deep.
template <typename Fn>
void WalkFiles(int dirfd, const std::string& prefix, int depth, Fn&& file) {
  DIR* d = ::fdopendir(::dup(dirfd));
  if (!d) return;
  std::vector<std::string> names;
  while (dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    int fd = ::openat(dirfd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) continue;  // a link (ELOOP), gone, or not readable
    Fd owned(fd);
    struct stat st;
    if (::fstat(fd, &st) != 0) continue;
    if (S_ISDIR(st.st_mode)) {
      if (depth < 16) WalkFiles(fd, prefix + name + "/", depth + 1, file);
    } else if (S_ISREG(st.st_mode)) {
      file(prefix + name, fd, st);
    }
  }
}

bool ReadAll(int fd, std::string* out) {
  out->clear();
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) return true;
    out->append(buf, static_cast<size_t>(n));
  }
}

}  // namespace

long long WorkspaceBytes(const std::string& dir) {
  Fd root(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (root.get() < 0) return -1;
  long long total = 0;
  WalkFiles(root.get(), "", 0, [&](const std::string&, int, const struct stat& st) {
    long long size = st.st_size;
    long long allocated = static_cast<long long>(st.st_blocks) * 512;
    total += size + std::max(0LL, allocated - (size + 4095) / 4096 * 4096);
  });
  return total;
}

Status CopyWorkspaceFiles(const std::string& dir, const std::string& dest,
                          const std::vector<std::string>& skip, WorkspaceDigests* previous) {
  std::error_code ec;
  if (fs::exists(dest, ec)) return Status::Failure(dest + " exists already");
  fs::create_directories(dest, ec);
  if (ec) return Status::Failure("cannot create " + dest + ": " + ec.message());
  Fd root(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (root.get() < 0) return Status::Failure("cannot open " + dir + ": " + std::strerror(errno));
  std::string error;
  std::string content;
  WalkFiles(root.get(), "", 0, [&](const std::string& rel, int fd, const struct stat&) {
    if (!error.empty() || std::find(skip.begin(), skip.end(), rel) != skip.end()) return;
    if (!ReadAll(fd, &content)) {
      error = "cannot read " + rel + ": " + std::strerror(errno);
      return;
    }
    std::pair<long long, size_t> digest(static_cast<long long>(content.size()),
                                        std::hash<std::string>{}(content));
    if (previous) {
      auto [it, added] = previous->emplace(rel, digest);
      if (!added && it->second == digest) return;  // unchanged since the last copy
      it->second = digest;
    }
    fs::path out = fs::path(dest) / rel;
    fs::create_directories(out.parent_path(), ec);
    if (ec) {
      error = "cannot create " + out.parent_path().string() + ": " + ec.message();
      return;
    }
    Fd w(::open(out.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644));
    if (w.get() < 0) {
      error = "cannot write " + out.string() + ": " + std::strerror(errno);
      return;
    }
    for (size_t put = 0; put < content.size();) {
      ssize_t n = ::write(w.get(), content.data() + put, content.size() - put);
      if (n <= 0) {
        error = "cannot write " + out.string() + ": " + std::strerror(errno);
        return;
      }
      put += static_cast<size_t>(n);
    }
  });
  return error.empty() ? Status::Ok() : Status::Failure(error);
}

void PrepareWorkspace(const std::string& starter_dir, const std::string& dir,
                      const std::vector<std::string>& read_only, int sandbox_uid) {
  std::error_code ec;
  if (!fs::is_directory(starter_dir)) ThrowInput(starter_dir, "the starter folder is missing");
  fs::create_directories(dir, ec);
  if (ec) ThrowRuntime(dir, "cannot create the workspace: " + ec.message());
  ::chmod(dir.c_str(), 0700);
  fs::copy(starter_dir, dir, fs::copy_options::recursive | fs::copy_options::overwrite_existing,
           ec);
  if (ec)
    ThrowRuntime(dir, "cannot copy the starter files from " + starter_dir + ": " + ec.message());
  for (const std::string& rel : read_only) {
    fs::path p = fs::path(dir) / rel;
    if (!fs::is_regular_file(p)) ThrowInput(starter_dir, "read-only file '" + rel + "' is missing");
    ::chmod(p.c_str(), 0444);
  }
  if (sandbox_uid < 0) return;
  auto uid = static_cast<uid_t>(sandbox_uid);
  auto gid = static_cast<gid_t>(sandbox_uid);
  auto hand = [&](const fs::path& p, uid_t owner, mode_t mode) {
    if (::lchown(p.c_str(), owner, gid) != 0 || (mode != 0 && ::chmod(p.c_str(), mode) != 0)) {
      ThrowRuntime(p.string(),
                   std::string("cannot hand to the sandbox user: ") + std::strerror(errno));
    }
  };
  hand(dir, 0, 01770);
  for (auto it = fs::recursive_directory_iterator(dir, ec); it != fs::end(it); it.increment(ec)) {
    if (ec) break;
    const fs::path& p = it->path();
    if (it->is_symlink()) continue;
    if (it->is_directory()) {
      hand(p, 0, 01770);
    } else if (it->is_regular_file()) {
      std::string rel = fs::relative(p, dir).string();
      bool ro = std::find(read_only.begin(), read_only.end(), rel) != read_only.end();
      if (!ro) hand(p, uid, 0);
    }
  }
}

}  // namespace ctxbench
