// Small filesystem helpers. Errors throw ctxbench::Error naming the path.
#pragma once

#include <string>

namespace ctxbench {

// Reads a whole file; throws an input error naming `path` if it cannot.
std::string ReadFile(const std::string& path);

// Writes `content` to `path` atomically: a temporary file in the same folder,
// fsync, then rename. A crash leaves either the old file or the new one,
// never a half-written file under the final name.
void WriteFileAtomic(const std::string& path, const std::string& content);

// Creates `dir` and its parents; throws naming the folder if it cannot, or if
// it exists and is not writable.
void MakeWritableDir(const std::string& dir);

}  // namespace ctxbench
