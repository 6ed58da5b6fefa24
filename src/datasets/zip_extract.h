// Unpacking a downloaded zip archive (libzip) without trusting its names.
//
// Error channel: throws ctxbench::Error: kInput naming the archive for a
// truncated or corrupt archive or an unsafe entry, kRuntime naming the folder
// when writing fails, CancelledError when Cancellation::Process() is set.
// Thread safety: none needed; call from one thread per destination.
#pragma once

#include <string>
#include <vector>

namespace ctxbench {

// Why `name` (a zip entry's name) may not be unpacked, or "" when it is safe:
// empty, absolute, a backslash, or a ".." component.
std::string UnsafeZipEntryReason(const std::string& name);

// Checks every entry of the archive first (UnsafeZipEntryReason, and no
// symlinks or other special files), then unpacks into a fresh staging folder
// inside `dest_dir` (CRCs checked by libzip) and moves each top-level entry
// into `dest_dir`, replacing what was there. On any error the staging folder
// is removed and `dest_dir` is as before. Returns the unpacked files' names,
// relative to `dest_dir`, in archive order (folders not listed).
std::vector<std::string> ExtractZip(const std::string& zip_path, const std::string& dest_dir);

}  // namespace ctxbench
