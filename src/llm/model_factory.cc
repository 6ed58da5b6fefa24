#include "llm/model_factory.h"

#include "core/error.h"
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
  ThrowInput(where, "unknown model kind '" + config.kind + "' (known: sim)");
}

std::unique_ptr<Model> MakeModel(const ModelConfig& config,
                                 std::shared_ptr<const TokenCounter> counter) {
  if (config.kind == "sim") {
    return std::make_unique<SimModel>(
        config.name, ReadSimOptions(JsonReader(config.params, "", "model " + config.name)),
        std::move(counter));
  }
  ThrowInput("model " + config.name, "unknown model kind '" + config.kind + "'");
}

}  // namespace ctxbench
