#include "llm/openai/endpoint_check.h"

#include "core/json_limits.h"
#include "core/log.h"
#include "core/url.h"
#include "llm/openai/chat_wire.h"

namespace ctxbench {

namespace {

bool IsOpenAiHost(const std::string& base_url) {
  return UrlWithoutCredentials(base_url).rfind("https://api.openai.com", 0) == 0;
}

// Warns when a 2xx /models list names models but not `model` (nor
// `model:tag`, as Ollama lists them).
void WarnWhenUnlisted(const std::string& model_name, const std::string& model,
                      const std::string& body, const std::string& url) {
  Json list = ParseJsonWithin(body);
  if (!list.is_object() || !list.contains("data") || !list["data"].is_array()) return;
  std::string ids;
  for (const Json& m : list["data"]) {
    std::string id = ValueOr<std::string>(m, "id", "");
    if (id == model || id.rfind(model + ":", 0) == 0) return;
    if (ids.size() < 200) ids += (ids.empty() ? "" : ", ") + id;
  }
  if (ids.empty()) return;
  LogWarn("model " + model_name + ": " + url + " does not list \"" + model + "\" (it lists " + ids +
          "); the run goes on, but calls may fail with 404");
}

}  // namespace

std::optional<EndpointProblem> CheckEndpoint(const std::string& model_name,
                                             const OpenAiOptions& options,
                                             const std::string& api_key, HttpTransport& transport) {
  if (!options.preflight) return std::nullopt;
  std::string who = "model " + model_name + ": ";
  if (api_key.empty() && IsOpenAiHost(options.base_url)) {
    return EndpointProblem{
        who +
            (options.api_key_env.empty() ? std::string("api_key_env is empty")
                                         : options.api_key_env + " is not set") +
            " (set it in the environment or in .env; api.openai.com needs a key)",
        true};
  }
  HttpRequest http;
  http.method = "GET";
  http.url = options.base_url + "/models";
  if (!api_key.empty()) http.headers.emplace_back("Authorization", "Bearer " + api_key);
  if (!options.organization.empty()) {
    http.headers.emplace_back("OpenAI-Organization", options.organization);
  }
  if (!options.project.empty()) http.headers.emplace_back("OpenAI-Project", options.project);
  for (const auto& [k, v] : options.headers) http.headers.emplace_back(k, v);
  http.timeout_s = 10;
  http.stall_timeout_s = 10;
  http.connect_timeout_s = std::min(options.connect_timeout_s, 5.0);
  http.max_response_bytes = 4u << 20;
  HttpResponse r = transport.Post(http, {});
  std::string url = UrlWithoutCredentials(http.url);
  auto clean = [&](std::string text) {  // a server may quote the key back
    if (!api_key.empty()) {
      for (size_t at; (at = text.find(api_key)) != std::string::npos;)
        text.replace(at, api_key.size(), "***");
    }
    return text;
  };
  if (r.status >= 200 && r.status < 300) {
    WarnWhenUnlisted(model_name, options.model, r.body, url);
    return std::nullopt;
  }
  if (r.status == 401 || r.status == 403) {
    std::string key = options.api_key_env.empty() ? "no key is configured (api_key_env)"
                      : api_key.empty()           ? options.api_key_env + " is not set"
                                                  : "check " + options.api_key_env;
    return EndpointProblem{who + "HTTP " + std::to_string(r.status) + " from " + url + ": " +
                               clean(ServerErrorMessage(r.body)) + " (" + key + ")",
                           true};
  }
  if (r.status == 404) {
    return EndpointProblem{
        who + "HTTP 404 from " + url + ": no OpenAI-compatible API at base_url " +
            UrlWithoutCredentials(options.base_url) + " (check it; it usually ends in /v1)",
        true};
  }
  std::string what =
      r.status != 0 ? "HTTP " + std::to_string(r.status) + ": " + clean(ServerErrorMessage(r.body))
                    : clean(r.error.empty() ? "no answer" : r.error);
  return EndpointProblem{who + url + " does not answer (" + what +
                             "); is the server up? (\"preflight\": false skips this check)",
                         r.status >= 400 && r.status < 500};
}

}  // namespace ctxbench
