#include "sandbox/uid_pool.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

namespace ctxbench {
namespace {

TEST(ParseUidRangeTest, AcceptsARangeAndOneUid) {
  Expected<UidRange> r = ParseUidRange("60000-60999");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->first, 60000);
  EXPECT_EQ(r->last, 60999);
  r = ParseUidRange("70000");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->first, 70000);
  EXPECT_EQ(r->last, 70000);
}

TEST(ParseUidRangeTest, RefusesBadRangesAndRealUsers) {
  for (const char* bad : {"", "a-b", "600-700", "70000-60000", "-5", "60000-", "1-2147483647"}) {
    Expected<UidRange> r = ParseUidRange(bad);
    EXPECT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.error(), "") << bad;
  }
  // nobody (65534) is a user of every Debian machine.
  Expected<UidRange> clash = ParseUidRange("65000-65534");
  EXPECT_FALSE(clash.ok());
  EXPECT_NE(clash.error().find("65534"), std::string::npos) << clash.error();
}

TEST(UidPoolTest, ConcurrentLeasesAreDistinctAndReturned) {
  UidPool pool({5000, 5002});
  std::set<int> seen;
  {
    UidPool::Lease a = pool.Acquire();
    UidPool::Lease b = pool.Acquire();
    UidPool::Lease c = pool.Acquire();
    seen = {a.uid(), b.uid(), c.uid()};
    EXPECT_EQ(pool.leased(), 3);
  }
  EXPECT_EQ(seen, (std::set<int>{5000, 5001, 5002}));
  EXPECT_EQ(pool.leased(), 0);
}

TEST(UidPoolTest, AcquireWaitsForAFreeUid) {
  UidPool pool({5000, 5000});
  std::atomic<int> got{-1};
  std::thread waiter;
  {
    UidPool::Lease held = pool.Acquire();
    waiter = std::thread([&] { got = pool.Acquire().uid(); });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_EQ(got.load(), -1);  // still waiting: the only uid is leased
  }
  waiter.join();
  EXPECT_EQ(got.load(), 5000);
}

TEST(UidPoolTest, ManyThreadsNeverShareAUid) {
  UidPool pool({5000, 5003});
  std::mutex mu;
  std::set<int> live;
  std::atomic<bool> clash{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        UidPool::Lease l = pool.Acquire();
        {
          std::lock_guard<std::mutex> lock(mu);
          if (!live.insert(l.uid()).second) clash = true;
        }
        std::this_thread::yield();
        std::lock_guard<std::mutex> lock(mu);
        live.erase(l.uid());
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_FALSE(clash.load());
  EXPECT_EQ(pool.leased(), 0);
}

class UidLockDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/ctxbench-uidlock-test.XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    Status opened = OpenUidLockDir(dir_ + "/locks");
    ASSERT_TRUE(opened.ok()) << opened.error();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
};

// Two pools stand for two ctxbench processes: an flock is per open file, so
// two pools in one process contend exactly as two processes do.
TEST_F(UidLockDirTest, TwoPoolsNeverLeaseTheSameUid) {
  UidPool a({5000, 5001}, dir_ + "/locks");
  UidPool b({5000, 5001}, dir_ + "/locks");
  UidPool::Lease la = a.Acquire();
  UidPool::Lease lb = b.Acquire();
  EXPECT_EQ(la.uid(), 5000);
  EXPECT_EQ(lb.uid(), 5001);
}

TEST_F(UidLockDirTest, AWaiterGetsTheUidWhenTheOtherProcessReleasesIt) {
  UidPool a({5000, 5000}, dir_ + "/locks");
  UidPool b({5000, 5000}, dir_ + "/locks");
  std::atomic<int> got{-1};
  std::thread waiter;
  {
    UidPool::Lease held = a.Acquire();
    waiter = std::thread([&] { got = b.Acquire().uid(); });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_EQ(got.load(), -1);  // held by the other pool
  }
  waiter.join();
  EXPECT_EQ(got.load(), 5000);
}

TEST_F(UidLockDirTest, SkipsAUidThatOwnsProcesses) {
  // This process's own uid owns processes (this test): it is never leased.
  int me = static_cast<int>(::getuid());
  UidPool pool({me, me + 1}, dir_ + "/locks");
  EXPECT_EQ(pool.Acquire().uid(), me + 1);
}

TEST_F(UidLockDirTest, RefusesAFolderOthersCanWrite) {
  std::string open = dir_ + "/open";
  ASSERT_EQ(::mkdir(open.c_str(), 0777), 0);
  ASSERT_EQ(::chmod(open.c_str(), 0777), 0);
  Status refused = OpenUidLockDir(open);
  EXPECT_FALSE(refused.ok());
  EXPECT_NE(refused.error().find("writable by others"), std::string::npos) << refused.error();
  std::string file = dir_ + "/file";
  std::ofstream(file) << "x";
  refused = OpenUidLockDir(file);
  EXPECT_FALSE(refused.ok());
  EXPECT_NE(refused.error().find("not a folder"), std::string::npos) << refused.error();
}

}  // namespace
}  // namespace ctxbench
