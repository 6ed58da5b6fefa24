#include "report/format.h"

#include <cmath>
#include <cstdio>

namespace ctxbench {

std::string FormatFixed(double value, int decimals) {
  if (!std::isfinite(value)) return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  std::string s = buf;
  if (s.find_first_not_of("-0.") == std::string::npos && s[0] == '-') s.erase(0, 1);  // "-0.0"
  return s;
}

std::string FormatSigned(double value, int decimals) {
  std::string s = FormatFixed(value, decimals);
  if (s == "n/a" || s[0] == '-' || s.find_first_not_of("0.") == std::string::npos) return s;
  return "+" + s;
}

std::string FormatInterval(const Interval& ci, int decimals, bool sign) {
  auto f = [&](double v) { return sign ? FormatSigned(v, decimals) : FormatFixed(v, decimals); };
  if (!std::isfinite(ci.lo) || !std::isfinite(ci.hi)) return "n/a";
  return "[" + f(ci.lo) + ", " + f(ci.hi) + "]";
}

std::string FormatP(double p) {
  if (!std::isfinite(p)) return "n/a";
  if (p < 0.001) return "<0.001";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", p);  // 0.0142, 0.125, 0.5, 1
  return buf;
}

std::string PEquals(double p) {
  std::string f = FormatP(p);
  return f[0] == '<' ? "p" + f : "p=" + f;
}

std::string FormatCount(double value) {
  if (!std::isfinite(value)) return "n/a";
  long long v = std::llround(value);
  std::string digits = std::to_string(v < 0 ? -v : v);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return v < 0 ? "-" + out : out;
}

std::string CsvNumber(double value) {
  if (!std::isfinite(value)) return "";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", value);
  return buf;
}

std::string CsvCell(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace ctxbench
