#include "tasks/csv.h"

#include "core/error.h"
#include "core/file.h"

namespace ctxbench {

int CsvTable::ColumnIndex(const std::string& column) const {
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i] == column) return static_cast<int>(i);
  }
  return -1;
}

CsvTable ParseCsv(const std::string& text, const std::string& source) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> row;
  std::string cell;
  bool in_quotes = false;
  bool field_start = true;   // nothing of the current cell read yet
  bool after_quote = false;  // the current cell's closing quote was read
  bool row_has_content = false;
  size_t line = 1, quote_line = 0;
  size_t i = 0;
  if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) i = 3;  // UTF-8 byte-order mark
  auto end_cell = [&] {
    row.push_back(std::move(cell));
    cell.clear();
    field_start = true;
    after_quote = false;
  };
  auto end_row = [&] {
    end_cell();
    if (row_has_content || row.size() > 1 || !row[0].empty()) records.push_back(std::move(row));
    row.clear();
    row_has_content = false;
  };
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          cell += '"';
          ++i;
        } else {
          in_quotes = false;
          after_quote = true;
        }
      } else {
        if (c == '\n') ++line;
        cell += c;  // commas, CR and LF inside quotes are data
      }
      continue;
    }
    bool line_end = c == '\n' || (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n');
    if (after_quote && c != ',' && !line_end) {
      // RFC 4180: a quoted field ends at its closing quote.
      ThrowInput(source, "line " + std::to_string(line) +
                             ": text after the closing quote of a field (write \"\" for a quote "
                             "inside a quoted field)");
    }
    if (c == '"' && field_start) {
      in_quotes = true;
      row_has_content = true;
      quote_line = line;
      field_start = false;
    } else if (c == ',') {
      end_cell();
    } else if (c == '\r' && line_end) {
      continue;  // the LF ends the row
    } else if (c == '\n') {
      end_row();
      ++line;
    } else {
      cell += c;  // a quote inside an unquoted field is taken as it is
      field_start = false;
    }
  }
  if (in_quotes) {
    ThrowInput(source, "unterminated quote starting on line " + std::to_string(quote_line));
  }
  if (!cell.empty() || !row.empty() || row_has_content) end_row();
  if (records.empty()) ThrowInput(source, "empty CSV file (expected a header row)");

  CsvTable table;
  table.header = std::move(records[0]);
  for (size_t r = 1; r < records.size(); ++r) {
    if (records[r].size() != table.header.size()) {
      ThrowInput(source, "data row " + std::to_string(r) + ": expected " +
                             std::to_string(table.header.size()) + " cells, got " +
                             std::to_string(records[r].size()));
    }
    table.rows.push_back(std::move(records[r]));
  }
  return table;
}

CsvTable ReadCsvFile(const std::string& path) { return ParseCsv(ReadFile(path), path); }

std::string CsvLine(const std::vector<std::string>& cells) {
  std::string out;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) out += ',';
    const std::string& c = cells[i];
    if (c.find_first_of(",\"\r\n") == std::string::npos) {
      out += c;
      continue;
    }
    out += '"';
    for (char ch : c) {
      if (ch == '"') out += '"';
      out += ch;
    }
    out += '"';
  }
  out += '\n';
  return out;
}

}  // namespace ctxbench
