#include "core/redact.h"

#include <algorithm>
#include <cctype>
#include <string_view>

#include "core/url.h"

namespace ctxbench {

namespace {

constexpr std::string_view kMark = "[redacted]";

bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }
bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
}
// Where a value ends: whitespace, a quote, a separator or a closing bracket.
bool EndsValue(char c) {
  return IsSpace(c) || c == '"' || c == '\'' || c == '&' || c == '#' || c == ',' || c == ';' ||
         c == ')' || c == ']' || c == '}' || c == '<' || c == '>';
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Replaces the value starting at `at` (up to EndsValue) with the mark; returns
// the index just past what now stands there.
size_t ReplaceValue(std::string& text, size_t at) {
  if (text.compare(at, kMark.size(), kMark) == 0) return at + kMark.size();
  size_t end = at;
  while (end < text.size() && !EndsValue(text[end])) ++end;
  if (end == at) return end;
  text.replace(at, end - at, kMark);
  return at + kMark.size();
}

// Every query parameter's value of every URL in `text`.
void RedactQueries(std::string& text) {
  for (size_t sep = text.find("://"); sep != std::string::npos; sep = text.find("://", sep + 3)) {
    size_t i = sep + 3;
    while (i < text.size() && !IsSpace(text[i]) && text[i] != '"' && text[i] != '\'' &&
           text[i] != '?' && text[i] != '<' && text[i] != '>') {
      ++i;
    }
    if (i >= text.size() || text[i] != '?') continue;
    while (i < text.size() && (text[i] == '?' || text[i] == '&')) {
      size_t eq = i + 1;
      while (eq < text.size() && !EndsValue(text[eq]) && text[eq] != '=') ++eq;
      if (eq < text.size() && text[eq] == '=') {
        i = ReplaceValue(text, eq + 1);
      } else {
        i = eq;
      }
    }
  }
}

// name=value and "name": "value" with a secret-looking name.
void RedactAssignments(std::string& text) {
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c != '=' && c != ':') continue;
    size_t name_end = i;
    bool quoted = name_end > 0 && text[name_end - 1] == '"';
    if (quoted) --name_end;
    size_t name_start = name_end;
    while (name_start > 0 && IsNameChar(text[name_start - 1])) --name_start;
    if (name_start == name_end) continue;
    if (quoted && (name_start == 0 || text[name_start - 1] != '"')) continue;
    if (c == ':' && !quoted) continue;  // "KeyError: x" is prose, not a field
    if (!IsSecretName(std::string_view(text).substr(name_start, name_end - name_start))) continue;
    size_t v = i + 1;
    while (v < text.size() && text[v] == ' ') ++v;
    if (v < text.size() && (text[v] == '"' || text[v] == '\'')) {
      // A quoted value goes up to its closing quote ("Bearer x" as one).
      size_t close = text.find(text[v], v + 1);
      if (close == std::string::npos) close = text.size();
      if (close > v + 1 && text.compare(v + 1, close - v - 1, kMark) != 0) {
        text.replace(v + 1, close - v - 1, kMark);
        close = v + 1 + kMark.size();
      }
      i = close;
      continue;
    }
    i = ReplaceValue(text, v) - 1;
  }
}

// "Bearer X" anywhere, and the credential of "Authorization: Scheme X".
void RedactSchemes(std::string& text) {
  std::string lower = Lower(text);
  for (std::string_view word : {"bearer ", "authorization: "}) {
    for (size_t at = lower.find(word); at != std::string::npos; at = lower.find(word, at + 1)) {
      if (at > 0 && IsNameChar(lower[at - 1])) continue;
      size_t v = at + word.size();
      while (v < text.size() && text[v] == ' ') ++v;
      if (word == "authorization: ") {  // skip the scheme word, if one follows
        size_t w = v;
        while (w < text.size() && std::isalpha(static_cast<unsigned char>(text[w]))) ++w;
        if (w < text.size() && text[w] == ' ') v = w + 1;
      }
      ReplaceValue(text, v);
      lower = Lower(text);
    }
  }
}

// Key-shaped words: "sk-" and 9 or more key characters.
void RedactKeyShapedWords(std::string& text) {
  for (size_t at = text.find("sk-"); at != std::string::npos; at = text.find("sk-", at + 1)) {
    if (at > 0 && (std::isalnum(static_cast<unsigned char>(text[at - 1])) || text[at - 1] == '-'))
      continue;
    size_t end = at + 3;
    while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) ||
                                 text[end] == '-' || text[end] == '_' || text[end] == '*')) {
      ++end;
    }
    if (end - at >= 12) text.replace(at, end - at, kMark);
  }
}

}  // namespace

bool IsSecretName(std::string_view name) {
  std::string n = Lower(name);
  for (std::string_view word : {"key", "secret", "password", "passwd", "auth", "credential",
                                "signature", "cookie", "header"}) {
    if (n.find(word) != std::string::npos) return true;
  }
  // A token, but not a count of tokens (max_tokens, completion_tokens).
  bool count =
      n.rfind("max", 0) == 0 || (n.size() >= 6 && n.compare(n.size() - 6, 6, "tokens") == 0);
  return n.find("token") != std::string::npos && !count;
}

std::string RedactSecrets(std::string text) {
  text = RedactUrlCredentials(std::move(text));
  RedactQueries(text);
  RedactSchemes(text);
  RedactAssignments(text);
  RedactKeyShapedWords(text);
  return text;
}

}  // namespace ctxbench
