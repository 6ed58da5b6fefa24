// Where the source tree this binary was built from lives: where a build-tree
// binary finds the bundled tasks and rank files (ShareDir()'s last choice,
// core/share_dir.h) and where tests find fixtures. Only source_dir.cc sees
// the compiled-in path, so moving the tree recompiles one file.
#pragma once

#include <string>

namespace ctxbench {

// The absolute path of the source tree at build time, without a trailing slash.
std::string SourceDir();

}  // namespace ctxbench
