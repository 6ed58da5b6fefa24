#include "datasets/kaggle_fetch.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include "core/error.h"
#include "datasets/zip_extract.h"

namespace ctxbench {
namespace {

namespace fs = std::filesystem;

bool EndsWith(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

}  // namespace

const char* const kNomadCompetition = "nomad2018-predict-transparent-conductors";

std::vector<std::string> FetchKaggleCompetition(const KaggleClient& client,
                                                const std::string& competition,
                                                const std::string& to_dir,
                                                const FetchDisplay& display,
                                                const ZipLimits& limits) {
  CheckCompetitionName(competition);
  std::string zip = (fs::path(to_dir) / (competition + ".zip")).string();
  client.DownloadAll(competition, zip, display.progress_tty, display.quiet);
  std::vector<std::string> files;
  uint64_t unpacked = 0;
  try {
    files = ExtractZip(zip, to_dir, limits, &unpacked);
  } catch (...) {
    std::error_code ec;
    fs::remove(zip, ec);  // a corrupt archive is not kept to be mistaken for data
    throw;
  }
  std::error_code ec;
  fs::remove(zip, ec);

  std::set<std::string> out(files.begin(), files.end());
  for (const auto& name : files) {
    if (name.find('/') != std::string::npos || !EndsWith(name, ".zip")) continue;
    std::string inner = (fs::path(to_dir) / name).string();
    ZipLimits left = limits;
    left.max_bytes -= unpacked;  // unpacked <= max_bytes
    uint64_t more = 0;
    for (auto& f : ExtractZip(inner, to_dir, left, &more)) out.insert(f);
    unpacked += more;
    fs::remove(inner, ec);
    out.erase(name);
  }
  return {out.begin(), out.end()};
}

NomadPrepared FetchNomadFromKaggle(const KaggleClient& client, const std::string& data_dir,
                                   const NomadPrepareOptions& options, const FetchDisplay& display,
                                   const ZipLimits& limits) {
  std::string raw = (fs::path(data_dir) / "nomad" / "raw").string();
  std::vector<std::string> files =
      FetchKaggleCompetition(client, kNomadCompetition, raw, display, limits);
  for (const char* name : {"train.csv", "test.csv"}) {
    if (std::find(files.begin(), files.end(), name) == files.end()) {
      ThrowInput(std::string("kaggle:") + kNomadCompetition,
                 std::string("the archive has no ") + name + " (unpacked into " + raw + ")");
    }
  }
  return PrepareNomad(raw, data_dir, options);
}

}  // namespace ctxbench
