// The report's workspace section: per task × model × policy, the edit-run-fix
// loop of workspace episodes (runs, failures, tracebacks seen and fixed) and
// the final workspace's validation and hidden test metrics. Shared by the
// Markdown and HTML writers; empty (no rows) for a run without workspace tasks.
#pragma once

#include "report/report_tables.h"

namespace ctxbench {

TextTable WorkspaceTable(const Report& report);

// The paragraph that explains the table's columns.
extern const char* const kWorkspaceSectionText;

}  // namespace ctxbench
