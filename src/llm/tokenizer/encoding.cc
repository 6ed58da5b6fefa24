#include "llm/tokenizer/encoding.h"

#include <algorithm>

#include "core/error.h"
#include "llm/tokenizer/byte_pair.h"
#include "llm/tokenizer/utf8.h"

namespace ctxbench {

Encoding::Encoding(const EncodingSpec& spec, RankMap ranks)
    : spec_(spec), ranks_(std::move(ranks)), pretokenizer_(spec_.pattern) {
  vocab_size_ = ranks_.end_rank();
  for (const auto& [text, id] : spec_.special_tokens) {
    vocab_size_ = std::max<size_t>(vocab_size_, size_t{id} + 1);
  }
}

void Encoding::EncodeOrdinaryInto(std::string_view text, std::vector<Rank>* out) const {
  size_t pos = 0, begin = 0, end = 0;
  while (pretokenizer_.Next(text, pos, &begin, &end)) {
    std::string_view piece = text.substr(begin, end - begin);
    Rank whole = ranks_.Find(piece);
    if (whole != kNoRank) {
      out->push_back(whole);
    } else {
      BytePairEncode(piece, ranks_, out);
    }
    pos = end;
  }
}

void Encoding::EncodeInto(std::string_view text, SpecialTokens special,
                          std::vector<Rank>* out) const {
  std::string repaired;
  if (!IsValidUtf8(text)) {
    repaired = ReplaceInvalidUtf8(text);
    text = repaired;
  }
  if (special == SpecialTokens::kAsText) {
    EncodeOrdinaryInto(text, out);
    return;
  }
  // Split at each special token; the text between is ordinary.
  size_t pos = 0;
  while (pos < text.size()) {
    size_t best = std::string_view::npos;
    const std::pair<std::string, Rank>* found = nullptr;
    for (const auto& entry : spec_.special_tokens) {
      size_t at = text.find(entry.first, pos);
      if (at < best || (at == best && found && entry.first.size() > found->first.size())) {
        best = at;
        found = &entry;
      }
    }
    if (found == nullptr) break;
    EncodeOrdinaryInto(text.substr(pos, best - pos), out);
    out->push_back(found->second);
    pos = best + found->first.size();
  }
  if (pos < text.size()) EncodeOrdinaryInto(text.substr(pos), out);
}

std::vector<Rank> Encoding::Encode(std::string_view text, SpecialTokens special) const {
  std::vector<Rank> ids;
  ids.reserve(text.size() / 3 + 1);
  EncodeInto(text, special, &ids);
  return ids;
}

size_t Encoding::Count(std::string_view text) const {
  thread_local std::vector<Rank> scratch;
  scratch.clear();
  EncodeInto(text, SpecialTokens::kAsText, &scratch);
  size_t n = scratch.size();
  if (scratch.capacity() > (1u << 20)) std::vector<Rank>().swap(scratch);
  return n;
}

std::string Encoding::DecodeBytes(std::span<const Rank> ids) const {
  std::string out;
  for (Rank id : ids) {
    std::string_view bytes = ranks_.Bytes(id);
    if (bytes.empty()) {
      for (const auto& [text, special] : spec_.special_tokens) {
        if (special == id) bytes = text;
      }
    }
    if (bytes.empty()) {
      ThrowInput("token id " + std::to_string(id),
                 "not in " + spec_.name + " (ids run 0.." + std::to_string(vocab_size_ - 1) + ")");
    }
    out.append(bytes);
  }
  return out;
}

std::string Encoding::Decode(std::span<const Rank> ids) const {
  return ReplaceInvalidUtf8(DecodeBytes(ids));
}

Rank Encoding::SpecialTokenId(std::string_view text) const {
  for (const auto& [special, id] : spec_.special_tokens) {
    if (special == text) return id;
  }
  return kNoRank;
}

}  // namespace ctxbench
