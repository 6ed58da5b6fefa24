// Limits on the JSON ctxbench parses, checked before the text reaches
// nlohmann::json: its values copy, compare, print and destroy by recursion, so
// a value nested many thousand levels deep overflows the stack (a config or a
// tool call nested 150k deep crashed ctxbench). Documented in docs/config.md
// and docs/models.md.
//
// Two depths: JSON from outside ctxbench (config files, task specs, model
// replies, tool-call arguments, JSON in a reply's content) may nest
// kMaxJsonDepth levels; JSON ctxbench wrote and reads back (run.json, traces,
// the results store, the response cache) may nest kMaxStoredJsonDepth, since
// it embeds outside values a few levels down in its own records.
// ParseJson and ReadJsonFile (core/json.h) apply the stored depth.
//
// Error channel: CheckJsonLimits returns a Status (core/status.h);
// ParseJsonWithin returns a discarded Json, as nlohmann::json does, with the
// limit it passed, if any, through an optional out-parameter (callers word a
// malformed text their own way and treat it apart from one nested too deep,
// so the two are not folded into one error string); ReadJsonInput throws an
// input error (exit 2). All are thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/json.h"
#include "core/status.h"

namespace ctxbench {

inline constexpr int kMaxJsonDepth = 64;
inline constexpr int kMaxStoredJsonDepth = 128;
// Config files, task specs and other JSON files read as input.
inline constexpr size_t kMaxJsonFileBytes = 16u << 20;

// How deep `text` nests: the most `[` and `{` open at once, counted outside
// strings (escapes honoured). Stops scanning once the depth passes `limit`
// and returns limit + 1. Linear, allocates nothing, does not validate.
int JsonNestingDepth(std::string_view text, int limit);

// Ok when `text` is at most `max_bytes` long and nests at most `max_depth`
// levels, else failed with one line saying which limit it passes.
Status CheckJsonLimits(std::string_view text, size_t max_bytes, int max_depth);

// Json::parse(text, nullptr, false) within `max_depth`: a discarded value when
// `text` is malformed or nests deeper. `limit_problem` (may be null) is set to
// the CheckJsonLimits error when it nests deeper, else cleared.
Json ParseJsonWithin(std::string_view text, int max_depth = kMaxJsonDepth,
                     std::string* limit_problem = nullptr);

// Reads and parses a JSON file given as input (a config, a task spec) within
// kMaxJsonFileBytes and kMaxJsonDepth; throws an input error naming the path.
Json ReadJsonInput(const std::string& path);

}  // namespace ctxbench
