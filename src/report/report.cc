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
  // The per-task comparisons depend on nothing below: they are computed on
  // another thread meanwhile (both sides only read r.run; the power memo they
  // share is thread-safe). Errors surface in the order of the serial code.
  std::future<std::vector<PairedComparison>> comparisons =
      std::async(std::launch::async, [&r] { return ComparePolicies(r.run, r.control); });
  try {
    r.pooled = ComparePoliciesAcrossTasks(r.run, r.control);
    r.family = AdjustForMultipleTests(r.pooled);
  } catch (...) {
    comparisons.wait();
    throw;
  }
  try {
    r.rankings = RankPolicies(r.run, r.pooled, r.control);
  } catch (...) {
    comparisons.get();  // its error first: it came first
    throw;
  }
  r.comparisons = comparisons.get();
  r.findings = Established(r.run, r.pooled, r.family, r.rankings, r.control);
  r.sim_only = !r.run.models.empty();
  for (const ModelInfo& m : r.run.models) r.sim_only &= m.kind == "sim";
  return r;
}

std::vector<std::string> WriteReport(const std::string& run_dir, const ReportOptions& options) {
  Report report = BuildReport(LoadRunData(run_dir), options);
  std::vector<std::string> written;
  for (const auto& writer : AllReportWriters()) {
    std::string name = writer->FileName();
    if (options.separate_files) {
      if (name.rfind("report.", 0) != 0) continue;  // the CSV files do not depend on it
      name = "report-vs-" + report.control + name.substr(6);
    }
    std::ostringstream out;
    writer->Write(report, out);
    std::string path = (std::filesystem::path(run_dir) / name).string();
    WriteFileAtomic(path, out.str());
    written.push_back(path);
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
