#include "telemetry/otlp_encoder.h"

#include <google/protobuf/arena.h>

#include "telemetry/proto/otlp_trace.pb.h"

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

void Fill(const Attributes& attributes, google::protobuf::RepeatedPtrField<otlp::KeyValue>* out) {
  out->Reserve(static_cast<int>(attributes.size()));
  for (const Attribute& a : attributes) {
    otlp::KeyValue* kv = out->Add();
    kv->set_key(ValidUtf8(a.key));
    otlp::AnyValue* v = kv->mutable_value();
    if (const auto* s = std::get_if<std::string>(&a.value)) {
      v->set_string_value(ValidUtf8(*s));
    } else if (const auto* i = std::get_if<int64_t>(&a.value)) {
      v->set_int_value(*i);
    } else if (const auto* d = std::get_if<double>(&a.value)) {
      v->set_double_value(*d);
    } else {
      v->set_bool_value(std::get<bool>(a.value));
    }
  }
}

bool IsZero(const SpanId& id) {
  for (uint8_t b : id) {
    if (b) return false;
  }
  return true;
}

}  // namespace

std::string EncodeExportRequest(const SpanSource& source, const std::vector<Span>& spans) {
  // One arena for the whole message tree: thousands of small attribute
  // objects per request, freed at once.
  google::protobuf::Arena arena;
  auto& request = *google::protobuf::Arena::CreateMessage<otlp::ExportTraceServiceRequest>(&arena);
  otlp::ResourceSpans* rs = request.add_resource_spans();
  Fill(source.resource, rs->mutable_resource()->mutable_attributes());
  otlp::ScopeSpans* ss = rs->add_scope_spans();
  ss->mutable_scope()->set_name(source.scope_name);
  ss->mutable_scope()->set_version(source.scope_version);
  ss->mutable_spans()->Reserve(static_cast<int>(spans.size()));
  for (const Span& s : spans) {
    otlp::Span* p = ss->add_spans();
    p->set_trace_id(s.trace_id.data(), s.trace_id.size());
    p->set_span_id(s.span_id.data(), s.span_id.size());
    if (!IsZero(s.parent_span_id)) {
      p->set_parent_span_id(s.parent_span_id.data(), s.parent_span_id.size());
    }
    p->set_flags(0x101);  // sampled; parent known not to be remote
    p->set_name(ValidUtf8(s.name));
    p->set_kind(otlp::Span::SPAN_KIND_INTERNAL);
    p->set_start_time_unix_nano(s.start_unix_nano);
    p->set_end_time_unix_nano(std::max(s.end_unix_nano, s.start_unix_nano));
    Fill(s.attributes, p->mutable_attributes());
    for (const SpanEvent& e : s.events) {
      otlp::Span::Event* pe = p->add_events();
      pe->set_time_unix_nano(e.time_unix_nano);
      pe->set_name(ValidUtf8(e.name));
      Fill(e.attributes, pe->mutable_attributes());
    }
    if (s.status != SpanStatus::kUnset) {
      otlp::Status* st = p->mutable_status();
      st->set_code(s.status == SpanStatus::kOk ? otlp::Status::STATUS_CODE_OK
                                               : otlp::Status::STATUS_CODE_ERROR);
      if (s.status == SpanStatus::kError) st->set_message(ValidUtf8(s.status_message));
    }
  }
  return request.SerializeAsString();
}

}  // namespace ctxbench
