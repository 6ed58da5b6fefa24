#include "core/cache_dir.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <optional>
#include <string>

namespace ctxbench {
namespace {

// Sets (or with nullopt unsets) an environment variable for one test.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, std::optional<std::string> value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) {
      ::setenv(name, value->c_str(), 1);
    } else {
      ::unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

TEST(UserCacheDirTest, PrefersXdgCacheHome) {
  ScopedEnv xdg("XDG_CACHE_HOME", "/var/tmp/xdg");
  ScopedEnv home("HOME", "/home/u");
  EXPECT_EQ(UserCacheDir(), "/var/tmp/xdg/ctxbench");
}

TEST(UserCacheDirTest, FallsBackToHomeAndIgnoresARelativeXdgPath) {
  ScopedEnv home("HOME", "/home/u");
  {
    ScopedEnv xdg("XDG_CACHE_HOME", std::nullopt);
    EXPECT_EQ(UserCacheDir(), "/home/u/.cache/ctxbench");
  }
  ScopedEnv xdg("XDG_CACHE_HOME", "relative/cache");
  EXPECT_EQ(UserCacheDir(), "/home/u/.cache/ctxbench");
}

TEST(UserCacheDirTest, NoneWithoutHome) {
  ScopedEnv xdg("XDG_CACHE_HOME", std::nullopt);
  ScopedEnv home("HOME", std::nullopt);
  EXPECT_EQ(UserCacheDir(), "");
}

}  // namespace
}  // namespace ctxbench
