// A finished span in ctxbench's own types: what the exporter queues and the
// encoder turns into OTLP. No protobuf types here.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace ctxbench {

using TraceId = std::array<uint8_t, 16>;
using SpanId = std::array<uint8_t, 8>;

// An attribute value: string, integer, double or bool (OTLP AnyValue subset).
using AttributeValue = std::variant<std::string, int64_t, double, bool>;

struct Attribute {
  std::string key;
  AttributeValue value;
};

using Attributes = std::vector<Attribute>;

// A time-stamped annotation, e.g. the OpenTelemetry `exception` event.
struct SpanEvent {
  std::string name;
  uint64_t time_unix_nano = 0;
  Attributes attributes;
};

enum class SpanStatus { kUnset, kOk, kError };

struct Span {
  TraceId trace_id{};
  SpanId span_id{};
  SpanId parent_span_id{};  // all zero for a root span
  std::string name;
  uint64_t start_unix_nano = 0;
  uint64_t end_unix_nano = 0;
  Attributes attributes;
  std::vector<SpanEvent> events;
  SpanStatus status = SpanStatus::kUnset;
  std::string status_message;  // set with kError

  // Appends an attribute (keys are not checked for duplicates).
  template <typename T>
  void Set(std::string key, T value) {
    attributes.push_back({std::move(key), AttributeValue(std::move(value))});
  }
  void Set(std::string key, const char* value) { Set(std::move(key), std::string(value)); }
  void Set(std::string key, int value) { Set(std::move(key), static_cast<int64_t>(value)); }
  // Marks the span failed and adds an `exception` event with the
  // OpenTelemetry exception.type / exception.message attributes.
  void Fail(const std::string& type, const std::string& message, uint64_t time_unix_nano);
};

// Unix seconds (as Event::time holds them) to nanoseconds.
uint64_t ToUnixNano(double seconds);

// Lower-case hex of an id, as Phoenix and collectors show ids.
std::string HexId(const uint8_t* bytes, size_t size);
template <size_t N>
std::string HexId(const std::array<uint8_t, N>& id) {
  return HexId(id.data(), N);
}

// Random non-zero ids. Thread-safe.
TraceId NewTraceId();
SpanId NewSpanId();

}  // namespace ctxbench
