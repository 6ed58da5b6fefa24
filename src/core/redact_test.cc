#include "core/redact.h"

#include <gtest/gtest.h>

#include <string>

namespace ctxbench {
namespace {

TEST(RedactSecretsTest, UserInfoOfUrls) {
  EXPECT_EQ(RedactSecrets("POST http://user:s3cret@127.0.0.1:9/v1/chat failed"),
            "POST http://[redacted]@127.0.0.1:9/v1/chat failed");
}

TEST(RedactSecretsTest, EveryQueryValueOfAUrl) {
  EXPECT_EQ(RedactSecrets("GET https://h/v1/models?key=abc123&api-version=2024 -> 401"),
            "GET https://h/v1/models?key=[redacted]&api-version=[redacted] -> 401");
  EXPECT_EQ(RedactSecrets("\"https://h/x?sig=zz#frag\""), "\"https://h/x?sig=[redacted]#frag\"");
}

TEST(RedactSecretsTest, SecretNamedAssignmentsOutsideUrls) {
  EXPECT_EQ(RedactSecrets("bad api_key=abc123 given"), "bad api_key=[redacted] given");
  EXPECT_EQ(RedactSecrets("TOKEN='xyz' and password=hunter2;"),
            "TOKEN='[redacted]' and password=[redacted];");
  EXPECT_EQ(RedactSecrets(R"({"api_key": "k 1", "model": "m"})"),
            R"({"api_key": "[redacted]", "model": "m"})");
  EXPECT_EQ(RedactSecrets(R"({"Authorization":"Bearer abc def"})"),
            R"({"Authorization":"[redacted]"})");
}

TEST(RedactSecretsTest, BearerAndAuthorizationHeaders) {
  EXPECT_EQ(RedactSecrets("Authorization: Bearer eyJhbGciOi.x-y_z"),
            "Authorization: Bearer [redacted]");
  EXPECT_EQ(RedactSecrets("authorization: Basic dXNlcjpwYXNz\n"),
            "authorization: Basic [redacted]\n");
  EXPECT_EQ(RedactSecrets("sent bearer abc,def"), "sent bearer [redacted],def");
}

TEST(RedactSecretsTest, KeyShapedWords) {
  EXPECT_EQ(RedactSecrets("Incorrect API key provided: sk-proj-****abcd."),
            "Incorrect API key provided: [redacted].");
  EXPECT_EQ(RedactSecrets("task-based"), "task-based");
}

TEST(RedactSecretsTest, LeavesOrdinaryTextAlone) {
  for (std::string text : {"KeyError: 'x' at line 3", "max_tokens=100 exceeded",
                           "a basic model failed", "see https://h/v1/chat/completions", "x = 1",
                           "mail me@host", "ends with ://", "ends with key=", ""}) {
    EXPECT_EQ(RedactSecrets(text), text);
  }
}

TEST(IsSecretNameTest, NamesThatMayHoldASecret) {
  for (const char* name : {"api_key", "X-Api-Key", "access_token", "Authorization", "password",
                           "client_secret", "headers", "Cookie", "sig_signature"}) {
    EXPECT_TRUE(IsSecretName(name)) << name;
  }
  for (const char* name : {"max_tokens", "completion_tokens", "model", "temperature", "base_url"}) {
    EXPECT_FALSE(IsSecretName(name)) << name;
  }
}

TEST(RedactSecretsTest, IsIdempotent) {
  for (std::string text : {"http://u:p@h/?key=v Authorization: Bearer t api_key=z sk-abcdefghijkl",
                           R"({"token": "a"})"}) {
    std::string once = RedactSecrets(text);
    EXPECT_EQ(RedactSecrets(once), once);
    EXPECT_EQ(once.find("p@"), std::string::npos) << once;
  }
}

}  // namespace
}  // namespace ctxbench
