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
  int label_columns = 4;  // leading text columns (left-aligned); the rest are numbers
};

// Every table has an errors column (dropped pairs for comparisons): errored
// episodes are counted there and in no statistic.
// Success and improvement per group, with intervals.
TextTable OutcomeTable(const Report& report);
// Cost, effort and reliability per group.
TextTable EfficiencyTable(const Report& report);
// Paired comparisons against the control policy, per task (the pooled ones
// are the ranked tables).
TextTable ComparisonTable(const Report& report);
// The answer for one model × mode: the ranked policies (RankPolicies' order)
// with success, the paired differences from the control, tokens, cost,
// errors and the non-dominated mark. Missing values are empty cells.
TextTable RankedTable(const Report& report, const PolicyRanking& ranking);
// The conditions of the run, one ("Models", "...") pair per line, each
// policy's parameters on a line of its own ("policy window3", "window, max_turns 3").
std::vector<std::pair<std::string, std::string>> Conditions(const Report& report);

// The header facts: ("Run", "..."), ("Date", ...), ("Models", ...), ...
std::vector<std::pair<std::string, std::string>> HeaderFacts(const Report& report);

// The sentence that marks sim results, "" if no model of the run is a sim.
std::string SimNotice(const Report& report);
// The sentence saying how many episodes errored and that they are outside
// the statistics; "" if none did.
std::string ErrorsNotice(const Report& report);

}  // namespace ctxbench
