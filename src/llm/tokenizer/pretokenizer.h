// Pre-tokenisation: splitting text into the pieces an encoding's pattern
// matches (tiktoken's `pat_str`), before byte-pair merging.
//
// Runs PCRE2 with UTF + UCP and JIT. The PCRE2 types stay in the .cc. The
// compiled pattern is shared and read-only; per-thread match state lives in
// thread-local storage, so one Pretokenizer may be used from many threads.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace ctxbench {

class Pretokenizer {
 public:
  // Compiles `pattern` (PCRE2 syntax). Throws a runtime error naming the
  // offset when it does not compile.
  explicit Pretokenizer(const std::string& pattern);
  ~Pretokenizer();
  Pretokenizer(const Pretokenizer&) = delete;
  Pretokenizer& operator=(const Pretokenizer&) = delete;

  // Finds the first match at or after `from`; sets [*begin, *end) and returns
  // true, or returns false when there is none. A match is never empty.
  // REQUIRES: `text` is valid UTF-8 and `from` is on a character boundary.
  bool Next(std::string_view text, size_t from, size_t* begin, size_t* end) const;

  bool jit() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ctxbench
