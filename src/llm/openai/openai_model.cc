#include "llm/openai/openai_model.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <random>

#include "core/error.h"
#include "core/log.h"
#include "core/redact.h"
#include "llm/model_call_error.h"
#include "llm/openai/chat_stream.h"
#include "llm/openai/chat_wire.h"
#include "llm/openai/retry_policy.h"

namespace ctxbench {

namespace {

double RandomUnit() {
  thread_local std::mt19937_64 rng(std::random_device{}());
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

std::string Describe(const HttpResponse& r) {
  if (r.status == 0) {
    bool named = r.error.rfind("timed out", 0) == 0;
    return r.timed_out && !named ? "timed out (" + r.error + ")" : r.error;
  }
  return "HTTP " + std::to_string(r.status);
}

std::string SecondsText(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", s);
  return buf;
}

// 401, 403 and 404 (model or endpoint not found) fail every call of the
// model alike: the model is unavailable for the rest of the run.
bool RulesOutTheModel(int status) { return status == 401 || status == 403 || status == 404; }

}  // namespace

std::string RedactKey(std::string text, const std::string& api_key) {
  if (!api_key.empty()) {
    for (size_t at; (at = text.find(api_key)) != std::string::npos;) {
      text.replace(at, api_key.size(), "[redacted]");
    }
  }
  return RedactSecrets(std::move(text));
}

Json PreparedChatBody(const CompletionRequest& request, const OpenAiOptions& options,
                      const TokenCounter& counter, const std::string& where) {
  CompletionRequest r = request;
  if (options.context_window > 0) {
    int prompt = CountMessagesTokens(counter, r.messages) + CountToolTokens(counter, r.tools);
    int room = options.context_window - prompt;
    if (room <= 0) {
      ThrowRuntime(where, "the request needs " + std::to_string(prompt) +
                              " prompt tokens, more than the model's context window of " +
                              std::to_string(options.context_window));
    }
    r.max_tokens = std::min(r.max_tokens, room);
  }
  OpenAiOptions o = options;
  if (o.max_tokens > 0 && options.context_window > 0)
    o.max_tokens = std::min(o.max_tokens, r.max_tokens);
  return ChatRequestBody(r, o);
}

Completion CompletionFromCache(const CachedResponse& cached, const PriceTable& prices) {
  Completion c;
  c.message = cached.message;
  c.usage = cached.usage;
  c.finish_reason = cached.finish_reason;
  c.estimated_tokens = cached.estimated_tokens;
  c.cache_hit = true;
  c.cost_usd = prices.Cost(c.usage);
  return c;
}

void EstimateUsage(const TokenCounter& counter, const CompletionRequest& request, Completion* c) {
  c->usage.prompt_tokens =
      CountMessagesTokens(counter, request.messages) + CountToolTokens(counter, request.tools);
  int completion = counter.Count(c->message.content);
  for (const ToolCall& call : c->message.tool_calls) {
    completion += counter.Count(call.name) + counter.Count(call.arguments);
  }
  c->usage.completion_tokens = completion;
  c->usage.cached_prompt_tokens = 0;
  c->estimated_tokens = true;
}

OpenAiModel::OpenAiModel(std::string name, OpenAiOptions options, OpenAiDeps deps)
    : name_(std::move(name)), options_(std::move(options)), deps_(std::move(deps)) {
  if (!deps_.health) deps_.health = std::make_shared<ModelHealth>();
  if (!deps_.sleep) {
    const Cancellation* cancel = deps_.cancel;
    std::shared_ptr<ModelHealth> health = deps_.health;
    deps_.sleep = [cancel, health](double seconds) {
      cancel->WaitFor(seconds, [&] { return !health->available(); });
    };
  }
  if (!deps_.jitter) deps_.jitter = RandomUnit;
}

void OpenAiModel::CheckUsable(const CompletionRequest& request,
                              const std::vector<std::string>& failures, int retries) const {
  if (deps_.cancel->requested()) {
    throw CancelledError(name_, "interrupted (SIGINT or SIGTERM) before the call finished");
  }
  if (auto why = deps_.health->Unavailable()) {
    throw ModelCallError(name_, "model unavailable: " + *why, failures, retries, request.purpose);
  }
}

std::string OpenAiModel::Redact(std::string text) const {
  return RedactKey(std::move(text), deps_.api_key);
}

Completion OpenAiModel::Complete(const CompletionRequest& request) {
  CheckUsable(request, {}, 0);
  Json body = PreparedChatBody(request, options_, *deps_.counter, name_);
  std::string key = RequestKey(options_.base_url, body, request.seed);
  std::optional<CachedResponse> cached;
  ResponseCache::Claim claim;  // held while this call fetches what it may store
  if (deps_.cache) {
    cached = options_.cache == CacheMode::kReadWrite ? deps_.cache->FindOrClaim(key, &claim)
                                                     : deps_.cache->Find(key);
  }
  if (!cached) {
    Completion fresh = Fetch(request, body);
    cached =
        CachedResponse{fresh.message, fresh.usage, fresh.finish_reason, fresh.estimated_tokens};
    if (deps_.cache && options_.cache == CacheMode::kReadWrite) {
      deps_.cache->Store(key, body, *cached);
    }
    if (deps_.recording) deps_.recording->Store(key, body, *cached);
    return fresh;
  }
  if (deps_.recording) deps_.recording->Store(key, body, *cached);
  return CompletionFromCache(*cached, options_.prices);
}

Completion OpenAiModel::Fetch(const CompletionRequest& request, const Json& wire) {
  Json body = wire;
  bool text_tools = options_.tool_mode == ToolMode::kText && !request.tools.empty();
  if (options_.stream) {
    body["stream"] = true;
    body["stream_options"] = {{"include_usage", true}};
  }
  HttpRequest http;
  http.url = options_.base_url + "/chat/completions";
  http.headers = {{"Content-Type", "application/json"}};
  if (options_.stream) http.headers.emplace_back("Accept", "text/event-stream");
  if (!deps_.api_key.empty()) http.headers.emplace_back("Authorization", "Bearer " + deps_.api_key);
  if (!options_.organization.empty()) {
    http.headers.emplace_back("OpenAI-Organization", options_.organization);
  }
  if (!options_.project.empty()) http.headers.emplace_back("OpenAI-Project", options_.project);
  for (const auto& [k, v] : options_.headers) http.headers.emplace_back(k, v);
  http.body = body.dump();
  http.stall_timeout_s = options_.stall_timeout_s;
  http.connect_timeout_s = options_.connect_timeout_s;
  http.max_response_bytes = static_cast<size_t>(options_.max_response_bytes);
  const Cancellation* cancel = deps_.cancel;
  ModelHealth* health = deps_.health.get();
  http.abort = [cancel, health] { return cancel->requested() || !health->available(); };
  const std::string url = UrlWithoutCredentials(http.url);

  const Clock& clock = *deps_.clock;
  double start = clock.MonotonicSeconds();
  std::vector<std::string> failures;
  int retries = 0;  // failures after which a retry was scheduled (one "retrying" line each)
  auto fail = [&](const std::string& what) {
    throw ModelCallError(name_, Redact(what), failures, retries, request.purpose);
  };
  for (int attempt = 0;; ++attempt) {
    CheckUsable(request, failures, retries);
    double left = options_.retry.deadline_s - (clock.MonotonicSeconds() - start);
    http.timeout_s = std::max(0.001, std::min(options_.timeout_s, left));
    ChatStreamAssembler stream(http.max_response_bytes);
    size_t shown = 0;
    BodySink sink;
    if (options_.stream) {
      sink = [&](std::string_view chunk) {
        stream.Feed(chunk);
        if (stream.received_chars() >= shown + 2000) {
          shown = stream.received_chars();
          LogInfo(name_ + ": streaming, " + std::to_string(shown) + " characters so far");
        }
      };
    }
    HttpResponse r = deps_.transport->Post(http, sink);
    if (r.aborted) CheckUsable(request, failures, retries);  // throws: cancelled or unavailable
    if (r.status != 0) {
      health->RecordAnswer();
    } else if (r.connect_failed) {
      health->RecordConnectionFailure(Redact(url + ": " + Describe(r)),
                                      options_.circuit_breaker_failures);
    }
    if (r.too_large) {  // the same request would bring the same flood: not retried
      std::string what = url + ": " + r.error;
      failures.push_back(Redact(what));
      fail(what + " (not retried)");
    }
    std::string problem;
    if (r.status >= 200 && r.status < 300) {
      Expected<Completion> parsed =
          options_.stream ? stream.Finish(text_tools) : ParseChatResponse(r.body, text_tools);
      if (parsed) {
        Completion c = std::move(parsed).value();
        if (c.estimated_tokens) EstimateUsage(*deps_.counter, request, &c);
        c.cost_usd = options_.prices.Cost(c.usage);
        c.retried = failures;
        return c;
      }
      problem = "HTTP " + std::to_string(r.status) + " with a malformed body: " + parsed.error();
    } else if (r.status != 0 && !IsRetryableStatus(r.status)) {
      std::string what =
          "HTTP " + std::to_string(r.status) + " from " + url + ": " + ServerErrorMessage(r.body);
      failures.push_back(Redact(what));
      if (RulesOutTheModel(r.status)) health->MarkUnavailable(Redact(what));
      fail(what + " (not retried)");
    } else if (r.timed_out && r.timeout_limit == "timeout_s" &&
               http.timeout_s < options_.timeout_s) {
      problem = "timed out: the retry deadline_s " + SecondsText(options_.retry.deadline_s) +
                " s passed during the attempt";
    } else {
      problem = Describe(r);
      if (r.status != 0) problem += ": " + ServerErrorMessage(r.body);
    }
    failures.push_back(Redact(problem));
    CheckUsable(request, failures, retries);  // the breaker may have opened on this failure
    std::optional<double> retry_after;
    if (auto h = r.headers.find("retry-after"); h != r.headers.end()) {
      retry_after = ParseRetryAfter(h->second, clock.WallSeconds());
    }
    double wait = BackoffSeconds(options_.retry, attempt, deps_.jitter(), retry_after);
    double elapsed = clock.MonotonicSeconds() - start;
    std::string why;
    if (attempt >= options_.retry.max_retries) {
      why = "gave up after " + std::to_string(attempt + 1) + " attempts (max_retries " +
            std::to_string(options_.retry.max_retries) + ")";
    } else if (elapsed + wait > options_.retry.deadline_s) {
      why = "retry deadline_s " + SecondsText(options_.retry.deadline_s) + " s reached after " +
            std::to_string(attempt + 1) + " attempts";
    }
    if (!why.empty()) {
      std::string list;
      for (const std::string& f : failures) list += (list.empty() ? "" : "; ") + f;
      fail(why + " to " + url + ": " + list);
    }
    LogInfo(name_ + ": " + failures.back() + "; retrying in " + SecondsText(wait) + " s");
    ++retries;
    deps_.sleep(wait);
  }
}

}  // namespace ctxbench
