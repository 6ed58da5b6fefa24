#include "cli/parse_errors.h"

#include <CLI/CLI.hpp>
#include <vector>

#include "core/nearest_name.h"

namespace ctxbench {

namespace {

// The deepest subcommand the command line chose, or `app` when none.
const CLI::App& ChosenCommand(const CLI::App& app) {
  const CLI::App* at = &app;
  for (;;) {
    auto subs = at->get_subcommands();
    if (subs.empty()) return *at;
    at = subs.front();
  }
}

std::vector<std::string> FlagNames(const CLI::App& command) {
  std::vector<std::string> names;
  for (const CLI::Option* opt : command.get_options()) {
    for (const std::string& n : opt->get_lnames()) names.push_back("--" + n);
  }
  return names;
}

std::vector<std::string> SubcommandNames(const CLI::App& command) {
  std::vector<std::string> names;
  for (const CLI::App* sub : command.get_subcommands([](const CLI::App*) { return true; })) {
    names.push_back(sub->get_name());
  }
  return names;
}

}  // namespace

std::string DescribeParseError(const CLI::App& app, const CLI::ParseError& error) {
  bool extras = dynamic_cast<const CLI::ExtrasError*>(&error) != nullptr;
  bool no_command =
      dynamic_cast<const CLI::RequiredError*>(&error) != nullptr && app.get_subcommands().empty();
  if (!extras && !no_command) return "";
  const CLI::App& command = ChosenCommand(app);
  std::string prefix = &command == &app ? "" : command.get_name() + ": ";
  // The arguments no option or subcommand took, in `app` and its chosen subcommands.
  std::vector<std::string> left = app.remaining(true);
  for (const std::string& arg : left) {
    if (arg.size() < 2 || arg[0] != '-') continue;
    std::string flag = arg.substr(0, arg.find('='));
    std::string line = prefix + "unknown flag " + flag;
    std::string near = NearestName(flag, FlagNames(command));
    if (!near.empty()) return line + " (did you mean " + near + "?)";
    return line + " (`ctxbench " + (prefix.empty() ? "" : command.get_name() + " ") +
           "--help` lists the flags)";
  }
  if (left.empty()) {
    return no_command ? "name a command (`ctxbench --help` lists them)" : "";
  }
  if (&command == &app) {
    std::string line = "unknown command '" + left.front() + "'";
    std::string near = NearestName(left.front(), SubcommandNames(app));
    if (!near.empty()) return line + " (did you mean " + near + "?)";
    return line + " (`ctxbench --help` lists them)";
  }
  std::string line = prefix + "unexpected argument '" + left.front() + "'";
  return line + " (`ctxbench " + command.get_name() + " --help` lists the flags)";
}

}  // namespace ctxbench
