#include "telemetry/span.h"

#include <cmath>
#include <mutex>
#include <random>

namespace ctxbench {

namespace {

template <size_t N>
std::array<uint8_t, N> RandomId() {
  static std::mutex mu;
  static std::mt19937_64 rng{std::random_device{}()};
  std::array<uint8_t, N> id{};
  std::lock_guard<std::mutex> lock(mu);
  bool zero = true;
  while (zero) {
    for (size_t i = 0; i < N; i += 8) {
      uint64_t r = rng();
      for (size_t b = 0; b < 8 && i + b < N; ++b) id[i + b] = static_cast<uint8_t>(r >> (8 * b));
    }
    for (uint8_t b : id) zero = zero && b == 0;
  }
  return id;
}

}  // namespace

void Span::Fail(const std::string& type, const std::string& message, uint64_t time_unix_nano) {
  status = SpanStatus::kError;
  status_message = message;
  SpanEvent e;
  e.name = "exception";
  e.time_unix_nano = time_unix_nano;
  e.attributes.push_back({"exception.type", type});
  e.attributes.push_back({"exception.message", message});
  events.push_back(std::move(e));
}

uint64_t ToUnixNano(double seconds) {
  if (!(seconds > 0)) return 0;
  return static_cast<uint64_t>(std::llround(seconds * 1e9));
}

std::string HexId(const uint8_t* bytes, size_t size) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 15];
  }
  return out;
}

TraceId NewTraceId() { return RandomId<16>(); }
SpanId NewSpanId() { return RandomId<8>(); }

}  // namespace ctxbench
