// Redaction of what may be a secret in free text (an error message, a log
// line, a span's status, a model's params) before it reaches a trace, a
// store, a report, a span or the terminal. The one text redactor: telemetry
// and the model clients both call it.
//
// Pure and thread-safe; never throws.
#pragma once

#include <string>
#include <string_view>

namespace ctxbench {

// `text` with each of these replaced by "[redacted]":
//  * the user info of every "scheme://user:pass@host" (RedactUrlCredentials);
//  * the value of every query parameter of such a URL ("?key=", "&sig=");
//  * the value of a secret-named assignment outside URLs ("api_key=...",
//    "token=...", "\"password\": \"...\"", a quoted value whole): a name holding key, token,
//    secret, password, passwd, auth, credential or signature, other than a count of tokens such as
//    max_tokens;
//  * the credential after "Bearer " (any case) and the one in
//    "Authorization: <scheme> <credential>";
//  * key-shaped words "sk-..." of 12 characters or more.
// Text already redacted stays as it is (the function is idempotent).
std::string RedactSecrets(std::string text);

// Whether a field, parameter or header named `name` may hold a secret: the
// name holds (any case) key, secret, password, passwd, auth, credential,
// signature, cookie or header, or token other than as a count of tokens
// (max_tokens, completion_tokens).
bool IsSecretName(std::string_view name);

}  // namespace ctxbench
