// Number formatting shared by the report writers. NaN prints as "n/a" (or ""
// in CSV), so an empty group never prints "nan".
#pragma once

#include <string>

#include "report/stats.h"

namespace ctxbench {

std::string FormatFixed(double value, int decimals);
// "+1.25" / "-0.50": a signed difference.
std::string FormatSigned(double value, int decimals);
// "[0.40, 0.89]"
std::string FormatInterval(const Interval& ci, int decimals, bool sign = false);
// A p-value to 3 significant digits: "0.0142", "0.125", "1"; "<0.001".
std::string FormatP(double p);
// "p=0.0142", "p<0.001": a p-value in a sentence.
std::string PEquals(double p);
// Thousands separated integer: "12,345".
std::string FormatCount(double value);
// CSV cell: shortest round-trip-ish form (%.10g), "" for NaN.
std::string CsvNumber(double value);
// Quotes a CSV cell if it needs it (RFC 4180).
std::string CsvCell(const std::string& text);

}  // namespace ctxbench
