// report.md: the header, the headline findings and the tables.
#include "report/charts.h"
#include "report/grading_section.h"
#include "report/report_tables.h"
#include "report/report_writer.h"
#include "report/workspace_section.h"

namespace ctxbench {

namespace {

std::string EscapedCell(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += '\\';
    out += c == '\n' ? ' ' : c;
  }
  return out;
}

void MarkdownTable(const TextTable& t, std::ostream& out) {
  out << "|";
  for (const std::string& h : t.headers) out << " " << EscapedCell(h) << " |";
  out << "\n|";
  for (size_t i = 0; i < t.headers.size(); ++i) {
    out << (int(i) < t.label_columns ? " --- |" : " ---: |");
  }
  out << "\n";
  for (const auto& row : t.rows) {
    out << "|";
    for (const std::string& c : row) out << " " << EscapedCell(c) << " |";
    out << "\n";
  }
  out << "\n";
}

class MarkdownWriter : public ReportWriter {
 public:
  std::string FileName() const override { return "report.md"; }
  void Write(const Report& r, std::ostream& out) const override {
    out << "# ctxbench report: " << r.run.name << "\n\n"
        << "Which context policy gives the most reliable agent for the fewest tokens, and how "
           "sure are we? Control: "
        << r.control << (r.control_note.empty() ? "" : " (" + r.control_note + ")") << ".\n\n";
    out << "## Conditions\n\n";
    for (const auto& [name, value] : Conditions(r)) out << "- " << name << ": " << value << "\n";
    out << "\n";
    if (std::string notice = SimNotice(r); !notice.empty()) out << "> " << notice << "\n\n";
    if (std::string notice = ErrorsNotice(r); !notice.empty()) out << "> " << notice << "\n\n";
    out << "## The answer: policies pooled over tasks, " << kRankingRule << "\n\n"
        << "Δ = policy − " << r.control
        << " over the task × seed pairs both completed. Success: exact McNemar test, Newcombe "
           "interval; share of headroom: t interval, exact sign-flip test; tokens: geometric "
           "mean ratio with a t interval on the log scale. p-values Holm-adjusted across "
        << r.family.tests
        << " tests. Non-dominated: no other policy has at least its success and at most its "
           "tokens with a significant advantage (paired test, Holm-adjusted across the "
           "dominance tests of its model and mode, 5%). The figure (success vs "
           "tokens per model × mode) is in report.html.\n\n";
    for (const PolicyRanking& ranking : r.rankings) {
      out << "### model " << ModelLabel(r.run, ranking.model) << " · " << ranking.mode << "\n\n";
      MarkdownTable(RankedTable(r, ranking), out);
    }
    out << "## What is and is not established\n\n";
    for (size_t i = 0; i < r.findings.size(); ++i) out << (i ? " " : "") << r.findings[i];
    out << "\n\n## Run\n\n";
    for (const auto& [name, value] : HeaderFacts(r)) out << "- " << name << ": " << value << "\n";
    out << "\n## Per task: outcomes\n\n"
        << "Over seeds, complete episodes only (n); errors: episodes the infrastructure "
           "failed, in no statistic. Success: a valid final answer that meets the target, "
           "Wilson 95% interval. Improvement: best validation metric over the baseline, %; "
           "mean with a Student t 95% interval; median with the order-statistic interval, or "
           "with fewer than 6 seeds the observed range labelled with its coverage. Hidden test: "
           "test metric of the final config (never shown to the agent; empty where it did not "
           "run). Claim gap: mean |claimed − measured| validation metric (answers that claimed "
           "one). Missing values are empty.\n\n";
    MarkdownTable(OutcomeTable(r), out);
    out << "## Per task: cost, effort and reliability\n\n"
        << "Means over seeds. Tokens: prompt + completion of all LLM calls. Iterations to "
           "target: median over the episodes that reached it.\n\n";
    MarkdownTable(EfficiencyTable(r), out);
    out << "## Per task: paired comparisons against " << r.control << "\n\n"
        << "Same task, model, mode and seed, both complete (a pair with an errored side is "
           "dropped and counted). Δ = policy − "
        << r.control
        << ". The sign-flip test's smallest p is 2/2^k with k nonzero differences; a row that "
           "cannot reach 0.05 says so.\n\n";
    if (r.comparisons.empty()) {
      out << "No policy shares seeds with " << r.control << ".\n\n";
    } else {
      MarkdownTable(ComparisonTable(r), out);
    }
    if (TextTable w = WorkspaceTable(r); !w.rows.empty()) {
      out << "## Workspace tasks: edits, runs and tracebacks\n\n"
          << kWorkspaceSectionText << "\n\n";
      MarkdownTable(w, out);
    }
    if (TextTable g = GradingTable(r); !g.rows.empty()) {
      out << "## Competition grading: medals\n\n" << kGradingSectionText << "\n\n";
      MarkdownTable(g, out);
    }
    out << "## Files\n\n"
        << "- `report.html`: this report with the figures, per-task charts and per-episode "
           "links to the traces.\n"
        << "- `results.csv`: one row per episode, every outcome metric (missing values empty).\n"
        << "- `aggregate.csv`: one row per task × model × mode × policy.\n"
        << "- `traces/<episode_id>.jsonl`: every event of each episode.\n";
  }
};

}  // namespace

std::unique_ptr<ReportWriter> MakeMarkdownWriter() { return std::make_unique<MarkdownWriter>(); }

}  // namespace ctxbench
