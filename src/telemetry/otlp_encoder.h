// Spans to the bytes of an OTLP ExportTraceServiceRequest (binary protobuf,
// the body of a POST to {endpoint}/v1/traces with Content-Type
// application/x-protobuf).
#pragma once

#include <string>
#include <vector>

#include "telemetry/span.h"

namespace ctxbench {

// Who sent the spans: the OTLP resource (e.g. service.name,
// openinference.project.name) and instrumentation scope.
struct SpanSource {
  Attributes resource;
  std::string scope_name = "ctxbench";
  std::string scope_version;
};

// One request holding `spans` under one resource and scope. Every span gets
// OTLP kind INTERNAL; the OpenInference kind is an attribute. Never throws
// for any input (invalid UTF-8 in strings is replaced).
std::string EncodeExportRequest(const SpanSource& source, const std::vector<Span>& spans);

}  // namespace ctxbench
