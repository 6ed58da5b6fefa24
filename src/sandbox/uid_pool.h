// One sandbox uid per running episode: a pool of uids from a configured range
// (config.json `workspace.sandbox_uids`, e.g. "60000-60999") that episodes
// lease while they run, so two episodes running at the same time never share
// a uid (their processes cannot signal each other, their workspaces are
// closed to each other, and each uid's RLIMIT_NPROC counts only its own
// episode's processes).
//
// The lease holds machine-wide when the pool has a lock folder (as root,
// kDefaultUidLockDir): each leased uid is also an flock on <dir>/<uid>, so
// two ctxbench processes on one machine (two runs, two Slurm shards on one
// node) never hand the same uid to two episodes, and a lock dies with its
// process (kill -9 included). A uid that still owns processes (left by
// something else) is skipped too.
//
// Error channel: ParseUidRange returns an Expected<UidRange> and
// OpenUidLockDir a Status (core/expected.h, core/status.h), failed with one
// line saying what is wrong; neither throws. UidPool is thread-safe; Acquire blocks while every
// uid is leased (here or by another process).
#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "core/expected.h"
#include "core/status.h"

namespace ctxbench {

inline constexpr char kDefaultSandboxUids[] = "60000-60999";
inline constexpr char kDefaultUidLockDir[] = "/run/ctxbench/sandbox-uids";

struct UidRange {
  int first = 60000;
  int last = 60999;
};

// Parses "FIRST-LAST" (or one uid "N"); fails with the problem: not numbers,
// FIRST > LAST, below 1000 (system users) or above 2^31-2, or a uid that
// belongs to a user of this machine (/etc/passwd).
Expected<UidRange> ParseUidRange(const std::string& text);

// Makes `dir` (and its parents) if missing and checks it is a real folder
// owned by this user that no one else can write; fails with the problem.
Status OpenUidLockDir(const std::string& dir);

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
    Lease(UidPool* pool, int uid, int lock_fd) : pool_(pool), uid_(uid), lock_fd_(lock_fd) {}
    UidPool* pool_;
    int uid_;
    int lock_fd_;  // the machine-wide flock, or -1
  };

  // `lock_dir` empty: leases hold within this process only (tests, and
  // runs without root, whose commands all run as the caller).
  // REQUIRES: lock_dir passed OpenUidLockDir.
  explicit UidPool(UidRange range, std::string lock_dir = "");
  UidPool(const UidPool&) = delete;
  UidPool& operator=(const UidPool&) = delete;

  // The lowest uid free here and, with a lock folder, not locked by another
  // process nor owning processes; blocks (polling other processes' locks)
  // until one is.
  // REQUIRES: the pool outlives the lease.
  Lease Acquire();
  // uids leased now (tests).
  int leased() const;

 private:
  void Release(int uid, int lock_fd);
  // -2: the slot is taken elsewhere; else the lock fd (-1 without a folder).
  int LockMachineWide(int uid) const;

  UidRange range_;
  std::string lock_dir_;
  mutable std::mutex mu_;
  std::condition_variable freed_;
  std::vector<bool> used_;
  int leased_ = 0;
};

}  // namespace ctxbench
