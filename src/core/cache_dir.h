// Where ctxbench keeps what outlives a run (the response cache): the XDG
// user cache folder, never the current folder. Documented in docs/config.md.
#pragma once

#include <string>

namespace ctxbench {

// $XDG_CACHE_HOME/ctxbench when XDG_CACHE_HOME is an absolute path, else
// $HOME/.cache/ctxbench when HOME is set, else "" (no user cache: callers
// keep their files in the run folder). Reads the environment; creates
// nothing. Thread-safe as long as nobody sets those variables meanwhile.
std::string UserCacheDir();

}  // namespace ctxbench
