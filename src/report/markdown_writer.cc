// report.md: the header, the headline findings and the tables.
#include "report/report_tables.h"
#include "report/report_writer.h"
#include "report/workspace_section.h"

namespace ctxbench {

namespace {

std::string Cell(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

void Table(const TextTable& t, std::ostream& out) {
  out << "|";
  for (const std::string& h : t.headers) out << " " << Cell(h) << " |";
  out << "\n|";
  for (size_t i = 0; i < t.headers.size(); ++i) out << (i < 4 ? " --- |" : " ---: |");
  out << "\n";
  for (const auto& row : t.rows) {
    out << "|";
    for (const std::string& c : row) out << " " << Cell(c) << " |";
    out << "\n";
  }
  out << "\n";
}

class MarkdownWriter : public ReportWriter {
 public:
  std::string FileName() const override { return "report.md"; }
  void Write(const Report& r, std::ostream& out) const override {
    out << "# ctxbench report: " << r.run.name << "\n\n";
    for (const auto& [name, value] : HeaderFacts(r)) out << "- " << name << ": " << value << "\n";
    out << "\n";
    if (std::string notice = SimNotice(r); !notice.empty()) out << "> " << notice << "\n\n";
    if (std::string notice = ErrorsNotice(r); !notice.empty()) out << "> " << notice << "\n\n";
    out << "## Headline findings\n\n";
    if (r.findings.empty()) out << "No comparisons: the run has a single policy.\n";
    for (const std::string& f : r.findings) out << "- " << f << "\n";
    out << "\n## Outcomes per task × model × mode × policy\n\n"
        << "Over seeds, complete episodes only (n); errors: episodes the infrastructure "
           "failed, in no statistic. Success: target met, Wilson 95% interval. Improvement: best "
           "validation metric over the baseline, %, bootstrap 95% intervals (2000 resamples, "
           "fixed seed). Hidden test: test metric of the final config (never shown to the "
           "agent). Claim gap: mean |claimed − measured| validation metric (answers that "
           "claimed one).\n\n";
    Table(OutcomeTable(r), out);
    out << "## Cost, effort and reliability\n\n"
        << "Means over seeds. Tokens: prompt + completion of all LLM calls. Iterations to "
           "target: median over the episodes that reached it.\n\n";
    Table(EfficiencyTable(r), out);
    out << "## Paired comparisons against " << r.control << "\n\n"
        << "Same task, model, mode and seed, both complete (a pair with an errored side is "
           "dropped and counted); rows for \""
        << kAllTasks << "\" pool the pairs of every task. Δ = policy − " << r.control
        << ", mean over pairs; paired bootstrap 95% intervals; p: two-sided sign-flip "
           "permutation test (exact up to 16 pairs). With fewer than "
        << kMinPairsForTest << " pairs no p-value can fall below 0.05.\n\n";
    if (r.comparisons.empty()) {
      out << "No policy shares seeds with " << r.control << ".\n\n";
    } else {
      Table(ComparisonTable(r), out);
    }
    out << "## Efficiency: improvement vs tokens\n\n"
        << "A policy is Pareto-efficient when no other policy has at most its mean tokens "
           "and at least its mean improvement (strictly better in one).\n\n";
    Table(ParetoTable(r), out);
    if (TextTable w = WorkspaceTable(r); !w.rows.empty()) {
      out << "## Workspace tasks: edits, runs and tracebacks\n\n"
          << kWorkspaceSectionText << "\n\n";
      Table(w, out);
    }
    out << "## Files\n\n"
        << "- `report.html`: this report with plots and per-episode links to the traces.\n"
        << "- `results.csv`: one row per episode, every outcome metric.\n"
        << "- `aggregate.csv`: one row per task × model × mode × policy.\n"
        << "- `traces/<episode_id>.jsonl`: every event of each episode.\n";
  }
};

}  // namespace

std::unique_ptr<ReportWriter> MakeMarkdownWriter() { return std::make_unique<MarkdownWriter>(); }

}  // namespace ctxbench
