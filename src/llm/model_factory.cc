#include "llm/model_factory.h"

#include <cstdlib>
#include <filesystem>

#include "core/env.h"
#include "core/error.h"
#include "llm/openai/call_gate.h"
#include "llm/openai/gated_transport.h"
#include "llm/openai/openai_model.h"
#include "llm/openai/replay_model.h"
#include "llm/sim_model.h"

namespace ctxbench {

namespace {
SimOptions ReadSimOptions(const JsonReader& p) {
  p.RejectUnknown({"malformed_json_rate", "out_of_range_rate", "ask", "notes"});
  SimOptions o;
  o.malformed_json_rate = p.Number("malformed_json_rate", 0);
  o.out_of_range_rate = p.Number("out_of_range_rate", 0);
  o.ask = p.Bool("ask", true);
  o.notes = p.Bool("notes", true);
  for (const char* key : {"malformed_json_rate", "out_of_range_rate"}) {
    double v = p.Number(key, 0);
    if (v < 0 || v > 1) p.Fail(key, "must be a probability in [0, 1]");
  }
  return o;
}
}  // namespace

ModelConfig ModelConfigFromJson(const JsonReader& r) {
  ModelConfig c;
  if (r.value().is_string()) {
    c.name = c.kind = r.value().get<std::string>();
    return c;
  }
  c.kind = r.String("kind");
  c.name = r.String("name", c.kind);
  for (auto it = r.value().begin(); it != r.value().end(); ++it) {
    if (it.key() != "name" && it.key() != "kind") c.params[it.key()] = it.value();
  }
  return c;
}

void ValidateModelConfig(const ModelConfig& config, const std::string& where) {
  if (config.kind == "sim") {
    ReadSimOptions(JsonReader(config.params, "", where));
    return;
  }
  if (config.kind == "openai") {
    ReadOpenAiOptions(JsonReader(config.params, "", where));
    return;
  }
  if (config.kind == "replay") {
    ReadReplaySource(config.name, config.params, where, /*check_files=*/true);
    return;
  }
  ThrowInput(where, "unknown model kind '" + config.kind + "' (known: sim, openai, replay)");
}

std::shared_ptr<CallGate> MakeCallGate(const ModelConfig& config) {
  if (config.kind != "openai") return nullptr;
  OpenAiOptions options = ReadOpenAiOptions(JsonReader(config.params, "", "model " + config.name));
  return std::make_shared<CallGate>(options.limits);
}

std::unique_ptr<Model> MakeModel(const ModelConfig& config,
                                 std::shared_ptr<const TokenCounter> counter,
                                 const ModelContext& context) {
  std::string where = "model " + config.name;
  std::shared_ptr<ResponseCache> recording;
  if (!context.run_dir.empty() && (config.kind == "openai" || config.kind == "replay")) {
    recording = ResponseCache::Open((std::filesystem::path(context.run_dir) / "calls.db").string(),
                                    /*create=*/true);
  }
  if (config.kind == "openai") {
    OpenAiOptions options = ReadOpenAiOptions(JsonReader(config.params, "", where));
    OpenAiDeps deps;
    deps.transport = MakeCurlTransport();
    if (context.gate) {
      deps.transport =
          std::make_unique<GatedTransport>(std::move(deps.transport), context.gate, counter);
    }
    deps.counter = counter;
    deps.recording = recording;
    deps.health = context.health;
    if (options.cache_path.empty() && !context.run_dir.empty()) {
      options.cache_path = (std::filesystem::path(context.run_dir) / "cache.db").string();
    }
    if (options.cache != CacheMode::kOff && !options.cache_path.empty()) {
      bool create = options.cache == CacheMode::kReadWrite;
      if (create || std::filesystem::exists(options.cache_path)) {
        deps.cache = ResponseCache::Open(options.cache_path, create);
      }
    }
    if (!options.api_key_env.empty()) {
      deps.api_key = GetEnv(options.api_key_env).value_or("");
    }
    return std::make_unique<OpenAiModel>("openai:" + options.model, std::move(options),
                                         std::move(deps));
  }
  if (config.kind == "replay") {
    ReplaySource source = ReadReplaySource(config.name, config.params, where, true);
    auto cache = ResponseCache::Open(source.cache_path, /*create=*/false);
    return std::make_unique<ReplayModel>("replay:" + source.options.model,
                                         std::move(source.options), std::move(cache),
                                         std::move(recording), std::move(counter));
  }
  if (config.kind == "sim") {
    return std::make_unique<SimModel>(
        config.name, ReadSimOptions(JsonReader(config.params, "", "model " + config.name)),
        std::move(counter));
  }
  ThrowInput("model " + config.name, "unknown model kind '" + config.kind + "'");
}

}  // namespace ctxbench
