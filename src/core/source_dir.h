// Where the source tree a build-tree binary was built from lives: where such a
// binary finds the bundled data (ShareDir()'s third choice, core/share_dir.h)
// and where tests find fixtures. No path is compiled in: it is read from the
// file CMake writes into the build folder (SourceDirOf, core/share_dir.h).
#pragma once

#include <string>

namespace ctxbench {

// SourceDirOf(the running executable): empty for an installed binary. Thread-safe.
std::string SourceDir();

}  // namespace ctxbench
