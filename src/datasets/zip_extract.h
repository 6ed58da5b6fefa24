// Unpacking a downloaded zip archive (libzip) without trusting its names.
//
// Error channel: throws ctxbench::Error: kInput naming the archive for a
// truncated or corrupt archive, an unsafe entry or one over ZipLimits (a zip
// bomb), kRuntime naming the folder
// when writing fails, CancelledError when Cancellation::Process() is set.
// Thread safety: none needed; call from one thread per destination.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace ctxbench {

// Caps on what one archive may unpack to (zip-bomb guard).
struct ZipLimits {
  // Total uncompressed bytes: checked against the sizes the archive declares
  // before anything is written, and against the bytes actually written (a
  // header may lie) while unpacking.
  uint64_t max_bytes = 20ULL << 30;  // 20 GiB
  uint64_t max_entries = 1000000;    // files and folders
};

// The bytes `gb` (the --max-unpacked-gb value, GiB) stands for; a usage error
// naming `flag` unless 0 < gb <= 1e6.
uint64_t UnpackedBytesCap(double gb, const std::string& flag);

// Ok when `name` (a zip entry's name) is safe to unpack, else failed with why
// not: empty, absolute, a backslash, a NUL or a ".." component (e.g. "an
// absolute path"). Error channel: the returned Status; never throws.
Status CheckZipEntryName(const std::string& name);

// Checks every entry of the archive first (CheckZipEntryName, no symlinks
// or other special files, at most limits.max_entries entries declaring at
// most limits.max_bytes in all), then unpacks into a fresh staging folder
// inside `dest_dir` (CRCs checked by libzip) and moves each top-level entry
// into `dest_dir`, replacing what was there. On any error the staging folder
// is removed and `dest_dir` is as before. Returns the unpacked files' names,
// relative to `dest_dir`, in archive order (folders not listed). Writing
// stops, with the same cleanup, as soon as the bytes written pass
// limits.max_bytes. When `unpacked_bytes` is given, it receives the bytes
// written.
std::vector<std::string> ExtractZip(const std::string& zip_path, const std::string& dest_dir,
                                    const ZipLimits& limits = ZipLimits{},
                                    uint64_t* unpacked_bytes = nullptr);

}  // namespace ctxbench
