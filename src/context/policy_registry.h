// The policy registry: every context policy type by name, with the function
// that makes an instance from a config's parameters. The built-in types
// (full, window, mask, summarize, retrieve, state, mix, pipeline) register
// through it on first use; a program that uses ctxbench as a library
// registers its own types the same way before it loads a config, and
// config.json's `context_policies` then name them by `type` like a built-in
// (examples/consumer, docs/build.md).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "context/policy.h"
#include "core/json.h"

namespace ctxbench {

// Makes one instance of a policy type from its config entry's parameters
// (every key but `name` and `type`). Called for each episode and once when a
// config is loaded (to validate it), possibly from several threads at once.
// On a bad or unknown parameter it throws through `params.Fail` (an input
// error naming the config path).
using PolicyMaker = std::function<std::unique_ptr<Policy>(const JsonReader& params)>;

// Registers `type`. Throws ctxbench::Error (usage) when `type` is empty, holds
// a character other than [A-Za-z0-9_-], or is registered already (a built-in
// type cannot be replaced). Thread-safe; call it before loading a config
// that names the type.
void RegisterPolicy(const std::string& type, PolicyMaker maker);

// The maker registered for `type`, or null when none is. Thread-safe.
PolicyMaker FindPolicyMaker(const std::string& type);

// PolicyTypes() (context/policy.h) lists every registered type: the built-ins
// first, then the others in the order they were registered. Thread-safe.

// The built-in types and their makers, in PolicyTypes() order (policy.cc);
// the registry registers them when it is first used.
std::vector<std::pair<std::string, PolicyMaker>> BuiltinPolicies();

}  // namespace ctxbench
