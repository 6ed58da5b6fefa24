// The chat-completions wire format: our CompletionRequest as the JSON body
// OpenAI-compatible servers accept, and their replies back as a Completion.
//
// Error channel: parsing returns an Expected<Completion> (core/expected.h),
// failed with a reason for a body that is not a chat completion or nests
// deeper than kMaxJsonDepth (the client retries those as server faults); it
// never throws. A tool call
// whose arguments are not valid JSON is not an error: the raw text is kept
// and the agent records an invalid action.
#pragma once

#include <string>
#include <vector>

#include "core/expected.h"
#include "core/json.h"
#include "llm/model.h"
#include "llm/openai/openai_options.h"

namespace ctxbench {

// The request body without "stream": model, messages, tools and tool_choice
// (native mode; "strict": true on each with options.strict_tools),
// temperature, max tokens, seed, and for a request with an output schema and
// no tools the response_format options.response_format names (json_schema:
// the schema, strict). Equal requests give equal bodies (the cache key is
// computed from it).
Json ChatRequestBody(const CompletionRequest& request, const OpenAiOptions& options);

// Parses a non-streamed response body: message, finish_reason, usage (or
// estimated_tokens when it has none). `text_tools`: tools were described in
// text (ToolMode::kText), so JSON tool calls in the content become tool calls.
Expected<Completion> ParseChatResponse(const std::string& body, bool text_tools);

// Reads the "message" object of a choice (or an assembled streamed one).
Message AssistantMessageFromJson(const Json& message, bool text_tools);
// Reads a "usage" object; false when it is missing or not an object.
bool UsageFromJson(const Json& usage, Usage* out);

// Tool calls written as JSON in a reply's content (text tool mode): objects
// {"tool": NAME, "arguments": {...}}, one or several, alone or among prose.
// An object nested deeper than kMaxJsonDepth (core/json_limits.h) is not
// read; when no call is found it comes back as one call without a name whose
// arguments are its text, so the agent is told why it was refused.
std::vector<ToolCall> ToolCallsFromText(const std::string& content);

// The server's error message from an error body ({"error": {"message": ...}}),
// else the start of the body.
std::string ServerErrorMessage(const std::string& body);

}  // namespace ctxbench
