// `ctxbench compare RUN_A RUN_B`: two runs side by side, as Markdown.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/commands.h"
#include "core/file.h"
#include "report/run_comparison.h"

namespace ctxbench {

void AddCompareCommand(CLI::App& app, int* /*exit_code*/) {
  struct Flags {
    std::string run_a, run_b, out;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* cmd = app.add_subcommand(
      "compare", "Compare two run folders side by side (e.g. two models on the same grid)");
  cmd->add_option("run_a", flags->run_a, "First run folder (A)")->required();
  cmd->add_option("run_b", flags->run_b, "Second run folder (B)")->required();
  cmd->add_option("--out", flags->out, "Also write the Markdown to this file");
  cmd->callback([flags] {
    std::string md = CompareRunsMarkdown(LoadRunData(flags->run_a), LoadRunData(flags->run_b));
    std::fwrite(md.data(), 1, md.size(), stdout);
    if (!flags->out.empty()) WriteFileAtomic(flags->out, md);
  });
}

}  // namespace ctxbench
