// SHA-256 (FIPS 180-4), used to verify rank files against the hashes tiktoken
// publishes for them. Written here to avoid a crypto dependency for one use.
#pragma once

#include <string>
#include <string_view>

namespace ctxbench {

// The SHA-256 of `data` as 64 lowercase hex digits. Pure and thread-safe.
std::string Sha256Hex(std::string_view data);

}  // namespace ctxbench
