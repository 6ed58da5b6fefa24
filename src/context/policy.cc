#include "context/policy.h"

#include <algorithm>
#include <climits>

#include "context/draft.h"
#include "context/mix_policy.h"
#include "context/policy_registry.h"
#include "context/stages.h"
#include "core/error.h"
#include "core/json_field.h"
#include "core/json_int.h"

namespace ctxbench {

Json Manifest::ToJson() const {
  Json sent = Json::array();
  sent.get_ref<Json::array_t&>().reserve(messages.size());
  for (const SentMessage& m : messages) {
    if (m.seq < 0) {
      sent.push_back({{"section", m.section}, {"content", m.content}});
    } else if (m.as.empty()) {
      sent.push_back({{"seq", m.seq}});
    } else {
      Json record = {{"seq", m.seq}, {"as", m.as}, {"content", m.content}};
      if (m.cut_arguments) record["arguments"] = m.arguments;
      sent.push_back(std::move(record));
    }
  }
  Json ranges = Json::array();
  for (const auto& [from, to] : dropped_ranges) ranges.push_back({from, to});
  return {{"policy", policy},
          {"kept", kept},
          {"masked", masked},
          {"truncated", truncated},
          {"dropped", ranges},
          {"section_tokens", section_tokens},
          {"total_tokens", total_tokens},
          {"budget_tokens", budget_tokens},
          {"estimated", estimated},
          {"extra", extra},
          {"messages", std::move(sent)}};
}

namespace {

// Reads `key` of `json` (a manifest or one of its message records) into
// `out` when present and not null; an input error naming `field` when it has
// the wrong type.
template <typename T>
void ReadField(const Json& json, const char* key, const std::string& field, T& out) {
  ReadJsonField(json, key, out, "context manifest", {}, field);
}

SentMessage SentMessageFromJson(const Json& record, size_t i) {
  const std::string at = "messages[" + std::to_string(i) + "]";
  if (!record.is_object() || (!record.contains("seq") && !record.contains("section"))) {
    ThrowInput("context manifest", "'" + at + "' is not a message record");
  }
  SentMessage m;
  if (record.contains("section")) {
    ReadField(record, "section", at + ".section", m.section);
  } else {
    ReadField(record, "seq", at + ".seq", m.seq);
    ReadField(record, "as", at + ".as", m.as);
    auto args = record.find("arguments");
    m.cut_arguments = args != record.end() && !args->is_null();
    ReadField(record, "arguments", at + ".arguments", m.arguments);
  }
  ReadField(record, "content", at + ".content", m.content);
  return m;
}

}  // namespace

Manifest Manifest::FromJson(const Json& json) {
  Manifest m;
  if (json.is_null()) return m;
  if (!json.is_object()) ThrowInput("context manifest", "the manifest is not an object");
  ReadField(json, "policy", "policy", m.policy);
  ReadField(json, "kept", "kept", m.kept);
  ReadField(json, "masked", "masked", m.masked);
  ReadField(json, "truncated", "truncated", m.truncated);
  ReadField(json, "dropped", "dropped", m.dropped_ranges);
  ReadField(json, "section_tokens", "section_tokens", m.section_tokens);
  ReadField(json, "total_tokens", "total_tokens", m.total_tokens);
  ReadField(json, "budget_tokens", "budget_tokens", m.budget_tokens);
  ReadField(json, "estimated", "estimated", m.estimated);
  if (auto extra = json.find("extra"); extra != json.end() && !extra->is_null()) {
    if (!extra->is_object()) ThrowInput("context manifest", "'extra' has the wrong type");
    m.extra = *extra;
  }
  if (auto list = json.find("messages"); list != json.end() && !list->is_null()) {
    if (!list->is_array()) ThrowInput("context manifest", "'messages' has the wrong type");
    m.messages.reserve(list->size());
    for (size_t i = 0; i < list->size(); ++i) {
      m.messages.push_back(SentMessageFromJson((*list)[i], i));
    }
  }
  return m;
}

namespace {

// A policy made of stages, then fitted to its budget.
class StagedPolicy final : public Policy {
 public:
  StagedPolicy(std::string type, std::vector<std::unique_ptr<Stage>> stages, int fixed_budget)
      : type_(std::move(type)), stages_(std::move(stages)), fixed_budget_(fixed_budget) {}
  std::string type() const override { return type_; }
  Context Build(const PolicyInput& input) const override {
    index_.Update(input.events);
    PolicyInput in = input;
    if (fixed_budget_ > 0) in.budget_tokens = fixed_budget_;
    Draft draft(in, index_);
    for (const auto& stage : stages_) stage->Apply(draft);
    Context ctx = draft.Finish(in.budget_tokens, type_);
    Json names = Json::array();
    for (const auto& stage : stages_) names.push_back(stage->type());
    ctx.manifest.extra["stages"] = names;
    return ctx;
  }

