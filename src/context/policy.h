// The Policy interface: from an episode's event log and a token budget, the
// messages for the next model call, plus a manifest of what went in.
//
// Policies are pure: the same events, budget and counter give the same
// context. They do no I/O but through what they are handed.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/json.h"
#include "events/event.h"
#include "llm/message.h"
#include "llm/token_counter.h"

namespace ctxbench {

// One message sent, as the manifest records it (see Manifest::messages).
struct SentMessage {
  int64_t seq = -1;                    // the event whose message this is; -1 for a section
  std::string as;                      // "" (sent as logged), "masked" or "truncated"
  std::string section;                 // the section's name when seq is -1
  std::string content;                 // the content sent, when changed or a section
  bool cut_arguments = false;          // the tool calls' arguments were cut:
  std::vector<std::string> arguments;  // the arguments sent, per tool call
};

// What a context holds and why: the manifest recorded with every built context.
struct Manifest {
  std::string policy;              // the policy type
  std::vector<int64_t> kept;       // seqs of events whose message went in whole
  std::vector<int64_t> masked;     // seqs whose message went in as a placeholder
  std::vector<int64_t> truncated;  // seqs whose message went in cut short
  // Seq ranges [from, to] of conversation events left out (covered by a
  // summary or retrieval where the sections say so).
  std::vector<std::pair<int64_t, int64_t>> dropped_ranges;
  std::map<std::string, int> section_tokens;  // "head", "history", "tools", ...
  int total_tokens = 0;                       // messages + tool schemas, as counted
  int budget_tokens = 0;
  bool estimated = false;       // counted with an estimating counter
  Json extra = Json::object();  // policy-specific detail
  // Every message sent, in order. An event's message sent as logged is
  // recorded by reference (its seq); only changed or written text is kept.
  // In JSON (ToJson): {"seq": n} for an event's message as it is; {"seq": n,
  // "as": "masked" | "truncated", "content": ...} for an event's message sent
  // changed (plus "arguments" when its tool calls' arguments were cut);
  // {"section": name, "content": ...} for a section the policy wrote (a user
  // message). With the log, this is exactly what the model saw.
  std::vector<SentMessage> messages;

  Json ToJson() const;
  // The manifest `json` records (ToJson's shape). A field missing or null
  // keeps its default (an older writer; null json: an empty manifest); a field
  // of the wrong type, a message record that is not an object or has neither
  // "seq" nor "section", or json that is not an object, throws an input Error
  // naming it. `extra` is kept as it is (an object). Thread-safe.
  static Manifest FromJson(const Json& json);
};

struct Context {
  std::vector<Message> messages;
  Manifest manifest;
};

class Summarizer;

struct PolicyInput {
  const std::vector<Event>& events;
  int budget_tokens;  // the most the context may hold
  const TokenCounter& counter;
  const std::vector<ToolSpec>& tools;  // counted against the budget
  Summarizer* summarizer = nullptr;    // for policies that summarise; may be null
  long long remaining_tokens = -1;     // the episode's token budget left; -1: unlimited
};

// A Policy instance serves one episode (it may keep caches of the log, which
// is append-only); make one per episode with MakePolicy. Build is pure in its
// output: the same events and budget give the same context, whatever the
// instance has seen before.
class Policy {
 public:
  virtual ~Policy() = default;
  virtual std::string type() const = 0;
  // REQUIRES: the events hold the head (op.prompt events).
  virtual Context Build(const PolicyInput& input) const = 0;
};

// A policy as declared in config.json's `context_policies`.
struct PolicyConfig {
  std::string name;  // unique in the run; used in episode ids and reports
  std::string type;  // "full", "window", ...
  Json params = Json::object();
};

// Makes a policy with its type's maker (context/policy_registry.h); throws an input
// error naming `where` for an unknown type or a bad parameter. Thread-safe.
std::unique_ptr<Policy> MakePolicy(const PolicyConfig& config, const std::string& where);
// Reads one `context_policies` entry.
PolicyConfig PolicyConfigFromJson(const JsonReader& reader);
// The prototype's presets: short_context → window (last 4 turns),
// long_context → full. Throws naming `where` for another name.
PolicyConfig PresetPolicy(const std::string& preset, const std::string& where);
// The policy types MakePolicy knows: the registry's (context/policy_registry.h).
std::vector<std::string> PolicyTypes();

}  // namespace ctxbench
