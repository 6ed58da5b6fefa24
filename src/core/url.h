// http(s) URLs: a strict parser for the endpoints users configure, and the
// redaction of credentials (`http://user:pass@host`) before a URL reaches a
// message, a log line, a span or a run folder.
//
// Error channel: ParseHttpUrl returns an Expected (core/expected.h) whose
// error is the reason; the reason never quotes the URL (it may hold a password). Nothing here
// throws. All functions are pure and thread-safe.
#pragma once

#include <optional>
#include <string>

#include "core/expected.h"

namespace ctxbench {

struct Url {
  std::string scheme;                // "http" or "https", lower case
  std::string userinfo;              // "user:pass" before '@'; "" when none. A secret.
  std::string host;                  // "example.com", "127.0.0.1", "[::1]"; never empty
  int port = 0;                      // 1-65535 when given; 0 when the URL names none
  std::string path;                  // "" or starting with '/'
  std::optional<std::string> query;  // after '?', without it
  std::optional<std::string> fragment;

  // The URL again, credentials included.
  std::string ToString() const;
  // The URL without its user info.
  std::string WithoutCredentials() const;
};

// Parses an absolute http:// or https:// URL: scheme http/https (any case),
// a non-empty host, a numeric port in 1-65535 when a ':' follows the host,
// and no whitespace or control character anywhere. Fails with a one-phrase
// reason (e.g. "port must be a number in 1-65535").
Expected<Url> ParseHttpUrl(const std::string& text);

// `url` with `suffix` appended to its path (a '/' at the path's end is not
// doubled), before any query or fragment: "http://h/a?x=1" + "/v1/traces"
// = "http://h/a/v1/traces?x=1".
Url AppendUrlPath(Url url, const std::string& suffix);

// `url` without the user info of its authority. Works on text that does not
// parse too (best effort: the part between "://" and the first '@' before
// the path goes).
std::string UrlWithoutCredentials(const std::string& url);

// `text` (an error message, a log line) with the user info of every
// "scheme://user:pass@host" in it replaced by "[redacted]".
std::string RedactUrlCredentials(std::string text);

}  // namespace ctxbench
