// Which encoding a model uses, from its name: the mapping tiktoken's
// tiktoken/model.py keeps, plus overrides for models it does not know
// (local or fine-tuned models, new releases).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace ctxbench {

// Exact model name -> encoding name, checked before the built-in rules.
using EncodingOverrides = std::map<std::string, std::string, std::less<>>;

// The encoding of `model`, or nullopt when neither `overrides` nor the rules
// know it. A provider prefix ("openai/gpt-4o") and a fine-tune prefix
// ("ft:gpt-4o-mini:org::id") are ignored. Rules: gpt-5*, gpt-4.5*, gpt-4.1*,
// gpt-4o*, chatgpt-4o*, o1*, o3*, o4* -> o200k_base; gpt-4*, gpt-3.5*,
// gpt-35-turbo*, text-embedding-ada-002, text-embedding-3-* -> cl100k_base.
std::optional<std::string> FindEncodingForModel(std::string_view model,
                                                const EncodingOverrides& overrides = {});

// As FindEncodingForModel, but an unknown model is an input error that says
// how to name its encoding.
std::string EncodingForModel(std::string_view model, const EncodingOverrides& overrides = {});

}  // namespace ctxbench
