// Where the cursor is on a terminal, asked with the cursor position report
// (DSR 6: the terminal answers ESC [ row ; column R on its input). The live
// view asks once, to move its frame to the bottom of the screen
// (console/terminal_region.h).
//
// Error channel: nullopt when the answer cannot be had (not a terminal, not
// the foreground job of its terminal, no answer within the timeout). Not
// thread-safe with other readers of the terminal's input.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace ctxbench {

// The 0-based row of the first cursor position report in `bytes` (other bytes,
// such as keys typed meanwhile, are skipped), or nullopt if none is whole.
std::optional<size_t> ParseCursorReport(std::string_view bytes);

// Asks the terminal `fd` writes to (opened again by name, for reading) where
// its cursor is and waits at most `timeout_s` for the answer; returns its
// 0-based row. For that while the terminal's echo and line editing are off
// (restored before it returns): keys typed meanwhile are lost. Does nothing
// and returns nullopt when this process is not in the terminal's foreground
// job (reading would stop it).
std::optional<size_t> QueryCursorRow(int fd, double timeout_s);

// Puts back, at once, the terminal settings a QueryCursorRow under way (on
// any thread) turned off; does nothing when none is under way. For a process
// about to end in the middle of a query (a hard stop, a third Ctrl-C), which
// would otherwise leave the terminal without echo. Async-signal-safe.
void RestoreTerminalAfterQuery() noexcept;

}  // namespace ctxbench
