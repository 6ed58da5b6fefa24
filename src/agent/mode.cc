#include "agent/mode.h"

#include "core/error.h"

namespace ctxbench {

Mode ParseMode(const std::string& name, const std::string& where) {
  if (name == "agentic") return Mode::kAgentic;
  if (name == "controller") return Mode::kController;
  ThrowInput(where, "unknown reasoning mode '" + name + "' (use agentic or controller)");
}

std::string ModeName(Mode mode) { return mode == Mode::kAgentic ? "agentic" : "controller"; }

}  // namespace ctxbench
