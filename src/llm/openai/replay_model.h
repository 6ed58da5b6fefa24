// `replay`: answers only from recorded responses (a response cache file, or
// the calls a previous run folder recorded in calls.db) and fails the episode
// on a miss. This reproduces a published run offline, and lets CI exercise
// real-model runs without a server.
//
// Error channel (as Model): Complete() throws a runtime ctxbench::Error on a
// miss, naming the recording and the request key.
#pragma once

#include <memory>
#include <string>

#include "core/json.h"
#include "llm/model.h"
#include "llm/openai/openai_options.h"
#include "llm/openai/response_cache.h"
#include "llm/token_counter.h"

namespace ctxbench {

class ReplayModel final : public Model {
 public:
  // `options` must be those of the recorded model (they determine the keys).
  ReplayModel(std::string name, OpenAiOptions options, std::shared_ptr<ResponseCache> source,
              std::shared_ptr<ResponseCache> recording,
              std::shared_ptr<const TokenCounter> counter);

  std::string name() const override { return name_; }
  Completion Complete(const CompletionRequest& request) override;

 private:
  std::string name_;
  OpenAiOptions options_;
  std::shared_ptr<ResponseCache> source_;
  std::shared_ptr<ResponseCache> recording_;
  std::shared_ptr<const TokenCounter> counter_;
};

// Where a replay model's answers and settings come from.
struct ReplaySource {
  std::string cache_path;  // the SQLite file to answer from
  OpenAiOptions options;   // the recorded model's settings
};

// Reads a `replay` model's params: `from` (a run folder, whose run.json names
// the recorded model and whose calls.db holds its calls, or a cache file),
// `recorded_model` (the recorded model's config name; default `name`), and
// any `openai` keys, which override the recorded ones (with a cache file they
// are required: at least `model`). Throws an input error naming `where`.
// `check_files`: also require the files to exist.
ReplaySource ReadReplaySource(const std::string& name, const Json& params, const std::string& where,
                              bool check_files);

}  // namespace ctxbench
