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
  // What controller proposals (requests with an output schema and no tools)
  // ask for: "json_schema" (the proposal schema, strict), "json_object" or
  // "none"; other requests never carry a response_format.
  std::string response_format = "json_schema";
  // Send "strict": true on native function tools (the schemas are inside the
  // strict subset); off by default, as some servers reject the key.
  bool strict_tools = false;
  bool stream = false;          // SSE streaming
  double timeout_s = 120;       // one HTTP request
  double stall_timeout_s = 30;  // a response body that stops moving
  double connect_timeout_s = 10;
  // A reply body longer than this fails the call, not retried (docs/models.md).
  long long max_response_bytes = 16ll << 20;
  RetryOptions retry;
  // Connection failures in a row (any instance of the model) after which the
  // model is unavailable for the rest of the run; 0: never.
  int circuit_breaker_failures = 5;
  PriceTable prices;
  int context_window = 0;  // tokens; 0: unknown (no pre-call check)
  CacheMode cache = CacheMode::kReadWrite;
  // The response cache shared by runs; ReadOpenAiOptions defaults it to
  // UserCacheDir()/cache.db (core/cache_dir.h). "": the run folder's cache.db.
  std::string cache_path;
  CallLimits limits;  // connections and rates, enforced by the run's CallGate
  // Before a run, one GET <base_url>/models checks the key and the endpoint
  // (llm/openai/endpoint_check.h); false skips it (e.g. to rerun offline
  // from the response cache).
  bool preflight = true;
};

// Reads an `openai` model's params (every key but name and kind). Throws an
// input error naming `where` and the field.
OpenAiOptions ReadOpenAiOptions(const JsonReader& params);
// The keys ReadOpenAiOptions knows, for kinds that extend it (replay).
const std::vector<std::string>& OpenAiOptionKeys();

}  // namespace ctxbench
