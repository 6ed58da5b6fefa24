#include "llm/openai/openai_options.h"

#include <climits>
#include <optional>

#include "core/cache_dir.h"
#include "core/json_int.h"
#include "core/url.h"

namespace ctxbench {

const std::vector<std::string>& OpenAiOptionKeys() {
  static const std::vector<std::string> keys = {"base_url",
                                                "model",
                                                "api_key_env",
                                                "headers",
                                                "organization",
                                                "project",
                                                "tool_mode",
                                                "temperature",
                                                "max_tokens",
                                                "max_tokens_field",
                                                "seed",
                                                "response_format",
                                                "strict_tools",
                                                "stream",
                                                "timeout_s",
                                                "stall_timeout_s",
                                                "connect_timeout_s",
                                                "max_response_bytes",
                                                "max_retries",
                                                "initial_backoff_s",
                                                "max_backoff_s",
                                                "deadline_s",
                                                "circuit_breaker_failures",
                                                "prices",
                                                "context_window",
                                                "cache",
                                                "cache_path",
                                                "max_connections",
                                                "requests_per_minute",
                                                "tokens_per_minute",
                                                "adaptive",
                                                "preflight"};
  return keys;
}

OpenAiOptions ReadOpenAiOptions(const JsonReader& p) {
  p.RejectUnknown(OpenAiOptionKeys());
  OpenAiOptions o;
  o.model = p.String("model");
  if (o.model.empty()) p.Fail("model", "name the server's model, e.g. \"gpt-4o-mini\"");
  o.base_url = p.String("base_url", o.base_url);
  while (!o.base_url.empty() && o.base_url.back() == '/') o.base_url.pop_back();
  Expected<Url> base_url = ParseHttpUrl(o.base_url);
  if (!base_url) p.Fail("base_url", base_url.error());
  if (base_url->userinfo.find("[redacted]") != std::string::npos) {
    p.Fail("base_url",
           "its credentials were redacted when the run was saved; put the key in the "
           "environment variable api_key_env names instead");
  }
  o.api_key_env = p.String("api_key_env", o.api_key_env);
  if (p.Has("headers")) {
    JsonReader h = p.Child("headers");
    if (!h.value().is_object()) p.Fail("headers", "expected an object of header name -> value");
    for (auto it = h.value().begin(); it != h.value().end(); ++it) {
      if (!it.value().is_string()) h.Fail(it.key(), "expected a string");
      if (it.value() == "[redacted]") {
        h.Fail(it.key(),
               "its value was redacted when the run was saved (header values are never "
               "written); put a key in the environment variable api_key_env names instead");
      }
      o.headers[it.key()] = it.value().get<std::string>();
    }
  }
  o.organization = p.String("organization", "");
  o.project = p.String("project", "");
  std::string tool_mode = p.String("tool_mode", "native");
  if (tool_mode == "native") {
    o.tool_mode = ToolMode::kNative;
  } else if (tool_mode == "text") {
    o.tool_mode = ToolMode::kText;
  } else {
    p.Fail("tool_mode", "use \"native\" or \"text\"");
  }
  o.temperature = p.Number("temperature", -1);
  if (p.Has("temperature") && (o.temperature < 0 || o.temperature > 2)) {
    p.Fail("temperature", "must be in [0, 2]");
  }
  o.max_tokens = static_cast<int>(IntInRange(p, "max_tokens", 0, INT_MAX, 0));
  o.max_tokens_field = p.String("max_tokens_field", o.max_tokens_field);
  if (o.max_tokens_field != "max_tokens" && o.max_tokens_field != "max_completion_tokens") {
    p.Fail("max_tokens_field", "use \"max_tokens\" or \"max_completion_tokens\"");
  }
  o.send_seed = p.Bool("seed", true);
  o.response_format = p.String("response_format", o.response_format);
  if (o.response_format != "json_schema" && o.response_format != "json_object" &&
      o.response_format != "none") {
    p.Fail("response_format", "use \"json_schema\" (the default), \"json_object\" or \"none\"");
  }
  o.strict_tools = p.Bool("strict_tools", false);
  o.stream = p.Bool("stream", false);
  auto positive = [&](const char* key, double fallback) {
    double v = p.Number(key, fallback);
    if (v <= 0) p.Fail(key, "must be positive");
    return v;
  };
  o.timeout_s = positive("timeout_s", o.timeout_s);
  o.stall_timeout_s = positive("stall_timeout_s", o.stall_timeout_s);
  o.connect_timeout_s = positive("connect_timeout_s", o.connect_timeout_s);
  o.max_response_bytes = IntInRange(p, "max_response_bytes", 1, LLONG_MAX, o.max_response_bytes);
  o.retry.max_retries =
      static_cast<int>(IntInRange(p, "max_retries", 0, 1000, o.retry.max_retries));
  o.retry.initial_backoff_s = positive("initial_backoff_s", o.retry.initial_backoff_s);
  o.retry.max_backoff_s = positive("max_backoff_s", o.retry.max_backoff_s);
  o.retry.deadline_s = positive("deadline_s", o.retry.deadline_s);
  o.circuit_breaker_failures = static_cast<int>(
      IntInRange(p, "circuit_breaker_failures", 0, INT_MAX, o.circuit_breaker_failures));
  if (p.Has("prices")) o.prices = PriceTableFromJson(p.Child("prices"));
  o.context_window = static_cast<int>(IntInRange(p, "context_window", 0, INT_MAX, 0));
  std::string cache = p.String("cache", "read-write");
  if (cache == "off") {
    o.cache = CacheMode::kOff;
  } else if (cache == "read-write") {
    o.cache = CacheMode::kReadWrite;
  } else if (cache == "read-only") {
    o.cache = CacheMode::kReadOnly;
  } else {
    p.Fail("cache", "use \"off\", \"read-write\" or \"read-only\"");
  }
  o.preflight = p.Bool("preflight", true);
  std::string user_cache = UserCacheDir();
  o.cache_path = p.String("cache_path", user_cache.empty() ? "" : user_cache + "/cache.db");
  o.limits = ReadCallLimits(p);
  return o;
}

}  // namespace ctxbench
