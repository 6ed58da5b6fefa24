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
