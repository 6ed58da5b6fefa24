#include "datasets/download_progress.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace ctxbench {
namespace {

std::string Captured(bool tty, void (*draw)(ProgressLine&)) {
  char* buf = nullptr;
  size_t len = 0;
  FILE* f = open_memstream(&buf, &len);
  {
    ProgressLine p(f, tty, "c.zip");
    draw(p);
  }
  std::fclose(f);
  std::string out(buf, len);
  std::free(buf);
  return out;
}

TEST(DownloadProgressTest, HumanBytes) {
  EXPECT_EQ(HumanBytes(999), "999 B");
  EXPECT_EQ(HumanBytes(1500), "1.5 kB");
  EXPECT_EQ(HumanBytes(2500000), "2.5 MB");
}

TEST(DownloadProgressTest, PipeGetsAtMostOneLineASecond) {
  std::string out = Captured(false, [](ProgressLine& p) {
    p.Update(1000, 4000, 0.2);
    p.Update(2000, 4000, 0.7);  // under a second after the last line: skipped
    p.Update(3000, 4000, 1.3);
    p.Finish(4000, 2.0);
  });
  EXPECT_EQ(out,
            "c.zip: 1.0 kB of 4.0 kB (25%), 5.0 kB/s\n"
            "c.zip: 3.0 kB of 4.0 kB (75%), 2.3 kB/s\n"
            "c.zip: downloaded 4.0 kB in 2.0 s, 2.0 kB/s\n");
  EXPECT_EQ(out.find('\r'), std::string::npos);
}

TEST(DownloadProgressTest, TerminalRedrawsABarInPlace) {
  std::string out = Captured(true, [](ProgressLine& p) {
    p.Update(500, 1000, 1.0);
    p.Abandon();
  });
  EXPECT_EQ(out, "\rc.zip: [############............] 500 B of 1.0 kB (50%), 500 B/s\033[K\n");
}

TEST(DownloadProgressTest, UnknownTotalShowsBytesOnly) {
  ProgressLine p(stderr, false, "c.zip");
  EXPECT_EQ(p.Format(2000, 0, 1.0), "c.zip: 2.0 kB, 2.0 kB/s");
}

}  // namespace
}  // namespace ctxbench
