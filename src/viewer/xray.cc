#include "viewer/xray.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "context/policy.h"
#include "context/retrieved_section.h"
#include "core/error.h"
#include "events/payloads.h"

namespace ctxbench {

namespace {

const Event* FindSeq(const std::vector<Event>& events, int64_t seq) {
  if (seq >= 0 && static_cast<size_t>(seq) < events.size() && events[seq].seq == seq) {
    return &events[seq];
  }
  for (const Event& e : events) {
    if (e.seq == seq) return &e;
  }
  return nullptr;
}

// The op.context event of the agent's step (the last one if a step has more).
const Event* ContextOf(const std::vector<Event>& events, int step) {
  const Event* found = nullptr;
  for (const Event& e : events) {
    if (e.type == EventType::kContext && e.step == step) found = &e;
  }
  return found;
}

// A message record of the manifest resolved against the log.
Json ResolveMessage(const std::vector<Event>& events, const SentMessage& record,
                    const std::map<int64_t, double>& bm25) {
  if (record.seq < 0) {
    return {{"fate", record.section},
            {"section", record.section},
            {"role", "user"},
            {"content", record.content}};
  }
  const int64_t seq = record.seq;
  const Event* e = FindSeq(events, seq);
  if (e == nullptr || !e->message) {
    return {{"fate", "missing"}, {"seq", seq}, {"role", ""}, {"content", ""}};
  }
  Json m = MessageToJson(*e->message);
  Json out = {{"seq", seq}, {"role", m.value("role", "")}, {"content", e->message->content}};
  if (!e->message->name.empty()) out["name"] = e->message->name;
  if (m.contains("tool_calls")) out["tool_calls"] = m["tool_calls"];
  out["fate"] = !record.as.empty() ? record.as : e->type == EventType::kPrompt ? "head" : "kept";
  // A changed message carries what was sent (Manifest::ToJson).
  if (!record.as.empty()) out["content"] = record.content;
  if (record.cut_arguments && out.contains("tool_calls")) {
    for (size_t i = 0; i < out["tool_calls"].size() && i < record.arguments.size(); ++i) {
      out["tool_calls"][i]["arguments"] = record.arguments[i];
    }
  }
  if (auto it = bm25.find(seq); it != bm25.end()) out["bm25"] = it->second;
  return out;
}

// The facts of a model call the X-ray shows: those its payload holds (a
// failed call has no usage).
Json CallFacts(const LlmCallData& call) {
  Json out = {{"purpose", call.purpose}};
  if (!call.failed()) {
    out["prompt_tokens"] = call.prompt_tokens;
    out["completion_tokens"] = call.completion_tokens;
    out["estimated_tokens"] = call.estimated_tokens;
    out["cost_usd"] = call.cost_usd;
    out["finish_reason"] = call.finish_reason;
    out["cache_hit"] = call.cache_hit;
  }
  if (call.context_tokens) out["context_tokens"] = *call.context_tokens;
  if (call.latency_s) out["latency_s"] = *call.latency_s;
  return out;
}

}  // namespace

Json XrayJson(const std::vector<Event>& events, int step) {
  const Event* context = ContextOf(events, step);
  if (context == nullptr) ThrowInput("step " + std::to_string(step), "no context was built");
  const Manifest manifest = Manifest::FromJson(ContextData::FromJson(context->data).manifest);
  const Json& extra = manifest.extra;  // policy-specific detail: shown as it is

  // Retrieval hits and the summary's reach, from the sections' details.
  std::map<int64_t, double> bm25;
  if (std::optional<RetrievedSection> retrieved = RetrievedSection::FromManifest(manifest)) {
    for (const RetrievedItem& item : retrieved->items) {
      if (item.seq >= 0) bm25[item.seq] = item.bm25;
    }
  }
  int64_t summary_to = -1;
  if (extra.is_object() && extra.contains("sections") && extra["sections"].is_object()) {
    for (const auto& [name, detail] : extra["sections"].items()) {
      if (!detail.is_object()) continue;
      if (detail.contains("covers_to") && detail["covers_to"].is_number_integer()) {
        summary_to = std::max(summary_to, detail["covers_to"].get<int64_t>());
      }
    }
  }

  Json messages = Json::array();
  for (const SentMessage& record : manifest.messages) {
    Json m = ResolveMessage(events, record, bm25);
    m["index"] = messages.size();
    messages.push_back(std::move(m));
  }

  Json sections = Json::array();
  int sum = 0;
  for (const auto& [name, tokens] : manifest.section_tokens) {
    sections.push_back({{"name", name}, {"tokens", tokens}});
    sum += tokens;
  }

  const std::set<int64_t> kept(manifest.kept.begin(), manifest.kept.end());
  const std::set<int64_t> masked(manifest.masked.begin(), manifest.masked.end());
  const std::set<int64_t> truncated(manifest.truncated.begin(), manifest.truncated.end());
  Json strip = Json::array();
  for (const Event& e : events) {
    if (e.seq >= context->seq) break;
    std::string state = "log";
    if (kept.count(e.seq)) {
      state = e.type == EventType::kPrompt ? "head" : "kept";
    } else if (masked.count(e.seq)) {
      state = "masked";
    } else if (truncated.count(e.seq)) {
      state = "truncated";
    } else if (bm25.count(e.seq)) {
      state = "retrieved";
    } else if (e.message && e.seq <= summary_to) {
      state = "summarized";
    } else if (e.message) {
      state = "dropped";
    }
    Json item = {{"seq", e.seq},
                 {"type", EventTypeName(e.type)},
                 {"state", state},
                 {"iteration", e.iteration},
                 {"step", e.step}};
    if (auto it = bm25.find(e.seq); it != bm25.end()) item["bm25"] = it->second;
    strip.push_back(std::move(item));
  }

  Json llm = nullptr;
  for (const Event& e : events) {
    if (e.seq <= context->seq || e.type != EventType::kLlmCall || e.step != step) continue;
    llm = CallFacts(LlmCallData::FromJson(e.data));
    llm["seq"] = e.seq;
    if (e.message) llm["reply"] = MessageToJson(*e.message);
    break;
  }

  Json steps = Json::array();
  for (const Event& e : events) {
    if (e.type == EventType::kContext && e.step > 0 &&
        (steps.empty() || steps.back().get<int>() != e.step)) {
      steps.push_back(e.step);
    }
  }
  return {{"step", step},
          {"iteration", context->iteration},
          {"context_seq", context->seq},
          {"policy", manifest.policy},
          {"budget_tokens", manifest.budget_tokens},
          {"total_tokens", manifest.total_tokens},
          {"section_sum", sum},
          {"estimated", manifest.estimated},
          {"sections", sections},
          {"messages", messages},
          {"strip", strip},
          {"llm", llm},
          {"extra", extra},
          {"steps", steps}};
}

namespace {

int StepAtIteration(const std::vector<Event>& events, int iteration) {
  int step = 0, first = 0;
  for (const Event& e : events) {
    if (e.type != EventType::kContext || e.step <= 0) continue;
    if (first == 0) first = e.step;
    if (e.iteration <= iteration) step = e.step;
  }
  return step > 0 ? step : first;
}

// A message's identity across two contexts: role, text and tool calls.
std::string MessageKey(const Json& m) {
  return m.value("role", "") + "\n" + m.value("content", "") + "\n" +
         m.value("tool_calls", Json()).dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::set<std::string> Contents(const Json& xray) {
  std::set<std::string> out;
  for (const Json& m : xray["messages"]) out.insert(MessageKey(m));
  return out;
}

int MarkOnlyHere(Json& xray, const std::set<std::string>& other) {
  int n = 0;
  for (Json& m : xray["messages"]) {
    bool only = !other.count(MessageKey(m));
    m["only_here"] = only;
    n += only;
  }
  return n;
}

}  // namespace

Json CompareJson(const std::vector<Event>& a, const std::vector<Event>& b, int iteration) {
  Json xa = XrayJson(a, StepAtIteration(a, iteration));
  Json xb = XrayJson(b, StepAtIteration(b, iteration));
  auto ca = Contents(xa), cb = Contents(xb);
  int only_a = MarkOnlyHere(xa, cb);
  int only_b = MarkOnlyHere(xb, ca);
  xa.erase("extra");
  xb.erase("extra");
  return {{"iteration", iteration}, {"a", xa}, {"b", xb}, {"only_a", only_a}, {"only_b", only_b}};
}

}  // namespace ctxbench
