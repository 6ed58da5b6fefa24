#include "llm/token_counter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <utility>
#include <vector>

namespace ctxbench {
namespace {

// Counts bytes and how often it was asked.
class BytesCounter final : public TokenCounter {
 public:
  explicit BytesCounter(std::string name) : name_(std::move(name)) {}
  int Count(std::string_view text) const override {
    ++calls;
    return static_cast<int>(text.size());
  }
  bool exact() const override { return true; }
  std::string name() const override { return name_; }
  mutable std::atomic<int> calls{0};

 private:
  std::string name_;
};

std::vector<ToolSpec> Tools() {
  return {{"run_experiment", "Runs one experiment.",
           Json{{"type", "object"}, {"properties", {{"max_depth", {{"type", "integer"}}}}}}},
          {"note", "Writes a note.", Json{{"type", "object"}}}};
}

// What CountToolTokens counts: each schema's JSON text plus 3 tokens.
int ExpectedToolTokens(const std::vector<ToolSpec>& tools) {
  int n = 0;
  for (const ToolSpec& t : tools) n += static_cast<int>(ToolSpecToJson(t).dump().size()) + 3;
  return n;
}

TEST(CountToolTokensTest, RepeatsAreAnsweredWithoutRecountingAndChangesAreCounted) {
  BytesCounter counter("bytes");
  std::vector<ToolSpec> tools = Tools();
  EXPECT_EQ(CountToolTokens(counter, tools), ExpectedToolTokens(tools));
  int calls = counter.calls.load();
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(CountToolTokens(counter, tools), ExpectedToolTokens(tools));
  EXPECT_EQ(counter.calls.load(), calls);  // the same schemas: not counted again

  tools[1].parameters["properties"] = {{"text", {{"type", "string"}}}};
  EXPECT_EQ(CountToolTokens(counter, tools), ExpectedToolTokens(tools));
  tools[0].description += " Longer.";
  EXPECT_EQ(CountToolTokens(counter, tools), ExpectedToolTokens(tools));
  tools.pop_back();
  EXPECT_EQ(CountToolTokens(counter, tools), ExpectedToolTokens(tools));
  EXPECT_EQ(CountToolTokens(counter, {}), 0);
}

TEST(CountToolTokensTest, AnotherCounterCountsForItself) {
  BytesCounter a("bytes"), b("other");
  EstimateCounter estimate;
  const std::vector<ToolSpec> tools = Tools();
  EXPECT_EQ(CountToolTokens(a, tools), ExpectedToolTokens(tools));
  EXPECT_EQ(CountToolTokens(b, tools), ExpectedToolTokens(tools));
  EXPECT_EQ(b.calls.load(), 2);
  int by_estimate = 0;
  for (const ToolSpec& t : tools) by_estimate += estimate.Count(ToolSpecToJson(t).dump()) + 3;
  EXPECT_EQ(CountToolTokens(estimate, tools), by_estimate);
}

}  // namespace
}  // namespace ctxbench
