// SHA-256, used to verify rank files against the hashes tiktoken publishes
// for them and to key the response cache. OpenSSL's EVP digest (libcrypto).
#pragma once

#include <string>
#include <string_view>

namespace ctxbench {

// The SHA-256 of `data` as 64 lowercase hex digits. Pure and thread-safe;
// throws std::runtime_error only if libcrypto cannot compute a digest at all.
std::string Sha256Hex(std::string_view data);

}  // namespace ctxbench
