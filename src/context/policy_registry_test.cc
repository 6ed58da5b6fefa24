#include "context/policy_registry.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "context/synthetic_log.h"
#include "core/error.h"

namespace ctxbench {
namespace {

// A policy defined outside the library's built-ins: the head messages only,
// and the number it was configured with in its manifest.
class HeadOnlyPolicy final : public Policy {
 public:
  explicit HeadOnlyPolicy(long long tag) : tag_(tag) {}
  std::string type() const override { return "registry_test_head_only"; }
  Context Build(const PolicyInput& in) const override {
    Context c;
    c.manifest.policy = type();
    c.manifest.extra["tag"] = tag_;
    for (const Event& e : in.events) {
      if (e.type != EventType::kPrompt || !e.message) continue;
      c.messages.push_back(*e.message);
      c.manifest.kept.push_back(e.seq);
    }
    return c;
  }

 private:
  long long tag_;
};

std::atomic<int> g_made{0};

std::unique_ptr<Policy> MakeHeadOnly(const JsonReader& p) {
  p.RejectUnknown({"tag"});
  ++g_made;
  return std::make_unique<HeadOnlyPolicy>(p.Int("tag", 7));
}

// Registered once for the whole test binary (the registry is process-wide).
void RegisterHeadOnlyOnce() {
  static bool done = (RegisterPolicy("registry_test_head_only", MakeHeadOnly), true);
  (void)done;
}

TEST(PolicyRegistryTest, BuiltinsAreRegisteredFirstAndMakeThroughIt) {
  std::vector<std::string> types = PolicyTypes();
  std::vector<std::pair<std::string, PolicyMaker>> builtins = BuiltinPolicies();
  ASSERT_GE(types.size(), builtins.size());
  for (size_t i = 0; i < builtins.size(); ++i) {
    EXPECT_EQ(types[i], builtins[i].first);
    EXPECT_TRUE(FindPolicyMaker(types[i])) << types[i];
  }
  auto window = MakePolicy({"w", "window", {{"max_turns", 2}}}, "test");
  EXPECT_EQ(window->type(), "window");
}

TEST(PolicyRegistryTest, ARegisteredTypeIsMadeFromAConfigLikeABuiltin) {
  RegisterHeadOnlyOnce();
  std::vector<std::string> types = PolicyTypes();
  EXPECT_EQ(std::count(types.begin(), types.end(), "registry_test_head_only"), 1);
  EXPECT_GT(types.size(), BuiltinPolicies().size());

  Json entry = {{"name", "mine"}, {"type", "registry_test_head_only"}, {"tag", 42}};
  PolicyConfig config = PolicyConfigFromJson(JsonReader(entry, "config.json", "$.p"));
  auto policy = MakePolicy(config, "config.json: $.p");
  ASSERT_TRUE(policy);
  EXPECT_EQ(policy->type(), "registry_test_head_only");
  std::vector<Event> log = MakeSyntheticLog(6, 1);
  auto counter = MakeTokenCounter("estimate");
  std::vector<ToolSpec> tools;
  Context c = policy->Build(PolicyInput{log, 4000, *counter, tools});
  EXPECT_EQ(c.manifest.extra["tag"], 42);
  ASSERT_FALSE(c.messages.empty());
  EXPECT_EQ(c.messages.size(), c.manifest.kept.size());
}

TEST(PolicyRegistryTest, ARegisteredTypesBadParameterNamesTheConfigPath) {
  RegisterHeadOnlyOnce();
  try {
    MakePolicy({"mine", "registry_test_head_only", {{"tga", 1}}}, "config.json: $.p[3]");
    FAIL() << "an unknown parameter was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("config.json: $.p[3]"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("tga"), std::string::npos) << e.what();
  }
}

TEST(PolicyRegistryTest, UnknownTypeListsEveryRegisteredType) {
  RegisterHeadOnlyOnce();
  try {
    MakePolicy({"x", "no_such_policy", Json::object()}, "config.json: $.p[0]");
    FAIL() << "an unknown type was accepted";
  } catch (const Error& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("unknown policy type 'no_such_policy'"), std::string::npos) << what;
    EXPECT_NE(what.find("pipeline"), std::string::npos) << what;
    EXPECT_NE(what.find("registry_test_head_only"), std::string::npos) << what;
  }
}

TEST(PolicyRegistryTest, RefusesTakenBadOrEmptyRegistrations) {
  RegisterHeadOnlyOnce();
  EXPECT_THROW(RegisterPolicy("window", MakeHeadOnly), Error);
  EXPECT_THROW(RegisterPolicy("registry_test_head_only", MakeHeadOnly), Error);
  EXPECT_THROW(RegisterPolicy("", MakeHeadOnly), Error);
  EXPECT_THROW(RegisterPolicy("has space", MakeHeadOnly), Error);
  EXPECT_THROW(RegisterPolicy("../x", MakeHeadOnly), Error);
  EXPECT_THROW(RegisterPolicy("registry_test_no_maker", nullptr), Error);
  EXPECT_FALSE(FindPolicyMaker("registry_test_no_maker"));
  auto window = MakePolicy({"w", "window", {{"max_turns", 2}}}, "test");
  EXPECT_EQ(window->type(), "window");  // the built-in is still the built-in
}

TEST(PolicyRegistryTest, MakesFromManyThreadsWhileOthersRegister) {
  RegisterHeadOnlyOnce();
  int before = g_made.load();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t] {
      RegisterPolicy("registry_test_thread_" + std::to_string(t), MakeHeadOnly);
      for (int i = 0; i < 50; ++i) {
        MakePolicy({"mine", "registry_test_head_only", Json::object()}, "test");
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(g_made.load() - before, 4 * 50);
  for (int t = 0; t < 4; ++t) {
    EXPECT_TRUE(FindPolicyMaker("registry_test_thread_" + std::to_string(t)));
  }
}

}  // namespace
}  // namespace ctxbench
