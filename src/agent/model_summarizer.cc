#include "agent/model_summarizer.h"

#include "context/truncate.h"
#include "core/cancel.h"
#include "core/error.h"

namespace ctxbench {

LlmCallData AnsweredCallData(const std::string& model, const std::string& purpose,
                             const Completion& c) {
  LlmCallData d;
  d.model = model;
  d.purpose = purpose;
  d.prompt_tokens = c.usage.prompt_tokens;
  d.completion_tokens = c.usage.completion_tokens;
  d.cached_prompt_tokens = c.usage.cached_prompt_tokens;
  d.cost_usd = c.cost_usd;
  d.cache_hit = c.cache_hit;
  d.finish_reason = c.finish_reason;
  d.estimated_tokens = c.estimated_tokens;
  // Requests made: none for a cache hit, else one more than those retried.
  d.attempts = c.cache_hit ? 0 : static_cast<int>(c.retried.size()) + 1;
  d.retried = c.retried;
  return d;
}

LlmCallData FailedCallData(const std::string& model, const ModelCallError& e) {
  const std::vector<std::string>& failures = e.failures();
  LlmCallData d;
  d.model = model;
  d.purpose = e.purpose();
  d.attempts = e.attempts();
  d.error = e.what();
  if (e.retries() > 0) {
    d.retried = std::vector<std::string>(failures.begin(), failures.begin() + e.retries());
  }
  return d;
}

std::optional<std::string> ModelSummarizer::Summarize(const std::string& previous,
                                                      const std::vector<Message>& dropped,
                                                      int64_t covers_to, int max_tokens) {
  std::string events;
  for (const Message& m : dropped) {
    events += "\n[" + RoleName(m.role) + (m.name.empty() ? "" : " " + m.name) + "] " + m.content;
    for (const ToolCall& c : m.tool_calls) events += " " + c.name + "(" + c.arguments + ")";
  }
  CompletionRequest req;
  req.purpose = "summarize";
  req.seed = seed_;
  req.max_tokens = max_tokens;
  req.messages = {
      {Role::kSystem,
       "You summarise the log of an ML experimenter for its own later use. Keep the best "
       "experiments with their exact configs and validation scores, what was learned, errors "
       "and clarifications. At most " +
           std::to_string(max_tokens) + " tokens.",
       {},
       "",
       ""},
      {Role::kUser,
       "Previous summary:\n" + (previous.empty() ? std::string("(none)") : previous) +
           "\n\nEvents to add:" + events,
       {},
       "",
       ""}};
  Json request = Json::array();
  for (const Message& m : req.messages) request.push_back(MessageToJson(m));
  double t0 = clock_.MonotonicSeconds();
  auto call_data = [&](LlmCallData data) {
    data.messages = request;
    data.latency_s = clock_.MonotonicSeconds() - t0;
    return data.ToJson();
  };
  Completion c;
  try {
    c = model_.Complete(req);
  } catch (const CancelledError&) {
    throw;
  } catch (const ModelCallError& e) {
    double now = clock_.WallSeconds();
    if (e.attempts() > 0) {
      pending_.push_back(
          {EventType::kLlmCall, std::nullopt, call_data(FailedCallData(model_.name(), e)), now});
    }
    pending_.push_back(
        {EventType::kError, std::nullopt, ErrorData{e.what(), "summarize"}.ToJson(), now});
    return std::nullopt;
  } catch (const Error& e) {
    pending_.push_back({EventType::kError, std::nullopt, ErrorData{e.what(), "summarize"}.ToJson(),
                        clock_.WallSeconds()});
    return std::nullopt;
  }
  double now = clock_.WallSeconds();
  std::string text = TruncateToTokens(c.message.content, max_tokens, counter_);
  pending_.push_back({EventType::kLlmCall, c.message,
                      call_data(AnsweredCallData(model_.name(), "summarize", c)), now});
  pending_.push_back({EventType::kSummary, std::nullopt,
                      SummaryData{text, covers_to, counter_.Count(text)}.ToJson(), now});
  return text;
}

}  // namespace ctxbench
