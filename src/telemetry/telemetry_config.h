// Where and how spans are exported: config.json's `telemetry` block plus the
// environment (`.env` is loaded before; the environment wins).
//
// config.json:
//   "telemetry": {"phoenix": {"enabled": true},
//                 "export": {"gzip": true, "timeout_seconds": 10, ...}}
// Environment (the prototype's names, then plain OpenTelemetry ones):
//   PHOENIX_COLLECTOR_ENDPOINT   base URL; "/v1/traces" appended to its path
//                                (before any query) unless the path ends with it
//   PHOENIX_API_KEY              sent as "Authorization: Bearer <key>"; wins over
//                                an Authorization in either header list
//   PHOENIX_CLIENT_HEADERS       "k=v,k2=v2", URL-encoded (legacy spaces: api_key=...);
//                                wins over OTEL_EXPORTER_OTLP_HEADERS for a same name
//   PHOENIX_PROJECT_NAME         resource attribute openinference.project.name
//   OTEL_EXPORTER_OTLP_TRACES_ENDPOINT  full URL, used as given
//   OTEL_EXPORTER_OTLP_ENDPOINT         base URL, "/v1/traces" appended
//   OTEL_EXPORTER_OTLP_HEADERS          "k=v,..." as above
// Header values are secrets: no function here puts them in an error or log.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/env.h"
#include "core/json.h"

namespace ctxbench {

struct TelemetryConfig {
  std::optional<bool> phoenix_enabled;  // unset: on when an endpoint is set
  bool gzip = true;
  double timeout_seconds = 10;   // one export request
  double flush_seconds = 2;      // the end-of-run flush adds at most this long to a run
  int max_retries = 5;           // per batch, on 429/502/503/504 and network errors;
                                 // a 429/503's Retry-After replaces the backoff
  double backoff_seconds = 0.5;  // first retry wait; doubles, at most 8 s
  int batch_spans = 512;         // spans per request
  int queue_spans = 50000;       // spans waiting; more are dropped (and counted)

  bool operator==(const TelemetryConfig&) const = default;
};

// Reads the `telemetry` object; throws an input error naming the JSON path.
TelemetryConfig TelemetryConfigFromJson(const JsonReader& reader);
Json TelemetryConfigToJson(const TelemetryConfig& config);

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

// A resolved export destination.
struct OtlpTarget {
  std::string url;  // ends in /v1/traces unless OTEL_EXPORTER_OTLP_TRACES_ENDPOINT said otherwise
  HttpHeaders headers;       // secrets; never log
  std::string project_name;  // "" = the collector's default project
};

// The target, or nullopt when telemetry is off (disabled in config, or no
// endpoint set and not enabled). Enabled without an endpoint means Phoenix's
// default, http://localhost:6006/v1/traces. Every URL is checked with
// ParseHttpUrl (scheme http/https, a host, a numeric port in 1-65535, no
// spaces). Each header name appears once in `headers` (case-insensitively).
// Throws an input error naming the variable (never its value) for a malformed
// URL or header list.
std::optional<OtlpTarget> ResolveOtlpTarget(const TelemetryConfig& config,
                                            const EnvLookup& env = GetEnv);

// "https://host:port/path" of `url` without user info, query or fragment, for
// messages; "<invalid URL>" when it does not parse.
std::string RedactUrl(const std::string& url);

// Parses "k=v,k2=v2" with %XX decoding of keys and values. Throws an input
// error naming `source` on a malformed entry.
HttpHeaders ParseHeaderList(const std::string& text, const std::string& source);

}  // namespace ctxbench
