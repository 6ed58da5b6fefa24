// The Model interface: messages and tool specs in, one assistant message and
// usage out.
//
// Error channel: Complete() throws ctxbench::Error (kRuntime) for failures that
// end the episode (a 401, a replay miss, retries exhausted); the episode loop
// records them. A reply that is malformed is not an error here: it is returned
// as is and the agent treats it as an invalid action.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "llm/message.h"

namespace ctxbench {

// A JSON Schema the reply's content must satisfy (structured output), inside
// the strict subset (docs/models.md). `name` is what the API calls it.
struct OutputSchema {
  std::string name;
  Json schema;
};

struct CompletionRequest {
  std::vector<Message> messages;
  std::vector<ToolSpec> tools;  // empty: no tool calling
  // Controller mode: the format of the reply's content. A model that can have
  // it enforced does (openai `response_format: "json_schema"`); the others
  // ignore it (the prompt describes the format too).
  std::optional<OutputSchema> output_schema;
  double temperature = 0.0;
  int max_tokens = 1024;
  uint64_t seed = 0;
  std::string purpose = "agent";  // "agent" or "summarize"
};

struct Completion {
  Message message;  // role assistant
  Usage usage;
  std::string finish_reason = "stop";
  bool cache_hit = false;
  double cost_usd = 0.0;
  bool estimated_tokens = false;  // usage counted by an estimating counter
  // Why earlier attempts of this call failed ("HTTP 429: ...", "timed out"),
  // in order; empty when the first attempt answered.
  std::vector<std::string> retried;
};

class Model {
 public:
  virtual ~Model() = default;
  // The name reports show ("sim", "openai:gpt-4o-mini").
  virtual std::string name() const = 0;
  // REQUIRES: request.messages is not empty. Thread-compatible: one episode
  // uses one Model instance at a time; instances are not shared across threads.
  virtual Completion Complete(const CompletionRequest& request) = 0;
};

}  // namespace ctxbench
