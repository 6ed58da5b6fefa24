#include "telemetry/telemetry_config.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "core/error.h"
#include "core/json_int.h"
#include "core/url.h"

namespace ctxbench {

namespace {

constexpr char kTracesPath[] = "/v1/traces";
constexpr char kPhoenixDefault[] = "http://localhost:6006";

std::string Trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t\r\n");
  if (a == std::string::npos) return "";
  size_t b = s.find_last_not_of(" \t\r\n");
  return s.substr(a, b - a + 1);
}

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string PercentDecode(const std::string& s, const std::string& source) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    int hi = i + 2 < s.size() ? HexDigit(s[i + 1]) : -1;
    int lo = i + 2 < s.size() ? HexDigit(s[i + 2]) : -1;
    if (hi < 0 || lo < 0) ThrowInput(source, "bad %-escape in a header entry");
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

// Parses the URL `source` holds; throws an input error naming `source` (never
// the value, which may hold credentials) when it is malformed.
Url CheckUrl(const std::string& raw, const std::string& source) {
  Expected<Url> url = ParseHttpUrl(Trim(raw));
  if (!url) ThrowInput(source, url.error());
  return std::move(url).value();
}

// The URL with "/v1/traces" appended to its path (before any query) unless
// the path already ends with it.
std::string WithTracesPath(Url url) {
  while (!url.path.empty() && url.path.back() == '/') url.path.pop_back();
  if (EndsWith(url.path, kTracesPath)) return url.ToString();
  return AppendUrlPath(url, kTracesPath).ToString();
}

bool SameHeaderName(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// Sets header `name` (case-insensitively), replacing any earlier value.
void SetHeader(HttpHeaders& headers, const std::string& name, std::string value) {
  std::erase_if(headers, [&](const auto& kv) { return SameHeaderName(kv.first, name); });
  headers.emplace_back(name, std::move(value));
}

}  // namespace

TelemetryConfig TelemetryConfigFromJson(const JsonReader& r) {
  r.RejectUnknown({"phoenix", "export"});
  TelemetryConfig c;
  if (r.Has("phoenix")) {
    JsonReader p = r.Child("phoenix");
    p.RejectUnknown({"enabled"});
    if (p.Has("enabled")) {
      if (!p.value()["enabled"].is_boolean()) p.Fail("enabled", "expected true or false");
      c.phoenix_enabled = p.value()["enabled"].get<bool>();
    }
  }
  if (r.Has("export")) {
    JsonReader e = r.Child("export");
    e.RejectUnknown({"gzip", "timeout_seconds", "flush_seconds", "max_retries", "backoff_seconds",
                     "batch_spans", "queue_spans"});
    c.gzip = e.Bool("gzip", c.gzip);
    c.timeout_seconds = e.Number("timeout_seconds", c.timeout_seconds);
    c.flush_seconds = e.Number("flush_seconds", c.flush_seconds);
    c.max_retries = static_cast<int>(IntInRange(e, "max_retries", 0, 20, c.max_retries));
    c.backoff_seconds = e.Number("backoff_seconds", c.backoff_seconds);
    c.batch_spans = static_cast<int>(IntInRange(e, "batch_spans", 1, 100000, c.batch_spans));
    c.queue_spans = static_cast<int>(IntInRange(e, "queue_spans", 1, 10000000, c.queue_spans));
    if (!(c.timeout_seconds > 0 && c.timeout_seconds <= 600)) {
      e.Fail("timeout_seconds", "must be in (0, 600]");
    }
    if (!(c.flush_seconds >= 0 && c.flush_seconds <= 3600)) {
      e.Fail("flush_seconds", "must be in [0, 3600]");
    }
    if (!(c.backoff_seconds >= 0 && c.backoff_seconds <= 60)) {
      e.Fail("backoff_seconds", "must be in [0, 60]");
    }
    if (c.queue_spans < c.batch_spans) {
      e.Fail("queue_spans", "must be at least batch_spans and at most 10000000");
    }
  }
  return c;
}

Json TelemetryConfigToJson(const TelemetryConfig& c) {
  Json phoenix = Json::object();
  if (c.phoenix_enabled) phoenix["enabled"] = *c.phoenix_enabled;
  return {{"phoenix", phoenix},
          {"export",
           {{"gzip", c.gzip},
            {"timeout_seconds", c.timeout_seconds},
            {"flush_seconds", c.flush_seconds},
            {"max_retries", c.max_retries},
            {"backoff_seconds", c.backoff_seconds},
            {"batch_spans", c.batch_spans},
            {"queue_spans", c.queue_spans}}}};
}

HttpHeaders ParseHeaderList(const std::string& text, const std::string& source) {
  HttpHeaders headers;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find(',', pos);
    if (end == std::string::npos) end = text.size();
    std::string entry = Trim(text.substr(pos, end - pos));
    pos = end + 1;
    if (entry.empty()) continue;
    size_t eq = entry.find('=');
    if (eq == std::string::npos || eq == 0) {
      ThrowInput(source, "expected comma-separated key=value entries");
    }
    std::string key = PercentDecode(Trim(entry.substr(0, eq)), source);
    std::string value = PercentDecode(Trim(entry.substr(eq + 1)), source);
    for (char c : key + value) {
      if (c == '\r' || c == '\n' || c == '\0')
        ThrowInput(source, "header entries may not hold line breaks");
    }
    headers.emplace_back(key, value);
  }
  return headers;
}

std::optional<OtlpTarget> ResolveOtlpTarget(const TelemetryConfig& config, const EnvLookup& env) {
  if (config.phoenix_enabled == false) return std::nullopt;
  std::optional<std::string> url;
  if (auto v = env("PHOENIX_COLLECTOR_ENDPOINT")) {
    url = WithTracesPath(CheckUrl(*v, "PHOENIX_COLLECTOR_ENDPOINT"));
  } else if (auto t = env("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")) {
    url = CheckUrl(*t, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT").ToString();
  } else if (auto b = env("OTEL_EXPORTER_OTLP_ENDPOINT")) {
    url = WithTracesPath(CheckUrl(*b, "OTEL_EXPORTER_OTLP_ENDPOINT"));
  }
  if (!url && config.phoenix_enabled != true) return std::nullopt;
  OtlpTarget target;
  target.url = url ? *url : WithTracesPath(CheckUrl(kPhoenixDefault, "default endpoint"));
  // Each header is sent once; a later source wins: OTEL_EXPORTER_OTLP_HEADERS,
  // then PHOENIX_CLIENT_HEADERS, then PHOENIX_API_KEY's Authorization.
  for (const char* name : {"OTEL_EXPORTER_OTLP_HEADERS", "PHOENIX_CLIENT_HEADERS"}) {
    if (auto h = env(name)) {
      for (auto& [k, v] : ParseHeaderList(*h, name)) SetHeader(target.headers, k, std::move(v));
    }
  }
  if (auto key = env("PHOENIX_API_KEY")) {
    std::string k = Trim(*key);
    for (char c : k) {
      if (c == '\r' || c == '\n') ThrowInput("PHOENIX_API_KEY", "may not hold line breaks");
    }
    SetHeader(target.headers, "authorization", "Bearer " + k);
  }
  if (auto p = env("PHOENIX_PROJECT_NAME")) target.project_name = Trim(*p);
  return target;
}

std::string RedactUrl(const std::string& url) {
  Expected<Url> parsed = ParseHttpUrl(url);
  if (!parsed) return "<invalid URL>";
  Url u = std::move(parsed).value();
  u.userinfo.clear();
  u.query.reset();
  u.fragment.reset();
  return u.ToString();
}

}  // namespace ctxbench
