#include "llm/tokenizer/model_encoding.h"

#include <array>

#include "core/error.h"

namespace ctxbench {
namespace {

struct Rule {
  std::string_view family;  // matches the name itself or the name followed by "-..."
  std::string_view encoding;
};

// From tiktoken/model.py (MODEL_TO_ENCODING, MODEL_PREFIX_TO_ENCODING).
constexpr std::array<Rule, 14> kRules = {{
    {"gpt-5", "o200k_base"},
    {"gpt-4.5", "o200k_base"},
    {"gpt-4.1", "o200k_base"},
    {"gpt-4o", "o200k_base"},
    {"chatgpt-4o", "o200k_base"},
    {"o1", "o200k_base"},
    {"o3", "o200k_base"},
    {"o4", "o200k_base"},
    {"gpt-4", "cl100k_base"},
    {"gpt-3.5-turbo", "cl100k_base"},
    {"gpt-3.5", "cl100k_base"},
    {"gpt-35-turbo", "cl100k_base"},
    {"text-embedding-ada-002", "cl100k_base"},
    {"text-embedding-3", "cl100k_base"},
}};

bool InFamily(std::string_view model, std::string_view family) {
  if (!model.starts_with(family)) return false;
  return model.size() == family.size() || model[family.size()] == '-';
}

}  // namespace

std::optional<std::string> FindEncodingForModel(std::string_view model,
                                                const EncodingOverrides& overrides) {
  if (auto it = overrides.find(model); it != overrides.end()) return it->second;
  std::string_view base = model;
  if (size_t slash = base.rfind('/'); slash != std::string_view::npos)
    base.remove_prefix(slash + 1);
  if (auto it = overrides.find(base); it != overrides.end()) return it->second;
  if (base.starts_with("ft:")) base.remove_prefix(3);
  if (size_t colon = base.find(':'); colon != std::string_view::npos) base = base.substr(0, colon);
  for (const Rule& rule : kRules) {
    if (InFamily(base, rule.family)) return std::string(rule.encoding);
  }
  return std::nullopt;
}

std::string EncodingForModel(std::string_view model, const EncodingOverrides& overrides) {
  if (auto encoding = FindEncodingForModel(model, overrides)) return *encoding;
  ThrowInput("model \"" + std::string(model) + "\"",
             "no known tokenizer encoding; name one for it (cl100k_base, o200k_base or "
             "estimate) in the model's config");
}

}  // namespace ctxbench
