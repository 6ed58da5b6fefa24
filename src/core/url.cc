#include "core/url.h"

#include <cctype>

namespace ctxbench {

namespace {

std::string LowerAscii(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool IsHostChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' ||
         c == '~' || c == '%';
}

Expected<Url> Reject(const std::string& reason) { return Expected<Url>::Failure(reason); }

// Where the authority after "://" at `start` ends: the first '/', '?' or '#',
// or the first whitespace when `stop_at_space` (free text).
size_t AuthorityEnd(const std::string& s, size_t start, bool stop_at_space) {
  size_t i = start;
  while (i < s.size() && s[i] != '/' && s[i] != '?' && s[i] != '#' &&
         !(stop_at_space && (std::isspace(static_cast<unsigned char>(s[i])) || s[i] == '"' ||
                             s[i] == '\'' || s[i] == '<' || s[i] == '>'))) {
    ++i;
  }
  return i;
}

}  // namespace

std::string Url::ToString() const {
  std::string s = scheme + "://";
  if (!userinfo.empty()) s += userinfo + "@";
  return s + WithoutCredentials().substr(scheme.size() + 3);
}

std::string Url::WithoutCredentials() const {
  std::string s = scheme + "://" + host;
  if (port) {
    s += ':';  // not ":" + to_string(): GCC 12's false -Warray-bounds with PCH
    s += std::to_string(port);
  }
  s += path;
  if (query) s += "?" + *query;
  if (fragment) s += "#" + *fragment;
  return s;
}

Expected<Url> ParseHttpUrl(const std::string& text) {
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c)) ||
        std::iscntrl(static_cast<unsigned char>(c))) {
      return Reject("URL holds a space or control character");
    }
  }
  size_t sep = text.find("://");
  Url url;
  if (sep != std::string::npos) url.scheme = LowerAscii(text.substr(0, sep));
  if (url.scheme != "http" && url.scheme != "https") {
    return Reject("must be an http:// or https:// URL (e.g. http://localhost:6006)");
  }
  size_t start = sep + 3;
  size_t end = AuthorityEnd(text, start, false);
  std::string authority = text.substr(start, end - start);
  size_t at = authority.rfind('@');
  if (at != std::string::npos) {
    url.userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
  }
  std::string port;
  bool has_port = false;
  if (!authority.empty() && authority[0] == '[') {
    size_t close = authority.find(']');
    if (close == std::string::npos) return Reject("URL has an unclosed '[' in its host");
    url.host = authority.substr(0, close + 1);
    std::string rest = authority.substr(close + 1);
    if (!rest.empty() && rest[0] != ':') return Reject("URL has text after its IPv6 host");
    has_port = !rest.empty();
    if (has_port) port = rest.substr(1);
  } else {
    size_t colon = authority.rfind(':');
    url.host = authority.substr(0, colon);
    has_port = colon != std::string::npos;
    if (has_port) port = authority.substr(colon + 1);
    for (char c : url.host) {
      if (!IsHostChar(c)) return Reject("URL's host holds a character not allowed there");
    }
  }
  if (url.host.empty()) return Reject("URL has no host");
  if (has_port) {
    if (port.empty() || port.size() > 5 ||
        port.find_first_not_of("0123456789") != std::string::npos || std::stoi(port) < 1 ||
        std::stoi(port) > 65535) {
      return Reject("port must be a number in 1-65535");
    }
    url.port = std::stoi(port);
  }
  std::string rest = text.substr(end);
  size_t hash = rest.find('#');
  if (hash != std::string::npos) {
    url.fragment = rest.substr(hash + 1);
    rest = rest.substr(0, hash);
  }
  size_t q = rest.find('?');
  if (q != std::string::npos) {
    url.query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  url.path = rest;
  return url;
}

Url AppendUrlPath(Url url, const std::string& suffix) {
  while (!url.path.empty() && url.path.back() == '/' && !suffix.empty() && suffix[0] == '/') {
    url.path.pop_back();
  }
  url.path += suffix;
  return url;
}

std::string UrlWithoutCredentials(const std::string& url) {
  size_t sep = url.find("://");
  if (sep == std::string::npos) return url;
  size_t start = sep + 3;
  size_t end = AuthorityEnd(url, start, false);
  size_t at = url.rfind('@', end == 0 ? 0 : end - 1);
  if (at == std::string::npos || at < start || at >= end) return url;
  return url.substr(0, start) + url.substr(at + 1);
}

std::string RedactUrlCredentials(std::string text) {
  const std::string mark = "[redacted]";
  for (size_t sep = text.find("://"); sep != std::string::npos; sep = text.find("://", sep + 3)) {
    size_t start = sep + 3;
    size_t end = AuthorityEnd(text, start, true);
    size_t at = text.rfind('@', end == 0 ? 0 : end - 1);
    if (at == std::string::npos || at < start || at >= end) continue;
    if (text.compare(start, at - start, mark) == 0) continue;
    text.replace(start, at - start, mark);
  }
  return text;
}

}  // namespace ctxbench
