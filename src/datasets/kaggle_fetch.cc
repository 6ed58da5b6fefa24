#include "datasets/kaggle_fetch.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

#include "core/error.h"
#include "datasets/zip_extract.h"

namespace ctxbench {
namespace {

namespace fs = std::filesystem;

bool EndsWith(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// Whether `path` starts with a zip archive's local file header.
bool IsZipArchive(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {0, 0, 0, 0};
  in.read(magic, 4);
  return in.gcount() == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
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

std::vector<std::string> FetchKaggleFile(const KaggleClient& client, const std::string& competition,
                                         const std::string& file, const std::string& to_dir,
                                         const FetchDisplay& display, const ZipLimits& limits) {
  CheckCompetitionName(competition);
  CheckDataFileName(competition, file);
  fs::path dest = fs::path(to_dir) / file;
  // Downloaded under a name of its own: a zipped reply is never left where
  // the file itself belongs.
  std::string download =
      (dest.parent_path() / ("." + dest.filename().string() + ".download")).string();
  client.DownloadFile(competition, file, download, display.progress_tty, display.quiet,
                      limits.max_bytes);
  std::error_code ec;
  if (EndsWith(file, ".zip") || !IsZipArchive(download)) {
    fs::rename(download, dest, ec);
    if (ec) {
      fs::remove(download, ec);
      std::string why = ec.message();
      fs::remove(download, ec);
      ThrowRuntime(dest.string(), "cannot move the download into place: " + why);
    }
    return {file};
  }
  std::vector<std::string> unpacked;
  try {
    unpacked = ExtractZip(download, dest.parent_path().string(), limits);
  } catch (...) {
    fs::remove(download, ec);
    throw;
  }
  fs::remove(download, ec);
  std::string folder = fs::path(file).parent_path().string();
  for (std::string& name : unpacked) {
    if (!folder.empty()) name = folder + "/" + name;
  }
  std::sort(unpacked.begin(), unpacked.end());
  return unpacked;
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
