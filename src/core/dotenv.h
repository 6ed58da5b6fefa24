// Loading `.env` files. Variables already in the environment win over the
// file. Values are never logged.
#pragma once

#include <map>
#include <string>

namespace ctxbench {

// Parses KEY=VALUE lines: `#` comments, optional `export `, single or double
// quotes around the value. Malformed lines throw an input error naming
// `source` and the line number (not its content, which may hold a secret).
std::map<std::string, std::string> ParseDotenv(const std::string& text, const std::string& source);

// Loads `path` if it exists and sets each variable not already set.
// Returns the number of variables set.
int LoadDotenv(const std::string& path);

}  // namespace ctxbench
