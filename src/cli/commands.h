// Subcommands of the ctxbench CLI, one file each. Each Add*Command registers
// its subcommand on `app`; the callback throws ctxbench::Error on bad input
// (CliMain prints it and exits 2) and sets `*exit_code` when it finishes with
// a non-zero status of its own.
#pragma once

namespace CLI {
class App;
}

namespace ctxbench {

void AddRunCommand(CLI::App& app, int* exit_code);     // run_command.cc
void AddDataCommand(CLI::App& app, int* exit_code);    // data_command.cc
void AddTokensCommand(CLI::App& app, int* exit_code);  // tokens_command.cc
void AddReportCommand(CLI::App& app, int* exit_code);  // report_command.cc
void AddCompareCommand(CLI::App& app, int* exit_code);  // compare_command.cc
void AddTrainCommand(CLI::App& app, int* exit_code);    // train_command.cc
void AddMergeCommand(CLI::App& app, int* exit_code);    // merge_command.cc
void AddSlurmCommand(CLI::App& app, int* exit_code);    // slurm_command.cc
void AddListCommand(CLI::App& app, int* exit_code);     // list_command.cc
void AddViewCommand(CLI::App& app, int* exit_code);     // view_command.cc
void AddGradeCommand(CLI::App& app, int* exit_code);    // grade_command.cc

}  // namespace ctxbench
