#include "llm/tokenizer/bpe_counter.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "llm/token_counter.h"

namespace ctxbench {
namespace {

TEST(MakeTokenCounterTest, ByName) {
  auto estimate = MakeTokenCounter("estimate");
  EXPECT_FALSE(estimate->exact());
  EXPECT_EQ(estimate->name(), "estimate");
  EXPECT_EQ(estimate->Count("12345678"), 2);

  std::shared_ptr<const TokenCounter> o200k;
  try {
    o200k = MakeTokenCounter("o200k_base");
  } catch (const Error& e) {
    FAIL() << e.what();
  }
  EXPECT_TRUE(o200k->exact());
  EXPECT_EQ(o200k->name(), "o200k_base");
  EXPECT_EQ(o200k->Count("Hello, World! How are you today? \xF0\x9F\x8C\x8D"), 11);
  // Special-token text in content counts as text.
  EXPECT_GT(o200k->Count("<|endoftext|>"), 1);
}

TEST(MakeTokenCounterTest, UnknownNameListsValidNames) {
  try {
    MakeTokenCounter("gpt2");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("cl100k_base, o200k_base, estimate"), std::string::npos) << what;
  }
}

TEST(ChatTokensTest, CookbookExample) {
  // OpenAI cookbook "How to count tokens with tiktoken": the API reports 124
  // prompt tokens for this conversation on gpt-4o / gpt-4o-mini (o200k_base)
  // and 129 on gpt-4 / gpt-3.5-turbo (cl100k_base).
  std::vector<Message> messages = {
      {Role::kSystem,
       "You are a helpful, pattern-following assistant that translates corporate jargon into "
       "plain English.",
       {},
       "",
       ""},
      {Role::kSystem, "New synergies will help drive top-line growth.", {}, "", "example_user"},
      {Role::kSystem,
       "Things working well together will increase revenue.",
       {},
       "",
       "example_assistant"},
      {Role::kSystem,
       "Let's circle back when we have more bandwidth to touch base on opportunities for "
       "increased leverage.",
       {},
       "",
       "example_user"},
      {Role::kSystem,
       "Let's talk later when we're less busy about how to do better.",
       {},
       "",
       "example_assistant"},
      {Role::kUser,
       "This late pivot means we don't have time to boil the ocean for the client deliverable.",
       {},
       "",
       ""},
  };
  for (auto [encoding, expected] : {std::pair{"o200k_base", 124}, std::pair{"cl100k_base", 129}}) {
    std::shared_ptr<const TokenCounter> counter;
    try {
      counter = MakeTokenCounter(encoding);
    } catch (const Error& e) {
      FAIL() << e.what();
    }
    EXPECT_EQ(CountMessagesTokens(*counter, messages), expected) << encoding;
  }
}

}  // namespace
}  // namespace ctxbench
