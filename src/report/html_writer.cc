// report.html: one self-contained page (inline CSS, SVG and one small inline
// script that sorts tables; no network). The first screen answers the
// question: conditions, one ranked table and one figure per model × mode,
// and what is and is not established. Below it, collapsed: per-task tables,
// the charts and the episodes.
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <set>

#include "report/charts.h"
#include "report/format.h"
#include "report/grading_section.h"
#include "report/report_tables.h"
#include "report/report_writer.h"
#include "report/workspace_section.h"

namespace ctxbench {

namespace {

// The episode's page in `ctxbench view` at its default address
// (docs/viewer.md#deep-links): the viewer names a run by its folder's name.
std::string ViewerEpisodeUrl(const std::string& run_dir, const std::string& episode_id) {
  auto encode = [](const std::string& text) {
    std::string out;
    for (unsigned char c : text) {
      if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
        out += static_cast<char>(c);
      } else {
        char hex[4];
        std::snprintf(hex, sizeof hex, "%%%02X", c);
        out += hex;
      }
    }
    return out;
  };
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::weakly_canonical(run_dir, ec);  // "." names it too
  if (ec) dir = run_dir;
  if (!dir.has_filename()) dir = dir.parent_path();  // "runs/x/" names x
  return "http://127.0.0.1:8765/#/run/" + encode(dir.filename().string()) + "/episode/" +
         encode(episode_id);
}

constexpr const char* kStyle = R"(
body{font-family:"DejaVu Sans",Arial,sans-serif;margin:10px auto;max-width:1260px;padding:0 10px;color:#111;line-height:1.35}
h1{font-size:20px;margin:0 0 2px}h2{font-size:16px;margin:14px 0 4px;border-bottom:1px solid #ccc}
h3{font-size:13px;margin:0 0 2px}
p.question{margin:0 0 6px;font-size:13px;color:#333}
dl.cond{display:grid;grid-template-columns:max-content auto max-content auto;gap:0 10px;font-size:11.5px;margin:0}
dl.cond dt{font-weight:bold}dl.cond dd{margin:0}
dl.facts{display:grid;grid-template-columns:max-content auto;gap:2px 14px;font-size:13px}
dl.facts dt{font-weight:bold}dl.facts dd{margin:0}
.notice{background:#fff4d6;border-left:4px solid #E69F00;padding:3px 8px;font-size:11.5px;margin:4px 0}
.answer-block{display:flex;gap:10px;align-items:flex-start;margin-bottom:6px}
.answer-table{flex:1 1 auto;min-width:0}
.answer-figure{flex:0 0 400px}.answer-figure svg.chart{width:400px;height:auto}
table{border-collapse:collapse;font-size:12px;margin:4px 0 10px}
table.ranked{font-size:11px;line-height:1.2}table.ranked td,table.ranked th{padding:1px 4px}
table.ranked td{white-space:pre-line}
th,td{border:1px solid #ccc;padding:3px 6px;text-align:right;white-space:nowrap}
table.ranked th{white-space:normal;vertical-align:bottom}
th{background:#f2f2f2;cursor:pointer}td.l,th.l{text-align:left}
.charts{display:flex;flex-wrap:wrap;gap:12px}
svg.chart{border:1px solid #ddd;max-width:100%;height:auto}
p.expl{font-size:12.5px;max-width:1100px;margin:2px 0 4px}
#established p{font-size:13px;max-width:1200px}
.scroll{overflow-x:auto;max-width:100%}
details{margin:6px 0}details>summary{font-size:15px;font-weight:bold;cursor:pointer;padding:4px 0}
)";

// Sorts a table by the clicked header: numbers by their leading value, else text.
constexpr const char* kSortScript = R"(
document.querySelectorAll('table.sortable th').forEach(function(th){th.addEventListener('click',function(){
var t=th.closest('table'),i=Array.prototype.indexOf.call(th.parentNode.children,th),b=t.tBodies[0];
var rows=Array.prototype.slice.call(b.rows),dir=th.dataset.dir==='asc'?-1:1;th.dataset.dir=dir>0?'asc':'desc';
function key(r){var s=(r.cells[i]||{}).textContent||'',m=s.replace(/,/g,'').match(/^[+\-]?\d+(\.\d+)?/);return m?parseFloat(m[0]):s;}
rows.sort(function(x,y){var a=key(x),c=key(y);if(a===''&&c!=='')return 1;if(c===''&&a!=='')return -1;
return (typeof a==='number'&&typeof c==='number'?a-c:String(a).localeCompare(String(c)))*dir;});
rows.forEach(function(r){b.appendChild(r);});});});
)";

std::string Esc(const std::string& s) { return XmlEscape(s); }

void HtmlTable(const TextTable& t, std::ostream& out, const std::string& cls = "") {
  out << "<div class=\"scroll\"><table class=\"sortable" << (cls.empty() ? "" : " " + cls)
      << "\">\n<thead><tr>";
  for (size_t i = 0; i < t.headers.size(); ++i) {
    out << "<th" << (int(i) < t.label_columns ? " class=\"l\"" : "") << ">" << Esc(t.headers[i])
        << "</th>";
  }
  out << "</tr></thead>\n<tbody>\n";
  for (const auto& row : t.rows) {
    out << "<tr>";
    for (size_t i = 0; i < row.size(); ++i) {
      out << "<td" << (int(i) < t.label_columns ? " class=\"l\"" : "") << ">" << Esc(row[i])
          << "</td>";
    }
    out << "</tr>\n";
  }
  out << "</tbody></table></div>\n";
}

void ChartSection(std::ostream& out, const std::string& id, const std::string& title,
                  const std::string& explanation, const std::vector<std::string>& svgs) {
  out << "<details>\n<summary>" << Esc(title) << "</summary>\n<section id=\"" << id
      << "\" class=\"chart-section\">\n<p class=\"expl\">" << Esc(explanation)
      << "</p>\n<div class=\"charts\">\n";
  for (const std::string& svg : svgs) out << svg;
  out << "</div>\n</section>\n</details>\n";
}

void ConditionsSection(const Report& r, std::ostream& out) {
  out << "<section id=\"conditions\">\n<h2>Conditions</h2>\n<dl class=\"cond\">\n";
  for (const auto& [name, value] : Conditions(r)) {
    out << "<dt>" << Esc(name) << "</dt><dd>" << Esc(value) << "</dd>\n";
  }
  out << "</dl>\n";
  for (const std::string& notice : {SimNotice(r), ErrorsNotice(r)}) {
    if (!notice.empty()) out << "<p class=\"notice\">" << Esc(notice) << "</p>\n";
  }
  out << "</section>\n";
}

void AnswerSection(const Report& r, std::ostream& out) {
  out << "<section id=\"answer\">\n<h2>The answer: policies pooled over tasks, "
      << Esc(kRankingRule) << "</h2>\n";
  if (r.rankings.empty()) out << "<p>No complete episodes.</p>\n";
  for (const PolicyRanking& ranking : r.rankings) {
    out << "<div class=\"answer-block\">\n<div class=\"answer-table\">\n<h3>"
        << Esc("model " + ModelLabel(r.run, ranking.model) + " · " + ranking.mode) << "</h3>\n";
    HtmlTable(RankedTable(r, ranking), out, "ranked");
    out << "</div>\n<div class=\"answer-figure\">\n"
        << RenderXYChart(AnswerChart(r.run, ranking)) << "</div>\n</div>\n";
  }
  out << "<p class=\"expl\">Δ = policy − " << Esc(r.control)
      << " over the task × seed pairs both completed. Success: exact McNemar test, Newcombe "
         "interval; share of headroom: t interval, exact sign-flip test; tokens: geometric mean "
         "ratio with a t interval on the log scale. Holm-adjusted across "
      << r.family.tests << " tests. Errors: episodes the infrastructure failed, in no statistic."
      << "</p>\n</section>\n";
}

class HtmlWriter : public ReportWriter {
 public:
  std::string FileName() const override { return "report.html"; }
  void Write(const Report& r, std::ostream& out) const override {
    const RunData& run = r.run;
    out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>"
        << Esc("ctxbench report: " + run.name) << "</title>\n<style>" << kStyle
        << "</style>\n</head>\n<body>\n<header>\n<h1>" << Esc("ctxbench report: " + run.name)
        << "</h1>\n<p class=\"question\">Which context policy gives the most reliable agent for "
           "the fewest tokens, and how sure are we? (control: "
        << Esc(r.control + (r.control_note.empty() ? "" : "; " + r.control_note)) << "; run "
        << Esc(run.run_id + ", " + run.status) << ")</p>\n</header>\n";
    ConditionsSection(r, out);
    AnswerSection(r, out);
    out << "<section id=\"established\">\n<h2>What is and is not established</h2>\n<p>";
    for (size_t i = 0; i < r.findings.size(); ++i) {
      out << (i ? " " : "") << Esc(r.findings[i]);
    }
    out << "</p>\n</section>\n";

    out << "<details>\n<summary>Run</summary>\n<dl class=\"facts\">\n";
    for (const auto& [name, value] : HeaderFacts(r)) {
      out << "<dt>" << Esc(name) << "</dt><dd>" << Esc(value) << "</dd>\n";
    }
    out << "<dt>ctxbench</dt><dd>" << Esc(run.version) << "</dd>\n</dl>\n</details>\n";
    out << "<details>\n<summary>Per task: outcomes</summary>\n<section id=\"tables\">\n"
        << "<p class=\"expl\">Over seeds, complete episodes only (n); errors: episodes the "
           "infrastructure failed, in no statistic. Success: Wilson 95% intervals; mean "
           "improvement: Student t 95% intervals; median: order-statistic interval, or with "
           "fewer than 6 seeds the observed range, labelled with its coverage; hidden test: "
           "test metric of the final config (empty where it did not run). Click a header to "
           "sort.</p>\n";
    HtmlTable(OutcomeTable(r), out);
    out << "</section>\n</details>\n<details>\n<summary>Per task: cost, effort and "
           "reliability</summary>\n";
    HtmlTable(EfficiencyTable(r), out);
    out << "</details>\n<details>\n<summary>Per task: paired comparisons against " << Esc(r.control)
        << "</summary>\n"
        << "<p class=\"expl\">Δ = policy − " << Esc(r.control)
        << ". Same task and seed, both complete (a pair with an errored side is dropped and "
           "counted). The smallest p the sign-flip test can give is 2/2^k with k nonzero "
           "differences; a row that cannot reach 0.05 says so.</p>\n";
    HtmlTable(ComparisonTable(r), out);
    out << "</details>\n";
    if (TextTable w = WorkspaceTable(r); !w.rows.empty()) {
      out << "<details>\n<summary id=\"workspace\">Workspace tasks: edits, runs and "
             "tracebacks</summary>\n<p class=\"expl\">"
          << Esc(kWorkspaceSectionText) << "</p>\n";
      HtmlTable(w, out);
      out << "</details>\n";
    }
    if (TextTable g = GradingTable(r); !g.rows.empty()) {
      out << "<details open>\n<summary id=\"grading\">Competition grading: medals</summary>\n"
             "<p class=\"expl\">"
          << Esc(kGradingSectionText) << "</p>\n";
      HtmlTable(g, out);
      out << "</details>\n";
    }

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
    ChartSection(out, "success", "Per task: success rate per policy",
                 "Share of seeds whose final answer was valid and met the target, with Wilson "
                 "95% intervals.",
                 success);
    ChartSection(out, "best-by-iteration", "Per task: best-so-far vs iteration",
                 "Best validation metric found up to each iteration (0 = the baseline); dotted: "
                 "the task's target.",
                 by_iter);
    ChartSection(out, "best-by-tokens", "Per task: best-so-far vs cumulative tokens",
                 "Best validation metric found against tokens spent on all LLM calls; dotted: "
                 "the target.",
                 by_tokens);
    ChartSection(out, "context-size", "Per task: context size per step",
                 "Tokens of the context each policy built for each model call; dotted: the "
                 "context budget.",
                 context);
    ChartSection(out, "efficiency", "Per task: improvement vs tokens",
                 "Each policy's episodes and mean; the dashed line joins the policies whose means "
                 "no other policy's means dominate (no test: see the answer above).",
                 efficiency);

    out << "<details>\n<summary>Episodes</summary>\n<section id=\"episodes\">\n"
        << "<div class=\"scroll\"><table class=\"sortable\">\n"
        << "<thead><tr><th class=\"l\">episode (in ctxbench view)</th><th class=\"l\">status</th>"
           "<th class=\"l\">stop rule</th><th>success</th><th>improvement %</th>"
           "<th>tokens</th><th>iterations</th><th>steps</th></tr></thead>\n<tbody>\n";
    for (const EpisodeData* episode : run.Finished()) {
      const EpisodeData& e = *episode;
      const Outcome& o = e.outcome;
      bool counted = o.status == EpisodeStatus::kComplete;  // errored ones are no result
      std::string id = e.key.Id();
      out << "<tr><td class=\"l\"><a href=\"" << Esc(ViewerEpisodeUrl(run.dir, id)) << "\">"
          << Esc(id) << "</a></td><td class=\"l\""
          << (o.error.empty() ? "" : " title=\"" + Esc(o.error) + "\"") << ">"
          << Esc(EpisodeStatusName(o.status)) << "</td><td class=\"l\">"
          << Esc(o.stop_rule ? StopRuleName(*o.stop_rule) : "") << "</td><td>"
          << (counted ? (o.success ? "yes" : "no") : "") << "</td><td>"
          << (counted ? FormatSigned(o.improvement_pct, 2) : "") << "</td><td>" << e.total_tokens()
          << "</td><td>" << o.iterations << "</td><td>" << o.steps << "</td></tr>\n";
    }
    out << "</tbody></table></div>\n</section>\n</details>\n<script>" << kSortScript
        << "</script>\n</body>\n</html>\n";
  }
};

}  // namespace

std::unique_ptr<ReportWriter> MakeHtmlWriter() { return std::make_unique<HtmlWriter>(); }

}  // namespace ctxbench
