// A run's report: the statistics computed from a run folder, and the files
// written from them (report.html, report.md, results.csv, aggregate.csv).
//
// Error channel: throws ctxbench::Error (input: not a run folder; runtime: a
// file cannot be written), like the rest of the run's I/O.
#pragma once

#include <string>
#include <vector>

#include "report/aggregate.h"
#include "report/findings.h"
#include "report/policy_comparison.h"
#include "report/ranking.h"
#include "report/run_data.h"

namespace ctxbench {

struct ReportOptions {
  // Policy the others are compared with on the same seeds. If the run has no
  // such policy, the first policy of the config is the control (and the report
  // says so).
  std::string control_policy = "full";
  // When set (`ctxbench report --control X`), report.html and report.md are
  // written as report-vs-<control>.html / .md beside the run's own report,
  // which is left as it is; the CSV files do not depend on the control.
  bool separate_files = false;
};

struct Report {
  RunData run;
  std::string control;       // the control policy actually used
  std::string control_note;  // why it differs from the requested one, if it does
  std::vector<GroupStats> groups;
  // Pooled over tasks per model × mode × policy (the answer), with the Holm
  // adjustment set; then per task (the detail).
  std::vector<PairedComparison> pooled;
  std::vector<PairedComparison> comparisons;
  TestFamily family;
  std::vector<PolicyRanking> rankings;  // one per model × mode
  // "What is and is not established", generated from the tests.
  std::vector<std::string> findings;
  bool sim_only = false;  // every model of the run is the built-in sim
};

Report BuildReport(RunData run, const ReportOptions& options = {});

// Loads `run_dir`, builds the report and writes every ReportWriter's file into
// the folder (atomically; with separate_files only report-vs-<control>.html
// and .md). Returns the paths written.
std::vector<std::string> WriteReport(const std::string& run_dir, const ReportOptions& options = {});

}  // namespace ctxbench
