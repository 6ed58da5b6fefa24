// The retrieved section's record in a context's manifest
// (extra.sections.retrieved): what the retrieve stage showed and why.
// Written by the stage (context/stages.cc) and read by the spans and the
// viewer's X-ray through this struct, never by key.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/json.h"

namespace ctxbench {

struct Manifest;  // context/policy.h

// One memory item shown, best first.
struct RetrievedItem {
  int64_t seq = -1;  // the event it stands for
  std::string kind;  // the memory item's kind ("note", "experiment", ...)
  double bm25 = 0;   // as FTS5 reports it: lower is better
};

struct RetrievedSection {
  std::vector<RetrievedItem> items;
  std::optional<std::string> query;        // what the memory was searched with
  std::optional<int64_t> memory_from_seq;  // the oldest item still held, when some were evicted

  // {"items": [{seq, kind, bm25}], "query", "memory_from_seq" (when set)}.
  Json ToJson() const;
  // The section recorded in `manifest`'s extra; nullopt when it has none.
  // Lenient, as a view of policy-specific detail is: a field missing or of
  // another type keeps its default. Never throws.
  static std::optional<RetrievedSection> FromManifest(const Manifest& manifest);
};

}  // namespace ctxbench
