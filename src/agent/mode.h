// The agent's reasoning mode: agentic (the agent calls tools and decides
// when to train) or controller (the harness asks for one config per
// iteration). Named "mode" in configs, run folders and reports.
#pragma once

#include <string>

namespace ctxbench {

enum class Mode { kAgentic, kController };

// "agentic" or "controller" -> the mode; throws an input error naming
// `where` for any other name.
Mode ParseMode(const std::string& name, const std::string& where);
std::string ModeName(Mode mode);

}  // namespace ctxbench
