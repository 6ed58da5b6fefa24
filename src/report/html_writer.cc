// report.html: one self-contained page (inline CSS and SVG, no scripts, no
// network): header, findings, tables, one section per kind of chart, and the
// episodes with links to their traces.
#include <set>

#include "report/charts.h"
#include "report/format.h"
#include "report/report_tables.h"
#include "report/report_writer.h"
#include "report/workspace_section.h"

namespace ctxbench {

namespace {

constexpr const char* kStyle = R"(
body{font-family:"DejaVu Sans",Arial,sans-serif;margin:24px auto;max-width:1340px;color:#111;line-height:1.4}
h1{font-size:24px;margin-bottom:4px}h2{font-size:19px;margin-top:32px;border-bottom:1px solid #ccc}
dl.facts{display:grid;grid-template-columns:max-content auto;gap:2px 14px;font-size:14px}
dl.facts dt{font-weight:bold}dl.facts dd{margin:0}
.notice{background:#fff4d6;border-left:4px solid #E69F00;padding:8px 12px;font-size:14px}
table{border-collapse:collapse;font-size:12.5px;margin:8px 0 16px}
th,td{border:1px solid #ccc;padding:3px 6px;text-align:right;white-space:nowrap}
th{background:#f2f2f2}td.l,th.l{text-align:left}
.charts{display:flex;flex-wrap:wrap;gap:12px}
svg.chart{border:1px solid #ddd}
p.expl{font-size:14px;max-width:1000px}
.scroll{overflow-x:auto}
)";

std::string Esc(const std::string& s) { return XmlEscape(s); }

void Table(const TextTable& t, std::ostream& out) {
  out << "<div class=\"scroll\"><table>\n<tr>";
  for (size_t i = 0; i < t.headers.size(); ++i) {
    out << "<th" << (i < 4 ? " class=\"l\"" : "") << ">" << Esc(t.headers[i]) << "</th>";
  }
  out << "</tr>\n";
  for (const auto& row : t.rows) {
    out << "<tr>";
    for (size_t i = 0; i < row.size(); ++i) {
      out << "<td" << (i < 4 ? " class=\"l\"" : "") << ">" << Esc(row[i]) << "</td>";
    }
    out << "</tr>\n";
  }
  out << "</table></div>\n";
}

void ChartSection(std::ostream& out, const std::string& id, const std::string& title,
                  const std::string& explanation, const std::vector<std::string>& svgs) {
  out << "<section id=\"" << id << "\" class=\"chart-section\">\n<h2>" << Esc(title)
      << "</h2>\n<p class=\"expl\">" << Esc(explanation) << "</p>\n<div class=\"charts\">\n";
  for (const std::string& svg : svgs) out << svg;
  out << "</div>\n</section>\n";
}

class HtmlWriter : public ReportWriter {
 public:
  std::string FileName() const override { return "report.html"; }
  void Write(const Report& r, std::ostream& out) const override {
    const RunData& run = r.run;
    out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>"
        << Esc("ctxbench report: " + run.name) << "</title>\n<style>" << kStyle
        << "</style>\n</head>\n<body>\n<header>\n<h1>" << Esc("ctxbench report: " + run.name)
        << "</h1>\n<dl class=\"facts\">\n";
    for (const auto& [name, value] : HeaderFacts(r)) {
      out << "<dt>" << Esc(name) << "</dt><dd>" << Esc(value) << "</dd>\n";
    }
    out << "<dt>ctxbench</dt><dd>" << Esc(run.version) << "</dd>\n</dl>\n";
    for (const std::string& notice : {SimNotice(r), ErrorsNotice(r)}) {
      if (!notice.empty()) out << "<p class=\"notice\">" << Esc(notice) << "</p>\n";
    }
    out << "</header>\n<section id=\"findings\">\n<h2>Headline findings</h2>\n<ul>\n";
    for (const std::string& f : r.findings) out << "<li>" << Esc(f) << "</li>\n";
    if (r.findings.empty()) out << "<li>No comparisons: the run has a single policy.</li>\n";
    out << "</ul>\n</section>\n<section id=\"tables\">\n<h2>Outcomes</h2>\n"
        << "<p class=\"expl\">Over seeds, complete episodes only (n); errors: episodes the "
           "infrastructure failed, in no statistic. Success: Wilson 95% intervals; improvement: "
           "bootstrap 95% intervals (fixed seed); hidden test: test metric of the final "
           "config.</p>\n";
    Table(OutcomeTable(r), out);
    out << "<h2>Cost, effort and reliability</h2>\n";
    Table(EfficiencyTable(r), out);
    out << "<h2>Paired comparisons against " << Esc(r.control) << "</h2>\n"
        << "<p class=\"expl\">Same task and seed, both complete (a pair with an errored side "
           "is dropped and counted); rows for &ldquo;"
        << kAllTasks
        << "&rdquo; pool the pairs of every task. Paired bootstrap 95% intervals; two-sided "
           "sign-flip permutation p-values. Fewer than "
        << kMinPairsForTest << " pairs: too few seeds to say anything.</p>\n";
    Table(ComparisonTable(r), out);
    out << "<h2>Efficiency: Pareto frontier</h2>\n";
    Table(ParetoTable(r), out);
    if (TextTable w = WorkspaceTable(r); !w.rows.empty()) {
      out << "<h2 id=\"workspace\">Workspace tasks: edits, runs and tracebacks</h2>\n"
          << "<p class=\"expl\">" << Esc(kWorkspaceSectionText) << "</p>\n";
      Table(w, out);
    }
    out << "</section>\n";

    std::vector<Panel> panels = Panels(run);
    std::vector<std::string> success, by_iter, by_tokens, context, efficiency;
    std::set<std::pair<std::string, std::string>> task_models;
    for (const Panel& p : panels) {
      if (task_models.insert({p.task, p.model}).second) {
        success.push_back(RenderIntervalChart(SuccessChart(run, p.task, p.model)));
      }
      by_iter.push_back(RenderXYChart(BestByIterationChart(run, p)));
      by_tokens.push_back(RenderXYChart(BestByTokensChart(run, p)));
      context.push_back(RenderXYChart(ContextByStepChart(run, p)));
      efficiency.push_back(RenderXYChart(EfficiencyChart(run, p)));
    }
    ChartSection(out, "success", "Success rate per policy",
                 "Share of seeds whose final answer met the target, with Wilson 95% intervals.",
                 success);
    ChartSection(out, "best-by-iteration", "Best-so-far vs iteration",
                 "Best validation metric found up to each iteration (0 = the baseline).", by_iter);
    ChartSection(out, "best-by-tokens", "Best-so-far vs cumulative tokens",
                 "Best validation metric found against tokens spent on all LLM calls.", by_tokens);
    ChartSection(out, "context-size", "Context size per step",
                 "Tokens of the context each policy built for each model call.", context);
    ChartSection(out, "efficiency", "Improvement vs tokens",
                 "Each policy's episodes and mean; the dashed line joins the Pareto-efficient "
                 "policies.",
                 efficiency);

    out << "<section id=\"episodes\">\n<h2>Episodes</h2>\n<div class=\"scroll\"><table>\n"
        << "<tr><th class=\"l\">episode (trace)</th><th class=\"l\">status</th>"
           "<th class=\"l\">stop rule</th><th>success</th><th>improvement %</th>"
           "<th>tokens</th><th>iterations</th><th>steps</th></tr>\n";
    for (const EpisodeData* episode : run.Finished()) {
      const EpisodeData& e = *episode;
      bool counted = e.status == "complete";  // errored ones are no result
      std::string id = e.key.Id();
      out << "<tr><td class=\"l\"><a href=\"traces/" << Esc(id) << ".jsonl\">" << Esc(id)
          << "</a></td><td class=\"l\""
          << (e.error.empty() ? "" : " title=\"" + Esc(e.error) + "\"") << ">" << Esc(e.status)
          << "</td><td class=\"l\">" << Esc(e.stop_rule) << "</td><td>"
          << (counted ? (e.success ? "yes" : "no") : "n/a") << "</td><td>"
          << (counted ? FormatSigned(e.improvement_pct, 2) : "n/a") << "</td><td>"
          << e.total_tokens() << "</td><td>" << e.iterations << "</td><td>" << e.steps
          << "</td></tr>\n";
    }
    out << "</table></div>\n</section>\n</body>\n</html>\n";
  }
};

}  // namespace

std::unique_ptr<ReportWriter> MakeHtmlWriter() { return std::make_unique<HtmlWriter>(); }

}  // namespace ctxbench
