// Building models from config.json's `models` entries.
#pragma once

#include <memory>
#include <string>

#include "core/json.h"
#include "llm/model.h"
#include "llm/token_counter.h"

namespace ctxbench {

struct ModelConfig {
  std::string name;  // unique in the run; used in episode ids and reports
  std::string kind;  // "sim" (more kinds come with the real-model work)
  Json params = Json::object();
};

// Reads one `models` entry: a string ("sim") or an object with name and kind.
ModelConfig ModelConfigFromJson(const JsonReader& reader);

// Checks a model config without building it; throws an input error naming `where`.
void ValidateModelConfig(const ModelConfig& config, const std::string& where);

// A new model instance (one per episode). `counter` counts tokens for usage.
std::unique_ptr<Model> MakeModel(const ModelConfig& config,
                                 std::shared_ptr<const TokenCounter> counter);

}  // namespace ctxbench
