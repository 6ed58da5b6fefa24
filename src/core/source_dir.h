// Where the source tree this binary was built from lives: the default home of
// the bundled tasks and the tokenizer's rank files. Only source_dir.cc sees
// the compiled-in path, so moving the tree recompiles one file.
#pragma once

#include <string>

namespace ctxbench {

// The absolute path of the source tree at build time, without a trailing slash.
std::string SourceDir();

}  // namespace ctxbench
