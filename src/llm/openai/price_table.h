// What a model's tokens cost: USD per 1M prompt, cached prompt and completion
// tokens, from the model's config (`prices`). Prices change; ctxbench ships
// none, so an unpriced model costs 0 and the run says so.
#pragma once

#include "core/json.h"
#include "llm/message.h"

namespace ctxbench {

struct PriceTable {
  double prompt_per_m = 0;         // USD per 1M uncached prompt tokens
  double cached_prompt_per_m = 0;  // USD per 1M prompt tokens served from the provider's cache
  double completion_per_m = 0;     // USD per 1M completion tokens
  bool priced = false;             // the config named prices

  // USD for one call's usage. Cached prompt tokens (part of prompt_tokens)
  // are charged at the cached price.
  double Cost(const Usage& usage) const;
};

// Reads {"prompt": 0.15, "cached_prompt": 0.075, "completion": 0.6};
// cached_prompt defaults to prompt. Throws an input error naming the field.
PriceTable PriceTableFromJson(const JsonReader& reader);
Json PriceTableToJson(const PriceTable& prices);

}  // namespace ctxbench
