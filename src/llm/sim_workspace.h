// `sim` on workspace tasks: what it does when the tools it is offered are
// file tools and `run`. Like the rest of sim it decides only from the text of
// the messages: it reads the config file, writes the next config of a
// coordinate search (each number doubled or halved), runs, and on a failed run
// reads the traceback; a KeyError naming a missing column is fixed by reading
// the data's header line and replacing the name with the closest column.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/json.h"
#include "llm/message.h"
#include "llm/sim_view.h"

namespace ctxbench {

// True when `tools` are a workspace task's (they include `run`).
bool IsWorkspaceToolSet(const std::vector<ToolSpec>& tools);

// The next tool call (name, arguments) for a workspace task.
std::pair<std::string, Json> SimWorkspaceAction(const std::vector<Message>& messages,
                                                const SimView& view, uint64_t seed);

// The closest of `names` to `wrong` by edit distance ("" when `names` is empty).
std::string ClosestName(const std::string& wrong, const std::vector<std::string>& names);

}  // namespace ctxbench
