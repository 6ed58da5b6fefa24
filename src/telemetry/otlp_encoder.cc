#include "telemetry/otlp_encoder.h"

#include <algorithm>
#include <cstring>
#include <deque>
#include <string_view>
#include <utility>

namespace ctxbench {

namespace {

// Protobuf `string` fields must hold UTF-8; model output and tool results
// may not. Invalid bytes become U+FFFD.
std::string ValidUtf8(const std::string& s) {
  unsigned char high = 0;
  for (char c : s) high |= static_cast<unsigned char>(c);
  if (high < 0x80) return s;  // ASCII, the common case: no per-character checks
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    bool ok = len > 0 && i + len <= s.size();
    for (size_t k = 1; ok && k < len; ++k) {
      ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    }
    if (ok && len == 2) ok = c >= 0xC2;
    if (ok && len == 3) {
      unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
      ok = !(c == 0xE0 && c1 < 0xA0) && !(c == 0xED && c1 >= 0xA0);
    }
    if (ok && len == 4) {
      unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
      ok = c <= 0xF4 && !(c == 0xF0 && c1 < 0x90) && !(c == 0xF4 && c1 >= 0x90);
    }
    if (ok) {
      out.append(s, i, len);
      i += len;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

// Strings as protobuf wants them: valid UTF-8. Most are, and are used as
// they are; the few that are not are fixed into `fixed`, which must outlive
// the views.
class Utf8Strings {
 public:
  std::string_view operator()(const std::string& s) {
    if (IsValid(s)) return s;
    fixed_.push_back(ValidUtf8(s));
    return fixed_.back();
  }

 private:
  static bool IsValid(const std::string& s) {
    unsigned char high = 0;
    for (char c : s) high |= static_cast<unsigned char>(c);
    return high < 0x80 || ValidUtf8(s) == s;
  }
  std::deque<std::string> fixed_;
};

// Protobuf wire format, written straight from the spans (no message objects:
// each string is copied once, into the request). Field numbers are those of
// proto/otlp_trace.proto, which the tests decode with.
constexpr int kLen = 2, kVarint = 0, kFixed64 = 1, kFixed32 = 5;

size_t VarintSize(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}
size_t TagSize(int field) { return VarintSize(static_cast<uint64_t>(field) << 3); }
size_t LenFieldSize(int field, size_t len) { return TagSize(field) + VarintSize(len) + len; }

class Wire {
 public:
  explicit Wire(std::string& out) : out_(out) {}
  void Varint(uint64_t v) {
    while (v >= 0x80) {
      out_ += static_cast<char>((v & 0x7f) | 0x80);
      v >>= 7;
    }
    out_ += static_cast<char>(v);
  }
  void Tag(int field, int type) { Varint((static_cast<uint64_t>(field) << 3) | type); }
  void Len(int field, size_t len) {
    Tag(field, kLen);
    Varint(len);
  }
  void Bytes(int field, std::string_view b) {
    Len(field, b.size());
    out_.append(b.data(), b.size());
  }
  void Fixed(int field, uint64_t v, int bytes) {
    Tag(field, bytes == 8 ? kFixed64 : kFixed32);
    for (int i = 0; i < bytes; ++i) out_ += static_cast<char>((v >> (8 * i)) & 0xff);
  }

 private:
  std::string& out_;
};

// AnyValue: string 1, bool 2, int64 3, double 4.
size_t AnyValueSize(const AttributeValue& v, std::string_view str) {
  if (std::holds_alternative<std::string>(v)) return LenFieldSize(1, str.size());
  if (const auto* i = std::get_if<int64_t>(&v)) {
    return TagSize(3) + VarintSize(static_cast<uint64_t>(*i));
  }
  if (std::holds_alternative<double>(v)) return TagSize(4) + 8;
  return TagSize(2) + 1;
}

void WriteAnyValue(Wire& w, const AttributeValue& v, std::string_view str) {
  if (std::holds_alternative<std::string>(v)) {
    w.Bytes(1, str);
  } else if (const auto* i = std::get_if<int64_t>(&v)) {
    w.Tag(3, kVarint);
    w.Varint(static_cast<uint64_t>(*i));
  } else if (const auto* d = std::get_if<double>(&v)) {
    uint64_t bits;
    std::memcpy(&bits, d, sizeof(bits));
    w.Fixed(4, bits, 8);
  } else {
    w.Tag(2, kVarint);
    w.Varint(std::get<bool>(v) ? 1 : 0);
  }
}

// A list of KeyValue (key 1, value 2) as repeated field `field`.
struct KeyValues {
  struct Item {
    std::string_view key, str;
    const AttributeValue* value;
    size_t value_size, size;  // AnyValue's, KeyValue's
  };
  std::vector<Item> items;
  size_t size = 0;  // of all the fields

  KeyValues(const Attributes& attributes, int field, Utf8Strings& utf8) {
    items.reserve(attributes.size());
    for (const Attribute& a : attributes) {
      Item it;
      it.key = utf8(a.key);
      const auto* s = std::get_if<std::string>(&a.value);
      it.str = s ? utf8(*s) : std::string_view();
      it.value = &a.value;
      it.value_size = AnyValueSize(a.value, it.str);
      it.size = LenFieldSize(1, it.key.size()) + LenFieldSize(2, it.value_size);
      size += LenFieldSize(field, it.size);
      items.push_back(it);
    }
  }
  void Write(Wire& w, int field) const {
    for (const Item& it : items) {
      w.Len(field, it.size);
      w.Bytes(1, it.key);
      w.Len(2, it.value_size);
      WriteAnyValue(w, *it.value, it.str);
    }
  }
};

bool IsZero(const SpanId& id) {
  for (uint8_t b : id) {
    if (b) return false;
  }
  return true;
}

// One span's fields, sized before they are written.
struct SpanFields {
  const Span& span;
  std::string_view name, status_message;
  KeyValues attributes;
  std::vector<std::pair<std::string_view, KeyValues>> events;  // name, attributes
  std::vector<size_t> event_sizes;
  size_t status_size = 0;
  size_t size = 0;

  SpanFields(const Span& s, Utf8Strings& utf8)
      : span(s), name(utf8(s.name)), attributes(s.attributes, 9, utf8) {
    size = LenFieldSize(1, s.trace_id.size()) + LenFieldSize(2, s.span_id.size()) +
           LenFieldSize(5, name.size()) + TagSize(6) + 1 + 2 * (TagSize(7) + 8) + attributes.size +
           TagSize(16) + 4;
    if (!IsZero(s.parent_span_id)) size += LenFieldSize(4, s.parent_span_id.size());
    for (const SpanEvent& e : s.events) {
      events.emplace_back(utf8(e.name), KeyValues(e.attributes, 3, utf8));
      size_t n =
          TagSize(1) + 8 + LenFieldSize(2, events.back().first.size()) + events.back().second.size;
      event_sizes.push_back(n);
      size += LenFieldSize(11, n);
    }
    if (s.status != SpanStatus::kUnset) {
      status_size = TagSize(3) + 1;
      if (s.status == SpanStatus::kError) {
        status_message = utf8(s.status_message);
        status_size += LenFieldSize(2, status_message.size());
      }
      size += LenFieldSize(15, status_size);
    }
  }

  void Write(Wire& w) const {
    const Span& s = span;
    w.Bytes(1, {reinterpret_cast<const char*>(s.trace_id.data()), s.trace_id.size()});
    w.Bytes(2, {reinterpret_cast<const char*>(s.span_id.data()), s.span_id.size()});
    if (!IsZero(s.parent_span_id)) {
      w.Bytes(4, {reinterpret_cast<const char*>(s.parent_span_id.data()), s.parent_span_id.size()});
    }
    w.Bytes(5, name);
    w.Tag(6, kVarint);
    w.Varint(1);  // SPAN_KIND_INTERNAL
    w.Fixed(7, s.start_unix_nano, 8);
    w.Fixed(8, std::max(s.end_unix_nano, s.start_unix_nano), 8);
    attributes.Write(w, 9);
    for (size_t i = 0; i < events.size(); ++i) {
      w.Len(11, event_sizes[i]);
      w.Fixed(1, s.events[i].time_unix_nano, 8);
      w.Bytes(2, events[i].first);
      events[i].second.Write(w, 3);
    }
    if (s.status != SpanStatus::kUnset) {
      w.Len(15, status_size);
      if (s.status == SpanStatus::kError) w.Bytes(2, status_message);
      w.Tag(3, kVarint);
      w.Varint(s.status == SpanStatus::kOk ? 1 : 2);  // STATUS_CODE_OK, STATUS_CODE_ERROR
    }
    w.Fixed(16, 0x101, 4);  // flags: sampled; parent known not to be remote
  }
};

}  // namespace

std::string EncodeExportRequest(const SpanSource& source, const std::vector<Span>& spans) {
  Utf8Strings utf8;
  KeyValues resource(source.resource, 1, utf8);
  std::string_view scope_name = utf8(source.scope_name);
  std::string_view scope_version = utf8(source.scope_version);
  size_t scope_size = LenFieldSize(1, scope_name.size()) + LenFieldSize(2, scope_version.size());
  std::vector<SpanFields> fields;
  fields.reserve(spans.size());
  size_t scope_spans_size = LenFieldSize(1, scope_size);
  for (const Span& s : spans) {
    fields.emplace_back(s, utf8);
    scope_spans_size += LenFieldSize(2, fields.back().size);
  }
  size_t resource_spans_size = LenFieldSize(1, resource.size) + LenFieldSize(2, scope_spans_size);

  std::string out;
  out.reserve(LenFieldSize(1, resource_spans_size));
  Wire w(out);
  w.Len(1, resource_spans_size);  // ExportTraceServiceRequest.resource_spans
  w.Len(1, resource.size);        // ResourceSpans.resource
  resource.Write(w, 1);           // Resource.attributes
  w.Len(2, scope_spans_size);     // ResourceSpans.scope_spans
  w.Len(1, scope_size);           // ScopeSpans.scope
  w.Bytes(1, scope_name);
  w.Bytes(2, scope_version);
  for (const SpanFields& f : fields) {
    w.Len(2, f.size);  // ScopeSpans.spans
    f.Write(w);
  }
  return out;
}

}  // namespace ctxbench
