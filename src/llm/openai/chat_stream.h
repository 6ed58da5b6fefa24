// Assembling a streamed (SSE) chat completion: `data: {chunk}` events whose
// deltas carry content pieces and tool-call argument fragments (keyed by the
// call's index), then an optional usage chunk and `data: [DONE]`.
//
// Feed() takes bytes as they arrive, in pieces of any size. Not thread-safe.
// Error channel: Finish returns an Expected<Completion> (core/expected.h);
// nothing throws.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "core/expected.h"
#include "llm/model.h"

namespace ctxbench {

class ChatStreamAssembler {
 public:
  // More than `max_bytes` fed in all: the rest is dropped and Finish fails.
  explicit ChatStreamAssembler(size_t max_bytes = SIZE_MAX) : max_bytes_(max_bytes) {}

  void Feed(std::string_view bytes);
  // [DONE] was seen.
  bool done() const { return done_; }
  // Characters of content and tool arguments received so far (for progress).
  size_t received_chars() const { return received_chars_; }
  // The assembled completion; failed with a reason if the stream ended
  // without [DONE] and without a finish_reason, a chunk was not JSON (or
  // nested deeper than kMaxJsonDepth) or reported an error, or more than
  // max_bytes were fed. `text_tools` as in ParseChatResponse.
  Expected<Completion> Finish(bool text_tools);

 private:
  void Append(std::string_view bytes);  // Feed without the byte count
  void Event(const std::string& data);

  std::string pending_;  // bytes of an incomplete line
  std::string data_;     // data lines of the current event
  std::string content_;
  struct Call {
    std::string id, name, arguments;
  };
  std::map<int, Call> calls_;
  std::string finish_reason_;
  Usage usage_;
  bool have_usage_ = false;
  bool done_ = false;
  std::string error_;
  size_t received_chars_ = 0;
  size_t max_bytes_;
  size_t fed_bytes_ = 0;
};

}  // namespace ctxbench
