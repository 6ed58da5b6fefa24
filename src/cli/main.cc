// ctxbench: the command-line front end. Each subcommand lives in its own file
// and registers itself here; errors become one line on stderr and an exit code.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>

#include "cli/commands.h"
#include "cli/parse_errors.h"
#include "core/error.h"

int main(int argc, char** argv) {
  CLI::App app{"ctxbench: measure how context policies shape LLM agents that run ML experiments"};
  app.set_version_flag("--version", CTXBENCH_VERSION);
  app.require_subcommand(1);
  int exit_code = 0;
  ctxbench::AddRunCommand(app, &exit_code);
  ctxbench::AddDataCommand(app, &exit_code);
  ctxbench::AddTokensCommand(app, &exit_code);
  ctxbench::AddReportCommand(app, &exit_code);
  ctxbench::AddCompareCommand(app, &exit_code);
  ctxbench::AddTrainCommand(app, &exit_code);
  ctxbench::AddMergeCommand(app, &exit_code);
  ctxbench::AddSlurmCommand(app, &exit_code);
  ctxbench::AddListCommand(app, &exit_code);
  ctxbench::AddViewCommand(app, &exit_code);
  ctxbench::AddGradeCommand(app, &exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    std::string line = ctxbench::DescribeParseError(app, e);
    if (line.empty()) return app.exit(e) == 0 ? 0 : 2;
    std::fprintf(stderr, "ctxbench: %s\n", line.c_str());
    return 2;
  } catch (const ctxbench::Error& e) {
    std::fprintf(stderr, "ctxbench: %s\n", e.what());
    return e.exit_code();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ctxbench: %s\n", e.what());
    return 1;
  }
  return exit_code;
}
