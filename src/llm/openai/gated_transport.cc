#include "llm/openai/gated_transport.h"

#include "core/json.h"

namespace ctxbench {

namespace {
// Per message framing, rounded up from the counter's 3 (token_counter.cc):
// the gate reserves an upper bound.
constexpr int kGateTokensPerMessage = 4;
}  // namespace

double RequestTokenEstimate(const TokenCounter& counter, const std::string& body) {
  Json j = Json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return static_cast<double>(body.size()) / 4;
  double tokens = 0;
  if (auto m = j.find("messages"); m != j.end() && m->is_array()) {
    for (const Json& message : *m) {
      tokens += kGateTokensPerMessage;
      if (!message.is_object()) continue;
      if (auto c = message.find("content"); c != message.end() && c->is_string()) {
        tokens += counter.Count(c->get_ref<const std::string&>());
      }
      if (auto calls = message.find("tool_calls"); calls != message.end()) {
        tokens += counter.Count(calls->dump());
      }
    }
  }
  if (auto t = j.find("tools"); t != j.end()) tokens += counter.Count(t->dump());
  for (const char* key : {"max_tokens", "max_completion_tokens"}) {
    if (auto n = j.find(key); n != j.end() && n->is_number()) tokens += n->get<double>();
  }
  return tokens;
}

GatedTransport::GatedTransport(std::unique_ptr<HttpTransport> inner, std::shared_ptr<CallGate> gate,
                               std::shared_ptr<const TokenCounter> counter)
    : inner_(std::move(inner)), gate_(std::move(gate)), counter_(std::move(counter)) {}

template <typename Send>
HttpResponse GatedTransport::Gated(const HttpRequest& request, const Send& send) {
  double tokens = 0;
  if (gate_->limits().tokens_per_minute > 0 && counter_) {
    tokens = RequestTokenEstimate(*counter_, request.body);
  }
  CallGate::Permit permit = gate_->Acquire(tokens);
  HttpResponse response = send();
  permit.Finish(response.status);
  return response;
}

HttpResponse GatedTransport::Post(const HttpRequest& request, const BodySink& on_body) {
  return Gated(request, [&] { return inner_->Post(request, on_body); });
}

HttpResponse GatedTransport::Stream(const HttpRequest& request, const ChunkSink& on_body) {
  return Gated(request, [&] { return inner_->Stream(request, on_body); });
}

}  // namespace ctxbench
