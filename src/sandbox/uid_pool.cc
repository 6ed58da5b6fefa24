#include "sandbox/uid_pool.h"

#include <pwd.h>

#include <cstdlib>

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

std::string ParseUidRange(const std::string& text, UidRange* range) {
  size_t dash = text.find('-');
  std::string a = text.substr(0, dash);
  std::string b = dash == std::string::npos ? a : text.substr(dash + 1);
  long long first = 0, last = 0;
  if (!ParseNumber(a, &first) || !ParseNumber(b, &last)) {
    return "'" + text + "' is not a uid range (write FIRST-LAST, e.g. \"" +
           std::string(kDefaultSandboxUids) + "\")";
  }
  if (first > last) return "'" + text + "': the first uid is above the last";
  if (first < 1000) return "'" + text + "': uids below 1000 belong to system users";
  if (last > kMaxUid) return "'" + text + "': uids stop at " + std::to_string(kMaxUid);
  if (last - first >= 1000000) return "'" + text + "': at most 1000000 uids";
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
  if (!clash.empty()) return clash;
  range->first = static_cast<int>(first);
  range->last = static_cast<int>(last);
  return "";
}

UidPool::Lease::Lease(Lease&& other) noexcept : pool_(other.pool_), uid_(other.uid_) {
  other.pool_ = nullptr;
}

UidPool::Lease::~Lease() {
  if (pool_) pool_->Release(uid_);
}

UidPool::UidPool(UidRange range)
    : range_(range), used_(static_cast<size_t>(range.last - range.first + 1), false) {}

UidPool::Lease UidPool::Acquire() {
  std::unique_lock<std::mutex> lock(mu_);
  freed_.wait(lock, [&] { return leased_ < static_cast<int>(used_.size()); });
  size_t i = 0;
  while (used_[i]) ++i;
  used_[i] = true;
  ++leased_;
  return Lease(this, range_.first + static_cast<int>(i));
}

int UidPool::leased() const {
  std::lock_guard<std::mutex> lock(mu_);
  return leased_;
}

void UidPool::Release(int uid) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    used_[static_cast<size_t>(uid - range_.first)] = false;
    --leased_;
  }
  freed_.notify_one();
}

}  // namespace ctxbench