 private:
  std::string type_;
  std::vector<std::unique_ptr<Stage>> stages_;
  int fixed_budget_;
  mutable LogIndex index_;
};

int NonNegative(const JsonReader& p, const std::string& key, long long fallback) {
  long long v = p.Int(key, fallback);
  if (v < 0 || v > 10'000'000) p.Fail(key, "must be a whole number from 0 to 10000000");
  return static_cast<int>(v);
}

std::set<std::string> ToolSet(const JsonReader& p, const std::string& key) {
  if (!p.Has(key)) return {};
  auto list = p.Strings(key);
  return {list.begin(), list.end()};
}

// Reads one stage of `type` from `p`, rejecting unknown parameters.
std::unique_ptr<Stage> MakeStage(const std::string& type, const JsonReader& p,
                                 const std::vector<std::string>& extra_known) {
  auto known = [&](std::vector<std::string> keys) {
    keys.insert(keys.end(), extra_known.begin(), extra_known.end());
    p.RejectUnknown(keys);
  };
  if (type == "window") {
    known({"max_turns", "max_tokens"});
    int turns = NonNegative(p, "max_turns", 0), tokens = NonNegative(p, "max_tokens", 0);
    if (turns == 0 && tokens == 0) p.Fail("", "window needs max_turns or max_tokens");
    return MakeWindowStage(turns, tokens);
  }
  if (type == "mask") {
    known({"after_turns", "keep_tools"});
    return MakeMaskStage(NonNegative(p, "after_turns", 2), ToolSet(p, "keep_tools"));
  }
  if (type == "state") {
    known({"best_experiments", "recent_experiments"});
    StateOptions o;
    o.best_experiments = NonNegative(p, "best_experiments", 10);
    o.recent_experiments = NonNegative(p, "recent_experiments", 5);
    return MakeStateStage(o);
  }
  if (type == "retrieve") {
    known({"k", "memory_items"});
    int k = NonNegative(p, "k", 5);
    if (k == 0) p.Fail("k", "must be at least 1");
    int items = NonNegative(p, "memory_items", static_cast<int>(kDefaultMemoryItems));
    if (items == 0) p.Fail("memory_items", "must be at least 1");
    return MakeRetrieveStage(k, static_cast<size_t>(items));
  }
  if (type == "summarize") {
    known({"keep_turns", "trigger_tokens", "summary_tokens"});
    int keep = NonNegative(p, "keep_turns", 4);
    int summary = NonNegative(p, "summary_tokens", 400);
    if (summary < 32) p.Fail("summary_tokens", "must be at least 32");
    return MakeSummarizeStage(keep, NonNegative(p, "trigger_tokens", 0), summary);
  }
  p.Fail("type",
         "unknown stage type '" + type + "' (stages: window, mask, state, retrieve, summarize)");
}

// The built-in makers: `full` alone, one stage, a stage plus the last few
// turns, a mix, a pipeline of stages.
std::unique_ptr<Policy> MakeFullPolicy(const JsonReader& p) {
  p.RejectUnknown({"context_window"});
  long long window = IntInRange(p, "context_window", 256, INT_MAX, 128000);
  return std::make_unique<StagedPolicy>("full", std::vector<std::unique_ptr<Stage>>(),
                                        static_cast<int>(window));
}

PolicyMaker OneStage(const std::string& type) {
  return [type](const JsonReader& p) -> std::unique_ptr<Policy> {
    std::vector<std::unique_ptr<Stage>> stages;
    stages.push_back(MakeStage(type, p, {}));
    return std::make_unique<StagedPolicy>(type, std::move(stages), 0);
  };
}

// Structured state or retrieved memory, plus the last few turns.
PolicyMaker StageWithRecentTurns(const std::string& type) {
  return [type](const JsonReader& p) -> std::unique_ptr<Policy> {
    std::vector<std::string> extra = {"keep_turns"};
    int keep = NonNegative(p, "keep_turns", 3);
    if (keep == 0) p.Fail("keep_turns", "must be at least 1");
    std::vector<std::unique_ptr<Stage>> stages;
    if (type == "state") stages.push_back(MakeStage(type, p, extra));
    stages.push_back(MakeWindowStage(keep, 0));
    if (type == "retrieve") stages.push_back(MakeStage(type, p, extra));
    return std::make_unique<StagedPolicy>(type, std::move(stages), 0);
  };
}

std::unique_ptr<Policy> MakePipelinePolicy(const JsonReader& p) {
  p.RejectUnknown({"stages"});
  JsonReader list = p.Child("stages");
  if (list.Size() == 0) list.Fail("", "a pipeline needs at least one stage");
  std::vector<std::unique_ptr<Stage>> stages;
  for (size_t i = 0; i < list.Size(); ++i) {
    JsonReader s = list.At(i);
    stages.push_back(MakeStage(s.String("type"), s, {"type"}));
  }
  return std::make_unique<StagedPolicy>("pipeline", std::move(stages), 0);
}

}  // namespace

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

std::vector<std::pair<std::string, PolicyMaker>> BuiltinPolicies() {
  return {{"full", MakeFullPolicy},
          {"window", OneStage("window")},
          {"mask", OneStage("mask")},
          {"summarize", OneStage("summarize")},
          {"retrieve", StageWithRecentTurns("retrieve")},
          {"state", StageWithRecentTurns("state")},
          {"mix", MakeMixPolicy},
          {"pipeline", MakePipelinePolicy}};
}

std::unique_ptr<Policy> MakePolicy(const PolicyConfig& config, const std::string& where) {
  PolicyMaker maker = FindPolicyMaker(config.type);
  if (!maker) {
    std::string known;
    for (const auto& name : PolicyTypes()) known += (known.empty() ? "" : ", ") + name;
    ThrowInput(where, "unknown policy type '" + config.type + "' (known: " + known + ")");
  }
  std::unique_ptr<Policy> policy = maker(JsonReader(config.params, "", where));
  if (!policy) ThrowRuntime(where, "policy type '" + config.type + "' made no policy");
  return policy;
}

PolicyConfig PresetPolicy(const std::string& preset, const std::string& where) {
  if (preset == "short_context") return {"short_context", "window", {{"max_turns", 4}}};
  if (preset == "long_context") return {"long_context", "full", Json::object()};
  ThrowUsage(where,
             "unknown policy type preset '" + preset + "' (use short_context or long_context)");
}

}  // namespace ctxbench
