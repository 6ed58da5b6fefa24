// The one reader of the process environment (after LoadDotenv, core/dotenv.h,
// has added a `.env` file's variables): the model client's API key,
// telemetry's collector settings, the Kaggle credentials, the shard index,
// the data, task, rank-file, share and cache folders. Code that reads
// variables and is tested with other values takes an EnvLookup, so tests
// inject a fake environment; GetEnv is the real one.
//
// Error channel: none; an unset or empty variable is nullopt. Never logs a
// value (it may be a secret).
#pragma once

#include <functional>
#include <optional>
#include <string>

namespace ctxbench {

// A variable's value, or nullopt when it is unset or empty.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// The process environment: nullopt for an unset or empty variable. Safe from
// any thread while nothing sets variables (LoadDotenv runs before threads).
std::optional<std::string> GetEnv(const std::string& name);

// True when `name` is set in the process environment, even to "" (the rule
// LoadDotenv follows: a set variable wins over the .env file).
bool EnvIsSet(const std::string& name);

}  // namespace ctxbench
