// The report's tables as plain cells, shared by the Markdown and HTML writers
// so both always show the same numbers.
#pragma once

#include <string>
#include <vector>

#include "report/report.h"

namespace ctxbench {

struct TextTable {
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;
};

// Every table has an errors column (dropped pairs for comparisons): errored
// episodes are counted there and in no statistic.
// Success and improvement per group, with intervals.
TextTable OutcomeTable(const Report& report);
// Cost, effort and reliability per group.
TextTable EfficiencyTable(const Report& report);
// Paired comparisons against the control policy.
TextTable ComparisonTable(const Report& report);
// Per task × model × mode: each policy's mean tokens and improvement and
// whether it is on the Pareto frontier.
TextTable ParetoTable(const Report& report);

// The header facts: ("Run", "..."), ("Date", ...), ("Models", ...), ...
std::vector<std::pair<std::string, std::string>> HeaderFacts(const Report& report);

// The sentence that marks sim results, "" if no model of the run is a sim.
std::string SimNotice(const Report& report);
// The sentence saying how many episodes errored and that they are outside
// the statistics; "" if none did.
std::string ErrorsNotice(const Report& report);

}  // namespace ctxbench
