// Fetching a Kaggle competition's data into a folder, and the NOMAD 2018
// competition into the data dir the `nomad` tasks read.
//
// Error channel: throws ctxbench::Error (see kaggle_client.h and
// zip_extract.h); a missing expected file is an input error naming it.
// Thread safety: one fetch per destination folder at a time.
#pragma once

#include <string>
#include <vector>

#include "datasets/kaggle_client.h"
#include "datasets/zip_extract.h"
#include "tasks/nomad_data.h"

namespace ctxbench {

// The NOMAD 2018 competition's name on Kaggle.
extern const char* const kNomadCompetition;

struct FetchDisplay {
  bool progress_tty = false;  // redrawn bar (a terminal) or plain lines
  bool quiet = false;         // no progress output at all
};

// Downloads kaggle:<competition> (all data files, one zip) to
// <to_dir>/<competition>.zip, unpacks it into `to_dir` and removes the zip.
// Top-level "<name>.zip" entries of the archive (Kaggle packs large CSVs
// that way) are unpacked in turn and removed. `limits` caps the archive and
// the inner archives together (max_bytes counts every byte unpacked, the
// inner archives' own bytes included). Returns the files now in `to_dir`
// from the archive, relative, sorted.
std::vector<std::string> FetchKaggleCompetition(const KaggleClient& client,
                                                const std::string& competition,
                                                const std::string& to_dir,
                                                const FetchDisplay& display,
                                                const ZipLimits& limits = ZipLimits{});

// Downloads one data file of kaggle:<competition> (`file`, as `--list` names
// it) to <to_dir>/<file>, written atomically (an earlier file is replaced;
// nothing is left on error or interrupt). The download is capped at
// limits.max_bytes. When Kaggle answers with the file zipped (a zip archive
// although `file` does not end in .zip), the archive is unpacked into the
// file's folder under `limits` and removed. Returns the files now there from
// the download, relative to `to_dir`, sorted.
std::vector<std::string> FetchKaggleFile(const KaggleClient& client, const std::string& competition,
                                         const std::string& file, const std::string& to_dir,
                                         const FetchDisplay& display,
                                         const ZipLimits& limits = ZipLimits{});

// Fetches kNomadCompetition into <data_dir>/nomad/raw, checks train.csv and
// test.csv are there, then prepares them (PrepareNomad) with `options`.
NomadPrepared FetchNomadFromKaggle(const KaggleClient& client, const std::string& data_dir,
                                   const NomadPrepareOptions& options, const FetchDisplay& display,
                                   const ZipLimits& limits = ZipLimits{});

}  // namespace ctxbench
