#include "sandbox/uid_pool.h"

#include <fcntl.h>
#include <pwd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "tasks/process_runner.h"

namespace ctxbench {

namespace {

constexpr long long kMaxUid = 2147483646;

bool ParseNumber(const std::string& s, long long* out) {
  if (s.empty() || s.size() > 10) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  *out = std::atoll(s.c_str());
  return true;
}

}  // namespace

Expected<UidRange> ParseUidRange(const std::string& text) {
  using Result = Expected<UidRange>;
  size_t dash = text.find('-');
  std::string a = text.substr(0, dash);
  std::string b = dash == std::string::npos ? a : text.substr(dash + 1);
  long long first = 0, last = 0;
  if (!ParseNumber(a, &first) || !ParseNumber(b, &last)) {
    return Result::Failure("'" + text + "' is not a uid range (write FIRST-LAST, e.g. \"" +
                           std::string(kDefaultSandboxUids) + "\")");
  }
  if (first > last) return Result::Failure("'" + text + "': the first uid is above the last");
  if (first < 1000) {
    return Result::Failure("'" + text + "': uids below 1000 belong to system users");
  }
  if (last > kMaxUid) {
    return Result::Failure("'" + text + "': uids stop at " + std::to_string(kMaxUid));
  }
  if (last - first >= 1000000) return Result::Failure("'" + text + "': at most 1000000 uids");
  // A uid of a real user would hand that user's files to the agent.
  setpwent();
  std::string clash;
  while (passwd* pw = getpwent()) {
    if (pw->pw_uid >= first && pw->pw_uid <= last) {
      clash = "'" + text + "' holds uid " + std::to_string(pw->pw_uid) + " of user '" +
              pw->pw_name + "'; choose a range no user of this machine has";
      break;
    }
  }
  endpwent();
  if (!clash.empty()) return Result::Failure(clash);
  UidRange range;
  range.first = static_cast<int>(first);
  range.last = static_cast<int>(last);
  return range;
}

Status OpenUidLockDir(const std::string& dir) {
  struct stat st;
  if (::lstat(dir.c_str(), &st) != 0) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec)
      return Status::Failure("cannot make the sandbox uid lock folder " + dir + ": " +
                             ec.message());
    ::chmod(dir.c_str(), 0700);
    if (::lstat(dir.c_str(), &st) != 0) return Status::Failure(dir + ": " + std::strerror(errno));
  }
  if (!S_ISDIR(st.st_mode)) return Status::Failure(dir + " is not a folder");
  if (st.st_uid != ::geteuid()) return Status::Failure(dir + " belongs to another user");
  if (st.st_mode & (S_IWGRP | S_IWOTH)) return Status::Failure(dir + " is writable by others");
  return Status::Ok();
}

UidPool::Lease::Lease(Lease&& other) noexcept
    : pool_(other.pool_), uid_(other.uid_), lock_fd_(other.lock_fd_) {
  other.pool_ = nullptr;
}

UidPool::Lease::~Lease() {
  if (pool_) pool_->Release(uid_, lock_fd_);
}

UidPool::UidPool(UidRange range, std::string lock_dir)
    : range_(range),
      lock_dir_(std::move(lock_dir)),
      used_(static_cast<size_t>(range.last - range.first + 1), false) {}

int UidPool::LockMachineWide(int uid) const {
  if (lock_dir_.empty()) return -1;
  std::string path = lock_dir_ + "/" + std::to_string(uid);
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return -2;
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return -2;
  }
  if (CountUserTasks(uid) > 0) {  // someone else's processes run as this uid
    ::close(fd);
    return -2;
  }
  return fd;
}

UidPool::Lease UidPool::Acquire() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    freed_.wait(lock, [&] { return leased_ < static_cast<int>(used_.size()); });
    for (size_t i = 0; i < used_.size(); ++i) {
      if (used_[i]) continue;
      int uid = range_.first + static_cast<int>(i);
      int fd = LockMachineWide(uid);
      if (fd == -2) continue;
      used_[i] = true;
      ++leased_;
      return Lease(this, uid, fd);
    }
    // Every uid free here is held by another process: look again shortly.
    freed_.wait_for(lock, std::chrono::milliseconds(200));
  }
}

int UidPool::leased() const {
  std::lock_guard<std::mutex> lock(mu_);
  return leased_;
}

void UidPool::Release(int uid, int lock_fd) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (lock_fd >= 0) ::close(lock_fd);
    used_[static_cast<size_t>(uid - range_.first)] = false;
    --leased_;
  }
  freed_.notify_one();
}

}  // namespace ctxbench
