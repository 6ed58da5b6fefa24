// Pluggable report outputs (google/benchmark's reporter style): one writer per
// file format, each in its own .cc.
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "report/report.h"

namespace ctxbench {

class ReportWriter {
 public:
  virtual ~ReportWriter() = default;
  // The file it writes in the run folder, e.g. "report.md".
  virtual std::string FileName() const = 0;
  // Writes the whole file. Never throws for any content of `report`.
  virtual void Write(const Report& report, std::ostream& out) const = 0;
};

std::unique_ptr<ReportWriter> MakeMarkdownWriter();      // report.md
std::unique_ptr<ReportWriter> MakeHtmlWriter();          // report.html
std::unique_ptr<ReportWriter> MakeResultsCsvWriter();    // results.csv
std::unique_ptr<ReportWriter> MakeAggregateCsvWriter();  // aggregate.csv

// All of the above, in that order.
std::vector<std::unique_ptr<ReportWriter>> AllReportWriters();

}  // namespace ctxbench
