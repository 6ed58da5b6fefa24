#include "llm/tokenizer/model_encoding.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace ctxbench {
namespace {

TEST(ModelEncodingTest, KnownFamilies) {
  for (const char* m : {"gpt-4o", "gpt-4o-mini", "gpt-4o-2024-08-06", "chatgpt-4o-latest",
                        "gpt-4.1", "gpt-4.1-nano", "gpt-4.5-preview", "gpt-5", "o1", "o1-mini",
                        "o3", "o3-mini", "o4-mini", "openai/gpt-4o", "ft:gpt-4o-mini:org::abc"}) {
    EXPECT_EQ(EncodingForModel(m), "o200k_base") << m;
  }
  for (const char* m :
       {"gpt-4", "gpt-4-turbo", "gpt-4-0613", "gpt-3.5-turbo", "gpt-3.5-turbo-0125", "gpt-35-turbo",
        "text-embedding-3-small", "ft:gpt-3.5-turbo-0613:org::id"}) {
    EXPECT_EQ(EncodingForModel(m), "cl100k_base") << m;
  }
}

TEST(ModelEncodingTest, UnknownModelsNeedAnOverride) {
  EXPECT_FALSE(FindEncodingForModel("llama-3.1-8b-instruct"));
  EXPECT_FALSE(FindEncodingForModel("gpt-4x"));  // not the gpt-4 family
  EXPECT_FALSE(FindEncodingForModel("o10"));
  EXPECT_THROW(EncodingForModel("qwen2.5"), Error);
  EncodingOverrides overrides = {{"qwen2.5", "estimate"}, {"gpt-4o", "cl100k_base"}};
  EXPECT_EQ(EncodingForModel("qwen2.5", overrides), "estimate");
  EXPECT_EQ(EncodingForModel("gpt-4o", overrides), "cl100k_base");  // overrides win
  EXPECT_EQ(EncodingForModel("vllm/qwen2.5", overrides), "estimate");
}

}  // namespace
}  // namespace ctxbench
