#include "report/report.h"

#include <algorithm>
#include <filesystem>
#include <future>
#include <sstream>

#include "core/file.h"
#include "report/findings.h"
#include "report/report_writer.h"

namespace ctxbench {

Report BuildReport(RunData run, const ReportOptions& options) {
  Report r;
  r.run = std::move(run);
  std::vector<std::string> present;
  for (const EpisodeData* e : r.run.Finished()) present.push_back(e->key.policy);
  auto has = [&](const std::string& p) {
    return std::find(present.begin(), present.end(), p) != present.end();
  };
  r.control = options.control_policy;
  if (!has(r.control)) {
    auto first = std::find_if(r.run.policies.begin(), r.run.policies.end(), has);
    std::string fallback = first != r.run.policies.end() ? *first
                           : present.empty()             ? ""
                                                         : present.front();
    r.control_note = "the run has no episodes of policy '" + r.control + "'; compared with '" +
                     fallback + "' instead";
    r.control = fallback;
  }
  r.groups = Aggregate(r.run);
  // The per-task comparisons and the rankings' dominance tests depend on
  // nothing below: they are computed on other threads meanwhile (all sides
  // only read r.run; the power memo they share is thread-safe), and the
  // rankings get their comparisons with the control once r.pooled exists.
  // Errors surface in the order of the serial code: pooled, comparisons,
  // rankings.
  std::future<std::vector<PairedComparison>> comparisons =
      std::async(std::launch::async, [&r] { return ComparePolicies(r.run, r.control); });
  std::future<std::vector<PolicyRanking>> rankings =
      std::async(std::launch::async, [&r] { return RankPolicies(r.run, {}, r.control); });
  try {
    r.pooled = ComparePoliciesAcrossTasks(r.run, r.control);
    r.family = AdjustForMultipleTests(r.pooled);
  } catch (...) {
    comparisons.wait();
    rankings.wait();
    throw;
  }
  try {
    r.comparisons = comparisons.get();
  } catch (...) {
    rankings.wait();
    throw;
  }
  r.rankings = rankings.get();
  AttachControlComparisons(r.rankings, r.pooled, r.control);
  r.findings = Established(r.run, r.pooled, r.family, r.rankings, r.control);
  r.sim_only = !r.run.models.empty();
  for (const ModelInfo& m : r.run.models) r.sim_only &= m.kind == "sim";
  return r;
}

std::vector<std::string> WriteReport(const std::string& run_dir, const ReportOptions& options) {
  Report report = BuildReport(LoadRunData(run_dir), options);
  std::vector<std::unique_ptr<ReportWriter>> writers;
  std::vector<std::string> paths;
  for (auto& writer : AllReportWriters()) {
    std::string name = writer->FileName();
    if (options.separate_files) {
      if (name.rfind("report.", 0) != 0) continue;  // the CSV files do not depend on it
      name = "report-vs-" + report.control + name.substr(6);
    }
    paths.push_back((std::filesystem::path(run_dir) / name).string());
    writers.push_back(std::move(writer));
  }
  // The files are rendered at once, each on its own thread (a writer only
  // reads the report), and written in order as they are ready: the same
  // files, and the same first error, as rendering and writing one by one.
  std::vector<std::future<std::string>> rendered;
  for (const auto& writer : writers) {
    rendered.push_back(std::async(std::launch::async, [&report, &writer] {
      std::ostringstream out;
      writer->Write(report, out);
      return std::move(out).str();
    }));
  }
  std::vector<std::string> written;
  for (size_t i = 0; i < writers.size(); ++i) {
    WriteFileAtomic(paths[i], rendered[i].get());
    written.push_back(paths[i]);
  }
  return written;
}

std::vector<std::unique_ptr<ReportWriter>> AllReportWriters() {
  std::vector<std::unique_ptr<ReportWriter>> out;
  out.push_back(MakeMarkdownWriter());
  out.push_back(MakeHtmlWriter());
  out.push_back(MakeResultsCsvWriter());
  out.push_back(MakeAggregateCsvWriter());
  return out;
}

}  // namespace ctxbench
