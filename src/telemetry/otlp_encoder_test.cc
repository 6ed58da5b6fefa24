#include "telemetry/otlp_encoder.h"

#include <gtest/gtest.h>

#include "telemetry/gzip.h"
#include "telemetry/proto/otlp_trace.pb.h"

namespace ctxbench {
namespace {

TEST(OtlpEncoderTest, EncodesIdsTimesAttributesEventsAndStatus) {
  SpanSource source;
  source.resource.push_back({"openinference.project.name", std::string("p")});
  source.scope_version = "1.2";
  Span root;
  root.trace_id = NewTraceId();
  root.span_id = NewSpanId();
  root.name = "run";
  root.start_unix_nano = 100;
  root.end_unix_nano = 200;
  root.Set("s", "x");
  root.Set("i", 7);
  root.Set("d", 0.5);
  root.Set("b", true);
  Span child = root;
  child.span_id = NewSpanId();
  child.parent_span_id = root.span_id;
  child.name = "bad\xff";
  child.Fail("ToolError", "boom", 150);

  otlp::ExportTraceServiceRequest req;
  ASSERT_TRUE(req.ParseFromString(EncodeExportRequest(source, {root, child})));
  ASSERT_EQ(req.resource_spans_size(), 1);
  const auto& rs = req.resource_spans(0);
  EXPECT_EQ(rs.resource().attributes(0).value().string_value(), "p");
  EXPECT_EQ(rs.scope_spans(0).scope().version(), "1.2");
  ASSERT_EQ(rs.scope_spans(0).spans_size(), 2);
  const auto& r = rs.scope_spans(0).spans(0);
  const auto& c = rs.scope_spans(0).spans(1);
  EXPECT_EQ(r.trace_id().size(), 16u);
  EXPECT_EQ(r.span_id().size(), 8u);
  EXPECT_TRUE(r.parent_span_id().empty());
  EXPECT_EQ(c.parent_span_id(), r.span_id());
  EXPECT_EQ(r.start_time_unix_nano(), 100u);
  EXPECT_EQ(r.end_time_unix_nano(), 200u);
  EXPECT_EQ(r.kind(), otlp::Span::SPAN_KIND_INTERNAL);
  EXPECT_EQ(r.attributes(1).value().int_value(), 7);
  EXPECT_DOUBLE_EQ(r.attributes(2).value().double_value(), 0.5);
  EXPECT_TRUE(r.attributes(3).value().bool_value());
  EXPECT_EQ(c.name(), "bad\xEF\xBF\xBD");  // invalid UTF-8 replaced
  EXPECT_EQ(c.status().code(), otlp::Status::STATUS_CODE_ERROR);
  EXPECT_EQ(c.status().message(), "boom");
  ASSERT_EQ(c.events_size(), 1);
  EXPECT_EQ(c.events(0).name(), "exception");
  EXPECT_EQ(c.events(0).time_unix_nano(), 150u);
}

// The hand-written wire format, read back by libprotobuf: every value kind,
// lengths past one varint byte, negative ints, valid non-ASCII kept as is,
// empty strings, event attributes, and concatenated requests (the exporter's
// chunks) read as one.
TEST(OtlpEncoderTest, LibprotobufReadsEveryValueKind) {
  SpanSource source;
  source.resource.push_back({"service.name", std::string("ctxbench")});
  Span s;
  s.trace_id = NewTraceId();
  s.span_id = NewSpanId();
  s.name = "llm";
  s.start_unix_nano = 1700000000123456789u;
  s.end_unix_nano = 1700000001000000000u;
  std::string big(100000, 'x');
  s.Set("big", big);
  s.Set("neg", static_cast<int64_t>(-5));
  s.Set("max", static_cast<int64_t>(INT64_MAX));
  s.Set("d", -1.25e300);
  s.Set("f", false);
  s.Set("empty", "");
  s.Set("caf\xC3\xA9", "\xE2\x82\xAC 5 \xF0\x9F\x98\x80");
  s.Set("cut", "ab\xC3");
  s.status = SpanStatus::kOk;
  SpanEvent e;
  e.name = "exception";
  e.time_unix_nano = 7;
  e.attributes.push_back({"exception.type", std::string("ToolError")});
  s.events.push_back(e);
  Span t = s;
  t.span_id = NewSpanId();
  t.attributes.clear();

  std::string body = EncodeExportRequest(source, {s}) + EncodeExportRequest(source, {t});
  otlp::ExportTraceServiceRequest req;
  ASSERT_TRUE(req.ParseFromString(body));
  ASSERT_EQ(req.resource_spans_size(), 2);
  EXPECT_EQ(req.resource_spans(1).resource().attributes(0).key(), "service.name");
  EXPECT_EQ(req.resource_spans(0).scope_spans(0).scope().name(), "ctxbench");
  const auto& p = req.resource_spans(0).scope_spans(0).spans(0);
  EXPECT_EQ(p.name(), "llm");
  EXPECT_EQ(p.start_time_unix_nano(), 1700000000123456789u);
  EXPECT_EQ(p.end_time_unix_nano(), 1700000001000000000u);
  EXPECT_EQ(p.flags(), 0x101u);
  EXPECT_EQ(p.kind(), otlp::Span::SPAN_KIND_INTERNAL);
  ASSERT_EQ(p.attributes_size(), 8);
  EXPECT_EQ(p.attributes(0).value().string_value(), big);
  EXPECT_EQ(p.attributes(1).value().int_value(), -5);
  EXPECT_EQ(p.attributes(2).value().int_value(), INT64_MAX);
  EXPECT_EQ(p.attributes(3).value().double_value(), -1.25e300);
  EXPECT_EQ(p.attributes(4).value().value_case(), otlp::AnyValue::kBoolValue);
  EXPECT_FALSE(p.attributes(4).value().bool_value());
  EXPECT_EQ(p.attributes(5).value().value_case(), otlp::AnyValue::kStringValue);
  EXPECT_EQ(p.attributes(5).value().string_value(), "");
  EXPECT_EQ(p.attributes(6).key(), "caf\xC3\xA9");
  EXPECT_EQ(p.attributes(6).value().string_value(), "\xE2\x82\xAC 5 \xF0\x9F\x98\x80");
  EXPECT_EQ(p.attributes(7).value().string_value(), "ab\xEF\xBF\xBD");
  EXPECT_EQ(p.status().code(), otlp::Status::STATUS_CODE_OK);
  ASSERT_EQ(p.events_size(), 1);
  EXPECT_EQ(p.events(0).time_unix_nano(), 7u);
  EXPECT_EQ(p.events(0).attributes(0).value().string_value(), "ToolError");
  const auto& q = req.resource_spans(1).scope_spans(0).spans(0);
  EXPECT_EQ(q.span_id(), std::string(reinterpret_cast<const char*>(t.span_id.data()), 8));
  EXPECT_EQ(q.attributes_size(), 0);
  // No stray bytes: libprotobuf's own encoding of what it read is at most as
  // long (it leaves out the empty strings this encoder writes) and not much shorter.
  EXPECT_LE(req.ByteSizeLong(), body.size());
  EXPECT_GE(req.ByteSizeLong() + 16, body.size());
}

TEST(GzipTest, RoundTrips) {
  std::string data(100000, 'a');
  data += "tail";
  std::string z = GzipCompress(data);
  EXPECT_LT(z.size(), data.size() / 10);
  EXPECT_EQ(static_cast<unsigned char>(z[0]), 0x1f);  // gzip magic
  EXPECT_EQ(static_cast<unsigned char>(z[1]), 0x8b);
  EXPECT_EQ(GzipDecompress(z), data);
  EXPECT_EQ(GzipDecompress(GzipCompress("")), "");
}

TEST(SpanTest, HexIdsAndNanos) {
  SpanId id = {0, 1, 2, 0xab, 4, 5, 6, 0xff};
  EXPECT_EQ(HexId(id), "000102ab040506ff");
  EXPECT_EQ(ToUnixNano(1.5), 1500000000u);
  EXPECT_NE(NewTraceId(), NewTraceId());
}

}  // namespace
}  // namespace ctxbench
