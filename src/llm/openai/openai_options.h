// The settings of an `openai` model (any OpenAI-compatible chat-completions
// endpoint), read from its config.json entry. Documented key by key in
// docs/models.md.
#pragma once

#include <map>
#include <string>

#include "core/json.h"
#include "llm/openai/call_limits.h"
#include "llm/openai/price_table.h"

namespace ctxbench {

// How tools reach the model: `native` sends them as OpenAI function tools;
// `text` describes them in the system prompt and reads JSON tool calls from
// the reply's content, for servers without function calling.
enum class ToolMode { kNative, kText };

// `off`: no cache; `read-write`: answer from the cache when it can and store
// fresh answers; `read-only`: answer from the cache when it can, never store.
enum class CacheMode { kOff, kReadWrite, kReadOnly };

struct RetryOptions {
  int max_retries = 6;           // retries after the first attempt
  double initial_backoff_s = 1;  // doubled each retry, with jitter
  double max_backoff_s = 60;
  double deadline_s = 600;  // one Complete() call, retries included
};

struct OpenAiOptions {
  std::string base_url = "https://api.openai.com/v1";  // without /chat/completions
  std::string model;                                   // required: the server's model id
  std::string api_key_env = "OPENAI_API_KEY";          // "" or unset variable: no key sent
  std::map<std::string, std::string> headers;          // extra headers (not secrets: recorded)
  std::string organization;                            // OpenAI-Organization header
  std::string project;                                 // OpenAI-Project header
  ToolMode tool_mode = ToolMode::kNative;
  double temperature = -1;                      // < 0: the request's (0 by default)
  int max_tokens = 0;                           // > 0 overrides the request's
  std::string max_tokens_field = "max_tokens";  // or "max_completion_tokens"
  bool send_seed = true;
  std::string response_format;  // "" or "json_object", sent when no tools are given
  bool stream = false;          // SSE streaming
  double timeout_s = 120;       // one HTTP request
  double stall_timeout_s = 30;  // a response body that stops moving
  double connect_timeout_s = 10;
  RetryOptions retry;
  // Connection failures in a row (any instance of the model) after which the
  // model is unavailable for the rest of the run; 0: never.
  int circuit_breaker_failures = 5;
  PriceTable prices;
  int context_window = 0;  // tokens; 0: unknown (no pre-call check)
  CacheMode cache = CacheMode::kReadWrite;
  std::string cache_path = ".ctxbench/cache.db";
  CallLimits limits;  // connections and rates, enforced by the run's CallGate
};

// Reads an `openai` model's params (every key but name and kind). Throws an
// input error naming `where` and the field.
OpenAiOptions ReadOpenAiOptions(const JsonReader& params);
// The keys ReadOpenAiOptions knows, for kinds that extend it (replay).
const std::vector<std::string>& OpenAiOptionKeys();

}  // namespace ctxbench
