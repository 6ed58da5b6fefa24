// A BPE encoding (cl100k_base, o200k_base): text <-> token ids, exactly as
// tiktoken computes them.
//
// Immutable after construction; every method is const and thread-safe.
// Errors: the constructor throws a runtime error when the pattern does not
// compile; Decode* throw an input error for an id outside the vocabulary.
// Encoding never fails: invalid UTF-8 is first replaced as tiktoken's callers
// replace it (see utf8.h).
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "llm/tokenizer/encoding_spec.h"
#include "llm/tokenizer/pretokenizer.h"
#include "llm/tokenizer/rank_map.h"

namespace ctxbench {

// How text that spells a special token (e.g. "<|endoftext|>") is encoded.
enum class SpecialTokens {
  kAsText,   // as ordinary text, like tiktoken's encode_ordinary (and like
             // OpenAI's API treats message content)
  kAllowed,  // as the special token's id, like encode(allowed_special="all")
};

class Encoding {
 public:
  // REQUIRES: `ranks` holds every single byte (true of tiktoken's files).
  Encoding(const EncodingSpec& spec, RankMap ranks);
  Encoding(const Encoding&) = delete;
  Encoding& operator=(const Encoding&) = delete;

  const std::string& name() const { return spec_.name; }

  std::vector<Rank> Encode(std::string_view text,
                           SpecialTokens special = SpecialTokens::kAsText) const;
  // Appends the ids of `text` to `out`.
  void EncodeInto(std::string_view text, SpecialTokens special, std::vector<Rank>* out) const;
  // The number of ids Encode(text, kAsText) returns, without keeping them.
  size_t Count(std::string_view text) const;

  // The bytes the ids stand for, concatenated (may split a UTF-8 character
  // when `ids` is a slice of an encoding).
  std::string DecodeBytes(std::span<const Rank> ids) const;
  // DecodeBytes with invalid UTF-8 replaced by U+FFFD, like
  // tiktoken's decode(errors="replace").
  std::string Decode(std::span<const Rank> ids) const;

  // The id of special token `text`, or kNoRank when it is not one.
  Rank SpecialTokenId(std::string_view text) const;
  // One more than the largest id (ordinary or special).
  size_t vocab_size() const { return vocab_size_; }
  const RankMap& ranks() const { return ranks_; }

 private:
  void EncodeOrdinaryInto(std::string_view valid_utf8, std::vector<Rank>* out) const;

  EncodingSpec spec_;
  RankMap ranks_;
  Pretokenizer pretokenizer_;
  size_t vocab_size_ = 0;
};

}  // namespace ctxbench
