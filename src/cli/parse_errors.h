// One line for a command line CLI11 refused, in ctxbench's words: an unknown
// flag is named with the nearest known one ("--seed" → "--seeds"), an
// unknown subcommand with the nearest subcommand.
#pragma once

#include <string>

namespace CLI {
class App;
class ParseError;
}  // namespace CLI

namespace ctxbench {

// The line to print for `error`, thrown while `app` parsed (without the
// "ctxbench: " prefix), or "" when CLI11's own message and help handling
// should be kept (--help, --version, a missing option value, ...).
// Reads the parse state of `app` and its subcommands; never throws.
std::string DescribeParseError(const CLI::App& app, const CLI::ParseError& error);

}  // namespace ctxbench
