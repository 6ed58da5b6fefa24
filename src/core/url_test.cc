#include "core/url.h"

#include <gtest/gtest.h>

namespace ctxbench {
namespace {

std::string Why(const std::string& text) {
  Expected<Url> url = ParseHttpUrl(text);
  EXPECT_FALSE(url.ok()) << text;
  return url.error();
}

TEST(UrlTest, ParsesEveryPart) {
  auto u = ParseHttpUrl("HTTPS://me:pw@Example.com:8443/s/space/?a=1&b=2#top");
  ASSERT_TRUE(u) << u.error();
  EXPECT_EQ(u->scheme, "https");
  EXPECT_EQ(u->userinfo, "me:pw");
  EXPECT_EQ(u->host, "Example.com");
  EXPECT_EQ(u->port, 8443);
  EXPECT_EQ(u->path, "/s/space/");
  EXPECT_EQ(u->query, "a=1&b=2");
  EXPECT_EQ(u->fragment, "top");
  EXPECT_EQ(u->ToString(), "https://me:pw@Example.com:8443/s/space/?a=1&b=2#top");
  EXPECT_EQ(u->WithoutCredentials(), "https://Example.com:8443/s/space/?a=1&b=2#top");

  auto bare = ParseHttpUrl("http://localhost");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->port, 0);
  EXPECT_EQ(bare->path, "");
  EXPECT_FALSE(bare->query.has_value());
  EXPECT_EQ(bare->ToString(), "http://localhost");

  auto v6 = ParseHttpUrl("http://[::1]:6006/v1");
  ASSERT_TRUE(v6) << v6.error();
  EXPECT_EQ(v6->host, "[::1]");
  EXPECT_EQ(v6->port, 6006);
}

TEST(UrlTest, RejectsMalformedEndpointsWithoutQuotingThem) {
  EXPECT_EQ(Why("http://:6006"), "URL has no host");
  EXPECT_EQ(Why("http://"), "URL has no host");
  EXPECT_EQ(Why("http://host:port/v1"), "port must be a number in 1-65535");
  EXPECT_EQ(Why("http://host:0"), "port must be a number in 1-65535");
  EXPECT_EQ(Why("http://host:65536"), "port must be a number in 1-65535");
  EXPECT_EQ(Why("http://host:/v1"), "port must be a number in 1-65535");
  EXPECT_EQ(Why("http://host:123456"), "port must be a number in 1-65535");
  EXPECT_EQ(Why("http://my host:6006"), "URL holds a space or control character");
  EXPECT_EQ(Why("http://host:6006/v1 "), "URL holds a space or control character");
  EXPECT_NE(Why("ftp://host").find("http:// or https://"), std::string::npos);
  EXPECT_NE(Why("localhost:6006").find("http:// or https://"), std::string::npos);
  EXPECT_EQ(Why("http://ho^st"), "URL's host holds a character not allowed there");
  EXPECT_EQ(Why("http://[::1"), "URL has an unclosed '[' in its host");
  std::string why = Why("http://user:s3cret@host:bad");
  EXPECT_EQ(why.find("s3cret"), std::string::npos);
  EXPECT_TRUE(ParseHttpUrl("http://host:65535"));
  EXPECT_FALSE(ParseHttpUrl("http://host:x"));
}

TEST(UrlTest, AppendsToThePathBeforeTheQuery) {
  auto u = ParseHttpUrl("https://app.example.com/s/me/?token=abc#f");
  ASSERT_TRUE(u);
  EXPECT_EQ(AppendUrlPath(*u, "/v1/traces").ToString(),
            "https://app.example.com/s/me/v1/traces?token=abc#f");
  EXPECT_EQ(AppendUrlPath(*ParseHttpUrl("http://h:1"), "/v1/traces").ToString(),
            "http://h:1/v1/traces");
}

TEST(UrlTest, RemovesCredentialsFromUrlsAndText) {
  EXPECT_EQ(UrlWithoutCredentials("http://user:s3cret@127.0.0.1:8080/v1?x=a@b"),
            "http://127.0.0.1:8080/v1?x=a@b");
  EXPECT_EQ(UrlWithoutCredentials("http://127.0.0.1/v1?x=a@b"), "http://127.0.0.1/v1?x=a@b");
  EXPECT_EQ(UrlWithoutCredentials("not a url"), "not a url");
  EXPECT_EQ(UrlWithoutCredentials("http://a:b@c:bad port"), "http://c:bad port");

  EXPECT_EQ(RedactUrlCredentials("POST http://user:s3cret@h:1/v1/chat failed; see https://x/y"),
            "POST http://[redacted]@h:1/v1/chat failed; see https://x/y");
  EXPECT_EQ(RedactUrlCredentials("\"base_url\":\"http://u:p@h\",\"b\":\"https://v:q@i/\""),
            "\"base_url\":\"http://[redacted]@h\",\"b\":\"https://[redacted]@i/\"");
  EXPECT_EQ(RedactUrlCredentials("mail me@host; http://h/a@b"), "mail me@host; http://h/a@b");
  EXPECT_EQ(RedactUrlCredentials("ends with ://"), "ends with ://");
  EXPECT_EQ(RedactUrlCredentials("http://[redacted]@h"), "http://[redacted]@h");
}

}  // namespace
}  // namespace ctxbench
