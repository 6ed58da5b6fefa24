#include "telemetry/telemetry_config.h"

#include <gtest/gtest.h>

#include <map>

#include "core/error.h"

namespace ctxbench {
namespace {

EnvLookup Env(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end() || it->second.empty()) return std::nullopt;
    return it->second;
  };
}

TEST(TelemetryConfigTest, OffWithoutEndpointOrFlag) {
  EXPECT_FALSE(ResolveOtlpTarget({}, Env({})));
}

TEST(TelemetryConfigTest, BareHostGetsTracesPath) {
  for (const char* host : {"http://localhost:6006", "http://localhost:6006/"}) {
    auto t = ResolveOtlpTarget({}, Env({{"PHOENIX_COLLECTOR_ENDPOINT", host}}));
    ASSERT_TRUE(t);
    EXPECT_EQ(t->url, "http://localhost:6006/v1/traces");
  }
  auto full = ResolveOtlpTarget(
      {}, Env({{"PHOENIX_COLLECTOR_ENDPOINT", "https://app.phoenix.arize.com/s/me/v1/traces"}}));
  EXPECT_EQ(full->url, "https://app.phoenix.arize.com/s/me/v1/traces");
  auto space = ResolveOtlpTarget(
      {}, Env({{"PHOENIX_COLLECTOR_ENDPOINT", "https://app.phoenix.arize.com/s/me"}}));
  EXPECT_EQ(space->url, "https://app.phoenix.arize.com/s/me/v1/traces");
}

