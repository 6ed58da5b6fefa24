#include "llm/tokenizer/utf8.h"

#include <cstdint>

namespace ctxbench {
namespace {

// Length of the well-formed prefix of the sequence starting at `p` (which
// holds `n` > 0 bytes): the whole sequence length when it is well-formed,
// otherwise 0 with `*bad` set to the maximal subpart to replace (>= 1).
size_t SequenceLength(const unsigned char* p, size_t n, size_t* bad) {
  unsigned char b = p[0];
  if (b < 0x80) return 1;
  size_t len;
  unsigned char lo = 0x80, hi = 0xBF;  // range of the second byte
  if (b >= 0xC2 && b <= 0xDF) {
    len = 2;
  } else if (b >= 0xE0 && b <= 0xEF) {
    len = 3;
    if (b == 0xE0) lo = 0xA0;  // no overlongs
    if (b == 0xED) hi = 0x9F;  // no surrogates
  } else if (b >= 0xF0 && b <= 0xF4) {
    len = 4;
    if (b == 0xF0) lo = 0x90;  // no overlongs
    if (b == 0xF4) hi = 0x8F;  // <= U+10FFFF
  } else {
    *bad = 1;
    return 0;
  }
  for (size_t i = 1; i < len; ++i) {
    unsigned char c = i < n ? p[i] : 0;
    bool ok = i < n && (i == 1 ? (c >= lo && c <= hi) : (c >= 0x80 && c <= 0xBF));
    if (!ok) {
      *bad = i;
      return 0;
    }
  }
  return len;
}

size_t AsciiPrefix(const unsigned char* p, size_t n) {
  size_t i = 0;
  while (i + 8 <= n) {
    uint64_t w = 0;
    for (int k = 0; k < 8; ++k) w |= uint64_t{p[i + k]} << (8 * k);
    if (w & 0x8080808080808080ull) break;
    i += 8;
  }
  while (i < n && p[i] < 0x80) ++i;
  return i;
}

}  // namespace

bool IsValidUtf8(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    i += AsciiPrefix(p + i, n - i);
    if (i == n) break;
    size_t bad = 0;
    size_t len = SequenceLength(p + i, n - i, &bad);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

std::string ReplaceInvalidUtf8(std::string_view text) {
  if (IsValidUtf8(text)) return std::string(text);
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  size_t n = text.size();
  std::string out;
  out.reserve(n + n / 2);
  size_t i = 0;
  while (i < n) {
    size_t bad = 0;
    size_t len = SequenceLength(p + i, n - i, &bad);
    if (len > 0) {
      out.append(text.data() + i, len);
      i += len;
    } else {
      out.append("\xEF\xBF\xBD");
      i += bad;
    }
  }
  return out;
}

}  // namespace ctxbench
