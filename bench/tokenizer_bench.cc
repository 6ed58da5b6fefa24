// Tokenizer throughput (encode, single thread) on English prose and on code,
// and rank-file load time. Inputs: $CTXBENCH_BENCH_PROSE and
// $CTXBENCH_BENCH_CODE when set (bench/tokenizer/compare.sh sets them), else
// /usr/share/common-licenses/GPL-3 and this repository's tokenizer sources.
// Each is repeated up to ~1 MB so one iteration is long enough to time.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/source_dir.h"
#include "llm/tokenizer/encoding_cache.h"
#include "llm/tokenizer/rank_file.h"
#include "llm/tokenizer/sha256.h"

namespace ctxbench {
namespace {

std::string ReadOrEmpty(const std::string& path) {
  std::string text;
  if (std::FILE* f = std::fopen(path.c_str(), "rb")) {
    char buf[1 << 16];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof(buf), f)) > 0) text.append(buf, n);
    std::fclose(f);
  }
  return text;
}

std::string Input(const char* env, const std::vector<std::string>& defaults) {
  if (const char* path = std::getenv(env); path != nullptr && *path != '\0') {
    return ReadOrEmpty(path);  // explicit inputs are used as given
  }
  std::string text;
  for (const auto& p : defaults) text += ReadOrEmpty(p);
  if (text.empty()) return text;
  std::string out;
  while (out.size() < (1 << 20)) out += text;
  return out;
}

const std::string& Prose() {
  static const std::string text =
      Input("CTXBENCH_BENCH_PROSE", {"/usr/share/common-licenses/GPL-3"});
  return text;
}

const std::string& Code() {
  const std::string dir = SourceDir() + "/src/llm/tokenizer/";
  static const std::string text = Input(
      "CTXBENCH_BENCH_CODE", {dir + "byte_pair.cc", dir + "encoding.cc", dir + "rank_map.cc",
                              dir + "pretokenizer.cc", dir + "rank_file.cc", dir + "utf8.cc"});
  return text;
}

void Encode(benchmark::State& state, const std::string& encoding_name, const std::string& text) {
  if (text.empty()) {
    state.SkipWithError("input is empty");
    return;
  }
  auto encoding = LoadEncoding(encoding_name);
  std::vector<Rank> ids;
  for (auto _ : state) {
    ids.clear();
    encoding->EncodeInto(text, SpecialTokens::kAsText, &ids);
    benchmark::DoNotOptimize(ids.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
  state.counters["bytes"] = static_cast<double>(text.size());
  state.counters["tokens"] = static_cast<double>(ids.size());
}

void BM_EncodeProse(benchmark::State& state, const char* encoding) {
  Encode(state, encoding, Prose());
}
void BM_EncodeCode(benchmark::State& state, const char* encoding) {
  Encode(state, encoding, Code());
}
BENCHMARK_CAPTURE(BM_EncodeProse, o200k_base, "o200k_base")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_EncodeProse, cl100k_base, "cl100k_base")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_EncodeCode, o200k_base, "o200k_base")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_EncodeCode, cl100k_base, "cl100k_base")->Unit(benchmark::kMillisecond);

// Read, SHA-256 check, parse and hash-table build of a rank file.
void BM_LoadRankFile(benchmark::State& state, const char* encoding) {
  for (auto _ : state) {
    auto loaded = LoadEncodingUncached(encoding);
    benchmark::DoNotOptimize(loaded.get());
  }
}
BENCHMARK_CAPTURE(BM_LoadRankFile, o200k_base, "o200k_base")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_LoadRankFile, cl100k_base, "cl100k_base")->Unit(benchmark::kMillisecond);

// The two parts of a load, separately.
void BM_Sha256RankFile(benchmark::State& state) {
  std::string contents = ReadOrEmpty(DefaultRankDir() + "/o200k_base.tiktoken");
  for (auto _ : state) benchmark::DoNotOptimize(Sha256Hex(contents));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * contents.size()));
}
BENCHMARK(BM_Sha256RankFile)->Unit(benchmark::kMillisecond);

void BM_ParseRankFile(benchmark::State& state) {
  std::string contents = ReadOrEmpty(DefaultRankDir() + "/o200k_base.tiktoken");
  for (auto _ : state) benchmark::DoNotOptimize(ParseRankFile(contents, "o200k_base.tiktoken"));
}
BENCHMARK(BM_ParseRankFile)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace ctxbench

BENCHMARK_MAIN();