TEST(TelemetryConfigTest, OtelVariables) {
  auto t = ResolveOtlpTarget({}, Env({{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://c:4318/x"},
                                      {"OTEL_EXPORTER_OTLP_HEADERS", "a=1,b=two%20words"}}));
  ASSERT_TRUE(t);
  EXPECT_EQ(t->url, "http://c:4318/x");  // used as given, per the OTLP spec
  ASSERT_EQ(t->headers.size(), 2u);
  EXPECT_EQ(t->headers[1], std::make_pair(std::string("b"), std::string("two words")));
  auto base = ResolveOtlpTarget({}, Env({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318"}}));
  EXPECT_EQ(base->url, "http://c:4318/v1/traces");
}

TEST(TelemetryConfigTest, EnabledFlagWinsAndDefaultsToLocalPhoenix) {
  TelemetryConfig off;
  off.phoenix_enabled = false;
  EXPECT_FALSE(ResolveOtlpTarget(off, Env({{"PHOENIX_COLLECTOR_ENDPOINT", "http://h:1"}})));
  TelemetryConfig on;
  on.phoenix_enabled = true;
  EXPECT_EQ(ResolveOtlpTarget(on, Env({}))->url, "http://localhost:6006/v1/traces");
}

TEST(TelemetryConfigTest, ApiKeyHeadersAndProject) {
  auto t = ResolveOtlpTarget({}, Env({{"PHOENIX_COLLECTOR_ENDPOINT", "http://h:1"},
                                      {"PHOENIX_API_KEY", "sk-123"},
                                      {"PHOENIX_CLIENT_HEADERS", "api_key=abc%3D%3D"},
                                      {"PHOENIX_PROJECT_NAME", "my-proj"}}));
  ASSERT_TRUE(t);
  HttpHeaders want = {{"api_key", "abc=="}, {"authorization", "Bearer sk-123"}};
  EXPECT_EQ(t->headers, want);
  EXPECT_EQ(t->project_name, "my-proj");
}

TEST(TelemetryConfigTest, BadValuesNameTheVariableNotTheValue) {
  try {
    ResolveOtlpTarget({}, Env({{"PHOENIX_COLLECTOR_ENDPOINT", "http://h:1"},
                               {"PHOENIX_CLIENT_HEADERS", "sk-secret-no-equals"}}));
    FAIL();
  } catch (const Error& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("PHOENIX_CLIENT_HEADERS"), std::string::npos);
    EXPECT_EQ(what.find("sk-secret"), std::string::npos);
  }
  EXPECT_THROW(ResolveOtlpTarget({}, Env({{"PHOENIX_COLLECTOR_ENDPOINT", "localhost:6006"}})),
               Error);
}

TEST(TelemetryConfigTest, MalformedEndpointsNameTheVariable) {
  const std::map<std::string, std::string> bad = {
      {"http://:6006", "URL has no host"},
      {"http://localhost:port", "port must be a number in 1-65535"},
      {"http://localhost:99999", "port must be a number in 1-65535"},
      {"http://local host:6006", "space"},
      {"http://user:s3cret@localhost:6006 /v1", "space"},
  };
  for (const char* var : {"PHOENIX_COLLECTOR_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
                          "OTEL_EXPORTER_OTLP_ENDPOINT"}) {
    for (const auto& [url, why] : bad) {
      try {
        ResolveOtlpTarget({}, Env({{var, url}}));
        ADD_FAILURE() << var << "=" << url << " was accepted";
      } catch (const Error& e) {
        std::string what = e.what();
        EXPECT_EQ(what.rfind(var, 0), 0u) << what;
        EXPECT_NE(what.find(why), std::string::npos) << what;
        EXPECT_EQ(what.find("s3cret"), std::string::npos) << what;
        EXPECT_EQ(what.find('\n'), std::string::npos) << what;
        EXPECT_EQ(e.exit_code(), 2);
      }
    }
  }
}

TEST(TelemetryConfigTest, TracesPathGoesBeforeTheQuery) {
  auto t = ResolveOtlpTarget(
      {}, Env({{"PHOENIX_COLLECTOR_ENDPOINT", "https://collector.example/s/me/?tenant=a%20b"}}));
  ASSERT_TRUE(t);
  EXPECT_EQ(t->url, "https://collector.example/s/me/v1/traces?tenant=a%20b");
  auto o = ResolveOtlpTarget({}, Env({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318?x=1"}}));
  EXPECT_EQ(o->url, "http://c:4318/v1/traces?x=1");
  auto done = ResolveOtlpTarget({}, Env({{"PHOENIX_COLLECTOR_ENDPOINT", "http://c/v1/traces/"}}));
  EXPECT_EQ(done->url, "http://c/v1/traces");
}

TEST(TelemetryConfigTest, ApiKeyWinsOverAnAuthorizationInTheHeaderLists) {
  auto t = ResolveOtlpTarget({}, Env({{"PHOENIX_COLLECTOR_ENDPOINT", "http://h:1"},
                                      {"PHOENIX_API_KEY", "sk-key"},
                                      {"PHOENIX_CLIENT_HEADERS", "Authorization=Bearer%20other"},
                                      {"OTEL_EXPORTER_OTLP_HEADERS", "AUTHORIZATION=Basic%20x"}}));
  ASSERT_TRUE(t);
  HttpHeaders want = {{"authorization", "Bearer sk-key"}};
  EXPECT_EQ(t->headers, want);
}

TEST(TelemetryConfigTest, ClientHeadersWinOverOtelHeadersWithoutApiKey) {
  auto t =
      ResolveOtlpTarget({}, Env({{"PHOENIX_COLLECTOR_ENDPOINT", "http://h:1"},
                                 {"PHOENIX_CLIENT_HEADERS", "Authorization=Bearer%20mine"},
                                 {"OTEL_EXPORTER_OTLP_HEADERS", "authorization=Basic%20x,a=1"}}));
  ASSERT_TRUE(t);
  HttpHeaders want = {{"a", "1"}, {"Authorization", "Bearer mine"}};
  EXPECT_EQ(t->headers, want);
  auto dup = ResolveOtlpTarget({}, Env({{"PHOENIX_COLLECTOR_ENDPOINT", "http://h:1"},
                                        {"PHOENIX_CLIENT_HEADERS", "x-k=1,X-K=2"}}));
  EXPECT_EQ(dup->headers, (HttpHeaders{{"X-K", "2"}}));
}

TEST(TelemetryConfigTest, RedactUrlDropsUserInfoAndQuery) {
  EXPECT_EQ(RedactUrl("https://user:pw@h:1/v1/traces?token=x"), "https://h:1/v1/traces");
  EXPECT_EQ(RedactUrl("http://h"), "http://h");
}

TEST(TelemetryConfigTest, JsonRoundTripAndErrorsNamePath) {
  Json j = ParseJson(R"({"phoenix": {"enabled": true}, "export": {"gzip": false,
                         "timeout_seconds": 2, "max_retries": 1}})",
                     "t");
  TelemetryConfig c = TelemetryConfigFromJson(JsonReader(j, "config.json", "$.telemetry"));
  EXPECT_EQ(c.phoenix_enabled, true);
  EXPECT_FALSE(c.gzip);
  EXPECT_EQ(c.max_retries, 1);
  Json back = TelemetryConfigToJson(c);
  EXPECT_EQ(TelemetryConfigFromJson(JsonReader(back, "x")), c);
  Json bad = ParseJson(R"({"export": {"timeout_seconds": -1}})", "t");
  try {
    TelemetryConfigFromJson(JsonReader(bad, "config.json", "$.telemetry"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("$.telemetry.export.timeout_seconds"), std::string::npos);
  }
  Json unknown = ParseJson(R"({"phoenix": {"enable": true}})", "t");
  EXPECT_THROW(TelemetryConfigFromJson(JsonReader(unknown, "c", "$.telemetry")), Error);
}

}  // namespace
}  // namespace ctxbench
