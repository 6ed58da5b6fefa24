#include "context/policy.h"

#include "context/recent_turns.h"
#include "core/error.h"

namespace ctxbench {

Json Manifest::ToJson() const {
  return {{"policy", policy},
          {"kept", kept},
          {"dropped", dropped},
          {"truncated", truncated},
          {"section_tokens", section_tokens},
          {"total_tokens", total_tokens},
          {"budget_tokens", budget_tokens},
          {"estimated", estimated},
          {"extra", extra}};
}

namespace {

// `full`: every turn, limited only by the model's context window.
class FullPolicy final : public Policy {
 public:
  explicit FullPolicy(int context_window) : context_window_(context_window) {}
  std::string type() const override { return "full"; }
  Context Build(const PolicyInput& input) const override {
    PolicyInput wide{input.events, context_window_, input.counter, input.tools};
    return BuildRecentTurns(wide, {}, type());
  }

 private:
  int context_window_;
};

// `window`: the head plus the last N turns and/or T tokens of history.
class WindowPolicy final : public Policy {
 public:
  explicit WindowPolicy(RecentTurnsLimits limits) : limits_(limits) {}
  std::string type() const override { return "window"; }
  Context Build(const PolicyInput& input) const override {
    return BuildRecentTurns(input, limits_, type());
  }

 private:
  RecentTurnsLimits limits_;
};

}  // namespace

std::vector<std::string> PolicyTypes() { return {"full", "window"}; }

PolicyConfig PolicyConfigFromJson(const JsonReader& r) {
  PolicyConfig c;
  c.name = r.String("name");
  c.type = r.String("type", c.name);
  c.params = Json::object();
  for (auto it = r.value().begin(); it != r.value().end(); ++it) {
    if (it.key() != "name" && it.key() != "type") c.params[it.key()] = it.value();
  }
  return c;
}

std::unique_ptr<Policy> MakePolicy(const PolicyConfig& config, const std::string& where) {
  JsonReader p(config.params, "", where);
  if (config.type == "full") {
    p.RejectUnknown({"context_window"});
    long long window = p.Int("context_window", 128000);
    if (window < 256) p.Fail("context_window", "must be at least 256 tokens");
    return std::make_unique<FullPolicy>(static_cast<int>(window));
  }
  if (config.type == "window") {
    p.RejectUnknown({"max_turns", "max_tokens"});
    RecentTurnsLimits limits;
    limits.max_turns = static_cast<int>(p.Int("max_turns", 0));
    limits.max_tokens = static_cast<int>(p.Int("max_tokens", 0));
    if (limits.max_turns < 0) p.Fail("max_turns", "must be 0 (no limit) or more");
    if (limits.max_tokens < 0) p.Fail("max_tokens", "must be 0 (no limit) or more");
    if (limits.max_turns == 0 && limits.max_tokens == 0) {
      p.Fail("", "window needs max_turns or max_tokens");
    }
    return std::make_unique<WindowPolicy>(limits);
  }
  std::string known;
  for (const auto& t : PolicyTypes()) known += (known.empty() ? "" : ", ") + t;
  ThrowInput(where, "unknown policy type '" + config.type + "' (known: " + known + ")");
}

PolicyConfig PresetPolicy(const std::string& preset, const std::string& where) {
  if (preset == "short_context") return {"short_context", "window", {{"max_turns", 4}}};
  if (preset == "long_context") return {"long_context", "full", Json::object()};
  ThrowUsage(where, "unknown policy type preset '" + preset +
                        "' (use short_context or long_context)");
}

}  // namespace ctxbench
