// OpenInference attribute names and the helpers that write them onto spans
// (https://github.com/Arize-ai/openinference, spec/semantic_conventions.md).
#pragma once

#include <string>
#include <vector>

#include "core/json.h"
#include "llm/message.h"
#include "telemetry/span.h"

namespace ctxbench {

namespace oi {
inline constexpr char kSpanKind[] = "openinference.span.kind";
inline constexpr char kChain[] = "CHAIN";
inline constexpr char kAgent[] = "AGENT";
inline constexpr char kLlm[] = "LLM";
inline constexpr char kTool[] = "TOOL";
inline constexpr char kRetriever[] = "RETRIEVER";
inline constexpr char kProjectName[] = "openinference.project.name";
inline constexpr char kSessionId[] = "session.id";
inline constexpr char kMetadata[] = "metadata";
inline constexpr char kInputValue[] = "input.value";
inline constexpr char kInputMime[] = "input.mime_type";
inline constexpr char kOutputValue[] = "output.value";
inline constexpr char kOutputMime[] = "output.mime_type";
inline constexpr char kJsonMime[] = "application/json";
inline constexpr char kTextMime[] = "text/plain";
}  // namespace oi

// Sets openinference.span.kind.
void SetSpanKind(Span& span, const char* kind);

// input.value / output.value with their mime type: JSON values are dumped
// with mime application/json, strings are text/plain.
void SetInput(Span& span, const Json& value);
void SetOutput(Span& span, const Json& value);

// The message attributes under `prefix` + ".{index}.message.": role,
// content, tool_calls.{j}.tool_call.{id,function.name,function.arguments},
// tool_call_id and name. `prefix` is "llm.input_messages" or
// "llm.output_messages".
void SetMessages(Span& span, const std::string& prefix,
                 const std::vector<const Message*>& messages);

// One retrieved item, for retrieval.documents.{i}.document.{id, content,
// score, metadata}.
struct RetrievedDocument {
  std::string id;
  std::string content;
  double score = 0;      // higher is more relevant
  std::string metadata;  // JSON; "" for none
};
void SetDocuments(Span& span, const std::vector<RetrievedDocument>& documents);

// A model's config params minus any whose name IsSecretName (core/redact.h),
// as JSON for llm.invocation_parameters; string values go through
// RedactSecrets (a base_url loses its user info and query values).
Json SafeInvocationParameters(const Json& params);

}  // namespace ctxbench
