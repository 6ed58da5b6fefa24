#include "agent/memory.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "agent/prompt.h"
#include "context/truncate.h"
#include "events/payloads.h"

namespace ctxbench {

namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

std::string AnswerQuestion(const TaskSpec& task, const std::string& data_notes,
                           const std::string& question, std::string* source) {
  std::string q = Lower(question);
  int best_hits = 0;
  const FaqEntry* best = nullptr;
  for (const FaqEntry& entry : task.faq) {
    int hits = 0;
    for (const std::string& kw : entry.keywords) hits += q.find(Lower(kw)) != std::string::npos;
    if (hits > best_hits) {
      best_hits = hits;
      best = &entry;
    }
  }
  if (best != nullptr) {
    *source = "faq";
    return "Clarification: " + best->answer;
  }
  for (const char* kw : {"data", "row", "column", "feature", "missing", "class"}) {
    if (q.find(kw) != std::string::npos && !data_notes.empty()) {
      *source = "data";
      return "Clarification: " + data_notes;
    }
  }
  *source = "none";
  return "Clarification: no answer is on file for that question. The task statement has "
         "everything else.";
}

MemoryRetriever::Result MemoryRetriever::Retrieve(const std::vector<Event>& events,
                                                  const std::string& query, int k) {
  constexpr size_t kShownChars = 400;
  if (!index_) index_ = std::make_unique<MemoryIndex>();
  index_->Update(events);
  // Ask for more than k: duplicates of a better hit are skipped below.
  int64_t next_seq = events.empty() ? 0 : events.back().seq + 1;
  std::vector<MemoryHit> found = index_->Search(query, next_seq, std::max(k, 0) * 3);
  Result r;
  std::set<std::string> shown;
  for (MemoryHit& h : found) {
    if (static_cast<int>(r.hits.size()) >= k) break;
    if (!shown.insert(h.text).second) continue;
    std::string text = h.text.substr(0, Utf8Boundary(h.text, std::min(h.text.size(), kShownChars)));
    r.text += "\n[event " + std::to_string(h.seq) + ", " + h.kind + "] " + text;
    r.hits.push_back({{"seq", h.seq}, {"kind", h.kind}, {"bm25", h.score}, {"text", text}});
  }
  if (r.hits.empty()) {
    r.text = "Retrieved nothing for \"" + query + "\".";
  } else {
    r.text = "Retrieved for \"" + query + "\" (BM25, best first):" + r.text;
  }
  return r;
}

std::string SummarizeExperiments(const std::vector<Event>& events, const TaskSpec& task) {
  std::string out = "Experiments so far:";
  int n = 0;
  std::optional<double> best;
  Json best_config;
  for (const Event& e : events) {
    if (e.type != EventType::kExperiment) continue;
    ++n;
    ExperimentData d = ExperimentData::FromJson(e.data);
    if (d.ok) {
      double v = d.valid_metric.value_or(0);
      out += "\n" + ExperimentResultText(d.experiment, task.metric, d.config, v);
      if (!best || (task.higher_is_better ? v > *best : v < *best)) {
        best = v;
        best_config = d.config;
      }
    } else {
      out += "\n" + ExperimentFailedText(d.experiment, d.config, d.error);
    }
  }
  if (n == 0) return "No experiments yet.";
  if (best) out += "\nBest: config " + best_config.dump() + " with " + FormatMetric(*best);
  return out;
}

}  // namespace ctxbench
