#include "llm/tokenizer/encoding_cache.h"

#include <map>
#include <mutex>
#include <utility>

#include "core/error.h"
#include "llm/tokenizer/rank_file.h"

namespace ctxbench {

std::shared_ptr<const Encoding> LoadEncodingUncached(const std::string& name,
                                                     const std::string& rank_dir) {
  const EncodingSpec* spec = FindEncodingSpec(name);
  if (spec == nullptr) {
    std::string valid;
    for (const auto& n : ExactEncodingNames()) valid += (valid.empty() ? "" : ", ") + n;
    ThrowInput("encoding \"" + name + "\"", "unknown encoding; valid names: " + valid);
  }
  std::string dir = rank_dir.empty() ? DefaultRankDir() : rank_dir;
  RankMap ranks = LoadRankFile(dir + "/" + spec->rank_file, spec->sha256);
  return std::make_shared<const Encoding>(*spec, std::move(ranks));
}

std::shared_ptr<const Encoding> LoadEncoding(const std::string& name, const std::string& rank_dir) {
  static std::mutex mutex;
  static std::map<std::pair<std::string, std::string>, std::shared_ptr<const Encoding>> cache;
  std::string dir = rank_dir.empty() ? DefaultRankDir() : rank_dir;
  // Loading under the lock keeps concurrent first uses from parsing twice;
  // loads are rare (once per encoding and folder) and take tens of ms.
  std::lock_guard<std::mutex> lock(mutex);
  auto& slot = cache[{name, dir}];
  if (!slot) slot = LoadEncodingUncached(name, dir);
  return slot;
}

}  // namespace ctxbench
