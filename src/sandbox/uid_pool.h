// One sandbox uid per running episode: a pool of uids from a configured range
// (config.json `workspace.sandbox_uids`, e.g. "60000-60999") that episodes
// lease while they run, so two episodes running at the same time never share
// a uid (their processes cannot signal each other, their workspaces are
// closed to each other, and each uid's RLIMIT_NPROC counts only its own
// episode's processes).
//
// Error channel: ParseUidRange returns "" or one line saying what is wrong.
// UidPool is thread-safe; Acquire blocks while every uid is leased.
#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

namespace ctxbench {

inline constexpr char kDefaultSandboxUids[] = "60000-60999";

struct UidRange {
  int first = 60000;
  int last = 60999;
};

// Parses "FIRST-LAST" (or one uid "N") into `*range`; returns "" or the
// problem: not numbers, FIRST > LAST, below 1000 (system users) or above
// 2^31-2, or a uid that belongs to a user of this machine (/etc/passwd).
std::string ParseUidRange(const std::string& text, UidRange* range);

class UidPool {
 public:
  // A leased uid; returned to the pool when destroyed. Movable, not copyable.
  class Lease {
   public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    ~Lease();
    int uid() const { return uid_; }

   private:
    friend class UidPool;
    Lease(UidPool* pool, int uid) : pool_(pool), uid_(uid) {}
    UidPool* pool_;
    int uid_;
  };

  explicit UidPool(UidRange range);
  UidPool(const UidPool&) = delete;
  UidPool& operator=(const UidPool&) = delete;

  // The lowest free uid; blocks until one is returned when none is free.
  // REQUIRES: the pool outlives the lease.
  Lease Acquire();
  // uids leased now (tests).
  int leased() const;

 private:
  void Release(int uid);

  UidRange range_;
  mutable std::mutex mu_;
  std::condition_variable freed_;
  std::vector<bool> used_;
  int leased_ = 0;
};

}  // namespace ctxbench
