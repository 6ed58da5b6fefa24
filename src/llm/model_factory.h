// Building models from config.json's `models` entries.
#pragma once

#include <memory>
#include <string>

#include "core/json.h"
#include "llm/model.h"
#include "llm/model_health.h"
#include "llm/token_counter.h"

namespace ctxbench {

struct ModelConfig {
  std::string name;  // unique in the run; used in episode ids and reports
  std::string kind;  // "sim", "openai" or "replay"
  Json params = Json::object();
};

// Reads one `models` entry: a string ("sim") or an object with name and kind.
ModelConfig ModelConfigFromJson(const JsonReader& reader);

// Checks a model config without building it; throws an input error naming `where`.
void ValidateModelConfig(const ModelConfig& config, const std::string& where);

class CallGate;

// Where a model runs. Models that call a server record every call they
// answer (fresh or cached) in `<run_dir>/calls.db`, which `replay` reads.
struct ModelContext {
  std::string run_dir;  // "": record nothing
  // Shared by every instance of one configured model in a run (`openai`
  // marks it unavailable on a 401/403/404 or an open circuit breaker, and
  // then refuses calls at once). Null: the instance keeps its own.
  std::shared_ptr<ModelHealth> health;
  // The model config's gate (MakeCallGate), shared by all its instances in
  // a run; null: requests are not gated.
  std::shared_ptr<CallGate> gate;
};

// The gate for a model config's requests (its max_connections, rate limits
// and adaptive cap), to share through ModelContext; null for models that
// call no server (sim, replay). REQUIRES: a validated config.
std::shared_ptr<CallGate> MakeCallGate(const ModelConfig& config);

// A new model instance (one per episode). `counter` counts tokens for usage
// and pre-call budget checks. `openai` reads its API key from the variable
// its `api_key_env` names (load `.env` first).
std::unique_ptr<Model> MakeModel(const ModelConfig& config,
                                 std::shared_ptr<const TokenCounter> counter,
                                 const ModelContext& context = {});

}  // namespace ctxbench
