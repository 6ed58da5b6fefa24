// Reading CSV text: RFC 4180 quoting ("a,b" and "" escapes), CRLF or LF line
// ends, a header row. An empty cell is a missing value.
#pragma once

#include <string>
#include <vector>

namespace ctxbench {

struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;  // each row has header.size() cells

  // Index of `column` in the header, or -1.
  int ColumnIndex(const std::string& column) const;
};

// Parses `text`; `source` names the file in errors ("data.csv: line 7: expected
// 5 cells, got 4"). Throws an input error on ragged rows or an unterminated quote.
CsvTable ParseCsv(const std::string& text, const std::string& source);
// Reads and parses a file; throws an input error naming the path.
CsvTable ReadCsvFile(const std::string& path);

// One CSV line (with '\n') from `cells`, quoting cells that need it.
std::string CsvLine(const std::vector<std::string>& cells);

}  // namespace ctxbench
