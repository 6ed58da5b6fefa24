#include "console/text.h"

#include <cstdio>

namespace ctxbench {

namespace {

// Length of the UTF-8 sequence starting with `lead`, 0 if it cannot start one.
size_t SequenceLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

}  // namespace

std::string SanitizeLine(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    size_t n = SequenceLength(c);
    bool valid = n > 0 && i + n <= text.size();
    for (size_t k = 1; valid && k < n; ++k) {
      valid = IsContinuation(static_cast<unsigned char>(text[i + k]));
    }
    if (!valid) {
      out += '?';
      ++i;
      continue;
    }
    if (n == 1) {
      out += (c < 0x20 || c == 0x7F) ? ' ' : static_cast<char>(c);
    } else if (n == 2 && c == 0xC2 && static_cast<unsigned char>(text[i + 1]) < 0xA0) {
      out += ' ';  // C1 controls (U+0080..U+009F), CSI among them
    } else {
      out.append(text, i, n);
    }
    i += n;
  }
  return out;
}

size_t Columns(const std::string& text) {
  size_t n = 0;
  for (char c : text) n += !IsContinuation(static_cast<unsigned char>(c));
  return n;
}

std::string FitColumns(const std::string& text, size_t columns) {
  if (Columns(text) <= columns) return text;
  if (columns == 0) return "";
  size_t kept = 0, i = 0;
  while (i < text.size() && kept < columns - 1) {
    ++i;
    while (i < text.size() && IsContinuation(static_cast<unsigned char>(text[i]))) ++i;
    ++kept;
  }
  return text.substr(0, i) + "~";
}

std::string PadColumns(const std::string& text, size_t columns) {
  std::string fit = FitColumns(text, columns);
  return fit + std::string(columns - Columns(fit), ' ');
}

std::string FormatCount(int64_t n) {
  char buf[32];
  double v = static_cast<double>(n);
  if (n < 1000 && n > -1000) {
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(n));
  } else if (n < 1000000 && n > -1000000) {
    std::snprintf(buf, sizeof buf, "%.1fk", v / 1e3);
  } else {
    std::snprintf(buf, sizeof buf, "%.2fM", v / 1e6);
  }
  return buf;
}

}  // namespace ctxbench
