#include "llm/openai/replay_model.h"

#include <algorithm>
#include <filesystem>

#include "core/error.h"
#include "llm/openai/openai_model.h"

namespace ctxbench {

namespace fs = std::filesystem;

ReplayModel::ReplayModel(std::string name, OpenAiOptions options,
                         std::shared_ptr<ResponseCache> source,
                         std::shared_ptr<ResponseCache> recording,
                         std::shared_ptr<const TokenCounter> counter)
    : name_(std::move(name)),
      options_(std::move(options)),
      source_(std::move(source)),
      recording_(std::move(recording)),
      counter_(std::move(counter)) {}

Completion ReplayModel::Complete(const CompletionRequest& request) {
  Json body = PreparedChatBody(request, options_, *counter_, name_);
  std::string key = RequestKey(options_.base_url, body, request.seed);
  std::optional<CachedResponse> cached = source_->Find(key);
  if (!cached) {
    ThrowRuntime(name_, "replay miss: " + source_->path() + " holds no response for request " +
                            key.substr(0, 16) +
                            " (the episode asked something the recording never saw: a changed "
                            "config, policy, task or ctxbench version, or an unfinished "
                            "recording)");
  }
  if (recording_) recording_->Store(key, body, *cached);
  return CompletionFromCache(*cached, options_.prices);
}

ReplaySource ReadReplaySource(const std::string& name, const Json& params, const std::string& where,
                              bool check_files) {
  JsonReader p(params, "", where);
  std::vector<std::string> known = OpenAiOptionKeys();
  known.push_back("from");
  known.push_back("recorded_model");
  p.RejectUnknown(known);
  std::string from = p.String("from");
  std::string recorded = p.String("recorded_model", name);
  Json merged = Json::object();
  ReplaySource source;
  if (fs::is_directory(from)) {
    source.cache_path = (fs::path(from) / "calls.db").string();
    Json run = ReadJsonFile((fs::path(from) / "run.json").string());
    const Json* entry = nullptr;
    if (run.contains("config") && run["config"].contains("models")) {
      for (const Json& m : run["config"]["models"]) {
        if (m.is_object() && m.value("name", "") == recorded) entry = &m;
      }
    }
    if (!entry) p.Fail("recorded_model", "run " + from + " has no model named '" + recorded + "'");
    if (entry->value("kind", "") != "openai") {
      p.Fail("recorded_model", "model '" + recorded + "' of run " + from +
                                   " is not an openai model; replay its own source instead");
    }
    for (auto it = entry->begin(); it != entry->end(); ++it) {
      if (it.key() != "name" && it.key() != "kind") merged[it.key()] = it.value();
    }
  } else {
    if (check_files && !fs::exists(from)) p.Fail("from", "no run folder or cache file " + from);
    source.cache_path = from;
  }
  for (auto it = params.begin(); it != params.end(); ++it) {
    if (it.key() != "from" && it.key() != "recorded_model") merged[it.key()] = it.value();
  }
  // The cache settings of the recording do not apply: replay reads `from` only.
  merged.erase("cache");
  merged.erase("cache_path");
  if (check_files && !fs::exists(source.cache_path)) {
    p.Fail("from", "no recorded calls at " + source.cache_path);
  }
  source.options = ReadOpenAiOptions(JsonReader(merged, "", where));
  return source;
}

}  // namespace ctxbench
