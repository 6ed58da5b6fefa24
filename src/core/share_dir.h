// Where the bundled data lives: tasks/, configs/, config.json and the
// tokenizer's rank files (third_party/rank_files/). An installed binary finds
// them beside itself, a build-tree binary in the source tree it was built from
// (named by a file in the build folder: no path is compiled in).
#pragma once

#include <string>

namespace ctxbench {

// The folder that holds the bundled data, without a trailing slash. The first of:
//   1. <folder of the running executable>/../share/ctxbench, when it has a
//      tasks/ folder (an installed binary: `cmake --install` or the .deb);
//   2. $CTXBENCH_SHARE_DIR, when set and not empty;
//   3. the source tree a build-tree binary was built from (SourceDir(),
//      core/source_dir.h: read from a file CMake writes into the build folder);
//   4. else <folder of the running executable>/../share/ctxbench all the same,
//      so that what is missing is reported where an install would have it.
// Never throws; the caller reports a missing file with the path it tried.
// Thread-safe.
std::string ShareDir();

// The name of the file CMake writes into the build folder, holding the source
// tree's path (no path is compiled into a binary).
inline constexpr char kSourceDirFile[] = "ctxbench-source-dir.txt";

// The source tree named by kSourceDirFile beside the executable `exe` or in
// its parent folder (build/ctxbench, build/bench/...), without a trailing
// slash; empty when there is none or it names no folder (an installed
// binary). Never throws.
std::string SourceDirOf(const std::string& exe);

// ShareDir()'s rule with its inputs given: `exe` is the running executable's
// path (empty when unknown), `env` the value of CTXBENCH_SHARE_DIR (null when
// unset), `source` the build-time source tree (empty when not a build-tree binary).
std::string ResolveShareDir(const std::string& exe, const char* env, const std::string& source);

}  // namespace ctxbench
