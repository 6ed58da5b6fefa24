// The text form of an event, as the trace and the store write it.
#pragma once

#include <string>

#include "events/event.h"

namespace ctxbench {

// The compact JSON text of an event: exactly
// EventToJson(event).dump(-1, ' ', false, Json::error_handler_t::replace)
// (invalid UTF-8 replaced by U+FFFD, no trailing newline), written without
// building the JSON tree (no copy of the event's data or message). Pure;
// thread-safe.
std::string EventJsonText(const Event& event);

}  // namespace ctxbench
