#include "core/source_dir.h"

namespace ctxbench {

std::string SourceDir() { return CTXBENCH_SOURCE_DIR; }

}  // namespace ctxbench
