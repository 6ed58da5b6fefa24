#include "context/retrieved_section.h"

#include "context/policy.h"

namespace ctxbench {

Json RetrievedSection::ToJson() const {
  Json list = Json::array();
  for (const RetrievedItem& i : items) {
    list.push_back({{"seq", i.seq}, {"kind", i.kind}, {"bm25", i.bm25}});
  }
  Json j = {{"items", std::move(list)}};
  if (query) j["query"] = *query;
  if (memory_from_seq) j["memory_from_seq"] = *memory_from_seq;
  return j;
}

std::optional<RetrievedSection> RetrievedSection::FromManifest(const Manifest& manifest) {
  const Json* section = &manifest.extra;
  for (const char* k : {"sections", "retrieved"}) {
    if (!section->is_object()) return std::nullopt;
    auto it = section->find(k);
    if (it == section->end()) return std::nullopt;
    section = &*it;
  }
  if (!section->is_object()) return std::nullopt;
  RetrievedSection s;
  if (auto items = section->find("items"); items != section->end() && items->is_array()) {
    for (const Json& item : *items) {
      s.items.push_back({ValueOr(item, "seq", int64_t{-1}), ValueOr(item, "kind", std::string()),
                         ValueOr(item, "bm25", 0.0)});
    }
  }
  if (auto q = section->find("query"); q != section->end() && q->is_string()) {
    s.query = q->get<std::string>();
  }
  if (auto m = section->find("memory_from_seq"); m != section->end() && m->is_number_integer()) {
    s.memory_from_seq = m->get<int64_t>();
  }
  return s;
}

}  // namespace ctxbench
