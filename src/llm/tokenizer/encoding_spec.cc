#include "llm/tokenizer/encoding_spec.h"

namespace ctxbench {
namespace {

// Unicode White_Space, as PCRE2 class items.
constexpr std::string_view kWhiteSpace =
    R"(\t\n\x{0B}\f\r\x{20}\x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000})";

// tiktoken_ext/openai_public.py (tiktoken 0.8+), verbatim.
constexpr std::string_view kCl100kPattern =
    R"('(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s)";
constexpr std::string_view kO200kPattern =
    R"([^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?)"
    R"(|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?)"
    R"(|\p{N}{1,3})"
    R"(| ?[^\s\p{L}\p{N}]+[\r\n/]*)"
    R"(|\s*[\r\n]+)"
    R"(|\s+(?!\S))"
    R"(|\s+)";

std::vector<EncodingSpec> MakeSpecs() {
  std::vector<EncodingSpec> specs;
  specs.push_back({"cl100k_base",
                   TiktokenPatternToPcre2(kCl100kPattern),
                   "cl100k_base.tiktoken",
                   "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
                   {{"<|endoftext|>", 100257},
                    {"<|fim_prefix|>", 100258},
                    {"<|fim_middle|>", 100259},
                    {"<|fim_suffix|>", 100260},
                    {"<|endofprompt|>", 100276}}});
  specs.push_back({"o200k_base",
                   TiktokenPatternToPcre2(kO200kPattern),
                   "o200k_base.tiktoken",
                   "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
                   {{"<|endoftext|>", 199999}, {"<|endofprompt|>", 200018}}});
  return specs;
}

const std::vector<EncodingSpec>& Specs() {
  static const std::vector<EncodingSpec> specs = MakeSpecs();
  return specs;
}

}  // namespace

std::string TiktokenPatternToPcre2(std::string_view pattern) {
  std::string out;
  bool in_class = false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      char e = pattern[++i];
      if (e == 's') {
        out += in_class ? std::string(kWhiteSpace) : "[" + std::string(kWhiteSpace) + "]";
      } else if (e == 'S' && !in_class) {
        out += "[^" + std::string(kWhiteSpace) + "]";
      } else {
        out += c;
        out += e;
      }
      continue;
    }
    if (c == '[' && !in_class) {
      in_class = true;
      out += c;
      if (i + 1 < pattern.size() && pattern[i + 1] == '^') out += pattern[++i];
      if (i + 1 < pattern.size() && pattern[i + 1] == ']') out += pattern[++i];  // literal ]
      continue;
    }
    if (c == ']' && in_class) in_class = false;
    if (c == '$' && !in_class) {
      out += "\\z";
      continue;
    }
    out += c;
  }
  return out;
}

const EncodingSpec* FindEncodingSpec(std::string_view name) {
  for (const auto& spec : Specs()) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

std::vector<std::string> ExactEncodingNames() {
  std::vector<std::string> names;
  for (const auto& spec : Specs()) names.push_back(spec.name);
  return names;
}

}  // namespace ctxbench
