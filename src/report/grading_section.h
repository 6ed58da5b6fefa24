// The report's competition grading section: per task × model × policy, the
// medals MLE-bench would give the final workspaces' submissions of imported
// competitions (ctxbench data import-mlebench) and how many beat the
// leaderboard's median. Shared by the Markdown and HTML writers; empty (no
// rows) for a run without graded competition tasks.
#pragma once

#include "report/report_tables.h"

namespace ctxbench {

TextTable GradingTable(const Report& report);

// The paragraph that explains the table's columns.
extern const char* const kGradingSectionText;

}  // namespace ctxbench
