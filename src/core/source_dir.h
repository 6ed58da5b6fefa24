// Where the source tree a build-tree binary was built from lives: where such
// a binary finds the bundled tasks and rank files (ShareDir()'s last choice,
// core/share_dir.h) and where tests and benchmarks find their fixtures.
//
// No path is compiled in: CMake writes the source tree's path into
// `<build folder>/ctxbench-source-dir.txt`, and a binary reads it from
// beside itself or one folder up (build/ctxbench, build/bench/...). An
// installed binary has no such file, so it never looks in the source tree.
#pragma once

#include <string>

namespace ctxbench {

// The name of the file CMake writes into the build folder.
inline constexpr char kSourceDirFile[] = "ctxbench-source-dir.txt";

// The source tree named by kSourceDirFile beside the executable `exe` or in
// its parent folder, without a trailing slash; empty when there is none or
// it does not name a folder. Never throws.
std::string SourceDirOf(const std::string& exe);

// SourceDirOf the running executable (/proc/self/exe). Thread-safe.
std::string SourceDir();

}  // namespace ctxbench
