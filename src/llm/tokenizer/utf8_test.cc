#include "llm/tokenizer/utf8.h"

#include <gtest/gtest.h>

namespace ctxbench {
namespace {

const std::string kFffd = "\xEF\xBF\xBD";

TEST(Utf8Test, ValidTextIsUnchanged) {
  std::string text = "plain, \xC3\xA9t\xC3\xA9, \xE4\xB8\x96\xE7\x95\x8C, \xF0\x9F\x8C\x8D";
  EXPECT_TRUE(IsValidUtf8(text));
  EXPECT_EQ(ReplaceInvalidUtf8(text), text);
  EXPECT_TRUE(IsValidUtf8(""));
}

// Expected outputs follow Unicode's maximal-subpart practice, the behaviour of
// Python's bytes.decode(errors="replace") and of the WHATWG decoder.
TEST(Utf8Test, ReplacesMaximalSubparts) {
  EXPECT_EQ(ReplaceInvalidUtf8("a\xFF"
                               "b"),
            "a" + kFffd + "b");
  EXPECT_EQ(ReplaceInvalidUtf8("\x80\x80"), kFffd + kFffd);              // lone continuations
  EXPECT_EQ(ReplaceInvalidUtf8("\xC0\xAF"), kFffd + kFffd);              // overlong lead
  EXPECT_EQ(ReplaceInvalidUtf8("\xE0\x80\x80"), kFffd + kFffd + kFffd);  // overlong 3-byte
  EXPECT_EQ(ReplaceInvalidUtf8("\xED\xA0\x80"), kFffd + kFffd + kFffd);  // surrogate
  EXPECT_EQ(ReplaceInvalidUtf8("\xE4\xB8"
                               "a"),
            kFffd + "a");                                // truncated: one U+FFFD
  EXPECT_EQ(ReplaceInvalidUtf8("\xF0\x9F\x8C"), kFffd);  // truncated at the end
  EXPECT_EQ(ReplaceInvalidUtf8("\xF4\x90\x80\x80"), kFffd + kFffd + kFffd + kFffd);  // > U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xF5"));
}

}  // namespace
}  // namespace ctxbench
