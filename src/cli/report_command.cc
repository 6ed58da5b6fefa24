// `ctxbench report RUN_DIR`: (re)write a run folder's report files.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/commands.h"
#include "report/report.h"

namespace ctxbench {

void AddReportCommand(CLI::App& app, int* /*exit_code*/) {
  struct Flags {
    std::string run_dir;
    ReportOptions options;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* cmd = app.add_subcommand(
      "report", "Write report.html, report.md, results.csv and aggregate.csv into a run folder");
  cmd->add_option("run_dir", flags->run_dir, "The run folder (holds results.db)")->required();
  cmd->add_option("--control", flags->options.control_policy,
                  "Policy the others are compared with on the same seeds; when given, the "
                  "report is written to report-vs-<policy>.html and .md, leaving the run's own "
                  "report as it is")
      ->capture_default_str();
  cmd->callback([flags, cmd] {
    flags->options.separate_files = cmd->count("--control") > 0;
    for (const std::string& path : WriteReport(flags->run_dir, flags->options)) {
      std::printf("%s\n", path.c_str());
    }
  });
}

}  // namespace ctxbench
