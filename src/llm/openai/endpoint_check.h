// Before a run calls a server: is the key set, does the endpoint answer? One
// GET <base_url>/models per model (cheap, no tokens), so a run with a wrong
// key, a wrong base_url or a server that is down fails in seconds with one
// line instead of erroring every episode (ModelHealth, llm/model_health.h,
// handles the same answers when they come in the middle of a run).
//
// Error channel: returns a value; never throws. Thread-compatible (uses the
// transport it is given).
#pragma once

#include <optional>
#include <string>

#include "http/http_transport.h"
#include "llm/openai/openai_options.h"

namespace ctxbench {

struct EndpointProblem {
  std::string line;  // one line naming the model and what to fix; never holds the key
  bool input =
      false;  // true: fix the config, the key or base_url (exit 2); false: the server (exit 1)
};

// Checks `options`' endpoint with `api_key` (may be empty). nullopt when the
// server answered /models with a 2xx (or when options.preflight is false).
// A key missing for api.openai.com is a problem without any request; 401 and
// 403 name the key variable; 404 says base_url is likely wrong; 5xx, no
// connection and time-outs (10 s at most) say the server does not answer.
// A model missing from a 2xx list is logged as a warning, not a problem
// (some servers answer for any model name).
std::optional<EndpointProblem> CheckEndpoint(const std::string& model_name,
                                             const OpenAiOptions& options,
                                             const std::string& api_key, HttpTransport& transport);

}  // namespace ctxbench
