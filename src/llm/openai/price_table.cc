#include "llm/openai/price_table.h"

#include <algorithm>

namespace ctxbench {

double PriceTable::Cost(const Usage& usage) const {
  int cached = std::clamp(usage.cached_prompt_tokens, 0, usage.prompt_tokens);
  return ((usage.prompt_tokens - cached) * prompt_per_m + cached * cached_prompt_per_m +
          usage.completion_tokens * completion_per_m) /
         1e6;
}

PriceTable PriceTableFromJson(const JsonReader& r) {
  r.RejectUnknown({"prompt", "cached_prompt", "completion"});
  PriceTable p;
  p.prompt_per_m = r.Number("prompt");
  p.completion_per_m = r.Number("completion");
  p.cached_prompt_per_m = r.Number("cached_prompt", p.prompt_per_m);
  for (const char* key : {"prompt", "cached_prompt", "completion"}) {
    if (r.Number(key, 0) < 0) r.Fail(key, "a price cannot be negative");
  }
  p.priced = true;
  return p;
}

Json PriceTableToJson(const PriceTable& p) {
  return {{"prompt", p.prompt_per_m},
          {"cached_prompt", p.cached_prompt_per_m},
          {"completion", p.completion_per_m}};
}

}  // namespace ctxbench
