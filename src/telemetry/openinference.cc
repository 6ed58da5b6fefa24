#include "telemetry/openinference.h"

#include "core/redact.h"

namespace ctxbench {

void SetSpanKind(Span& span, const char* kind) { span.Set(oi::kSpanKind, kind); }

namespace {

void SetValue(Span& span, const char* key, const char* mime_key, const Json& value) {
  if (value.is_string()) {
    span.Set(key, value.get<std::string>());
    span.Set(mime_key, oi::kTextMime);
  } else {
    span.Set(key, value.dump(-1, ' ', false, Json::error_handler_t::replace));
    span.Set(mime_key, oi::kJsonMime);
  }
}

}  // namespace

void SetInput(Span& span, const Json& value) {
  SetValue(span, oi::kInputValue, oi::kInputMime, value);
}

void SetOutput(Span& span, const Json& value) {
  SetValue(span, oi::kOutputValue, oi::kOutputMime, value);
}

void SetMessages(Span& span, const std::string& prefix,
                 const std::vector<const Message*>& messages) {
  for (size_t i = 0; i < messages.size(); ++i) {
    const Message& m = *messages[i];
    std::string p = prefix + "." + std::to_string(i) + ".message.";
    span.Set(p + "role", RoleName(m.role));
    if (!m.content.empty()) span.Set(p + "content", m.content);
    for (size_t j = 0; j < m.tool_calls.size(); ++j) {
      std::string t = p + "tool_calls." + std::to_string(j) + ".tool_call.";
      if (!m.tool_calls[j].id.empty()) span.Set(t + "id", m.tool_calls[j].id);
      span.Set(t + "function.name", m.tool_calls[j].name);
      span.Set(t + "function.arguments", m.tool_calls[j].arguments);
    }
    if (!m.tool_call_id.empty()) span.Set(p + "tool_call_id", m.tool_call_id);
    if (!m.name.empty()) span.Set(p + "name", m.name);
  }
}

void SetDocuments(Span& span, const std::vector<RetrievedDocument>& documents) {
  for (size_t i = 0; i < documents.size(); ++i) {
    const RetrievedDocument& d = documents[i];
    std::string p = "retrieval.documents." + std::to_string(i) + ".document.";
    span.Set(p + "id", d.id);
    span.Set(p + "content", d.content);
    span.Set(p + "score", d.score);
    if (!d.metadata.empty()) span.Set(p + "metadata", d.metadata);
  }
}

Json SafeInvocationParameters(const Json& params) {
  Json out = Json::object();
  if (!params.is_object()) return out;
  for (auto it = params.begin(); it != params.end(); ++it) {
    if (IsSecretName(it.key())) continue;
    out[it.key()] =
        it.value().is_string() ? Json(RedactSecrets(it.value().get<std::string>())) : it.value();
  }
  return out;
}

}  // namespace ctxbench
