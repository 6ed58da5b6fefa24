// CliMain: the subcommands register themselves on one CLI::App; errors become
// one line on stderr and an exit code.
#include "cli/cli_main.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>

#include "cli/commands.h"
#include "cli/parse_errors.h"
#include "core/error.h"

namespace ctxbench {

int CliMain(int argc, char** argv) {
  CLI::App app{"ctxbench: measure how context policies shape LLM agents that run ML experiments"};
  app.set_version_flag("--version", CTXBENCH_VERSION);
  app.require_subcommand(1);
  int exit_code = 0;
  AddRunCommand(app, &exit_code);
  AddDataCommand(app, &exit_code);
  AddTokensCommand(app, &exit_code);
  AddReportCommand(app, &exit_code);
  AddCompareCommand(app, &exit_code);
  AddTrainCommand(app, &exit_code);
  AddMergeCommand(app, &exit_code);
  AddSlurmCommand(app, &exit_code);
  AddListCommand(app, &exit_code);
  AddViewCommand(app, &exit_code);
  AddGradeCommand(app, &exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    std::string line = DescribeParseError(app, e);
    if (line.empty()) return app.exit(e) == 0 ? 0 : 2;
    std::fprintf(stderr, "ctxbench: %s\n", line.c_str());
    return 2;
  } catch (const Error& e) {
    std::fprintf(stderr, "ctxbench: %s\n", e.what());
    return e.exit_code();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ctxbench: %s\n", e.what());
    return 1;
  }
  return exit_code;
}

}  // namespace ctxbench
