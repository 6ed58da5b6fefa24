// Cutting text to a token count, saying how much was cut.
#pragma once

#include <string>

#include "llm/token_counter.h"

namespace ctxbench {

// Cuts `text` to at most `max_tokens` tokens (as `counter` counts) keeping the
// start, at a line end when one is near, with a marker saying how many
// characters were cut. Returns `text` when it fits, "" when not even the
// marker fits.
std::string TruncateToTokens(const std::string& text, int max_tokens, const TokenCounter& counter);

// `pos` (at most text.size()) moved back to the start of the UTF-8 sequence
// it falls in, so that text.substr(0, result) never splits a character.
size_t Utf8Boundary(const std::string& text, size_t pos);

}  // namespace ctxbench
