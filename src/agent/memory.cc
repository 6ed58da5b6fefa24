#include "agent/memory.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "agent/prompt.h"

namespace ctxbench {

namespace {

std::vector<std::string> Words(const std::string& text) {
  std::vector<std::string> out;
  std::string w;
  for (char c : text + " ") {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') {
      w += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!w.empty()) {
      if (w.size() > 2) out.push_back(w);
      w.clear();
    }
  }
  return out;
}

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

std::string RetrieveFromLog(const std::vector<Event>& events, const std::string& query, int k) {
  std::vector<std::string> terms = Words(query);
  std::set<std::string> unique(terms.begin(), terms.end());
  struct Hit {
    int score;
    int64_t seq;
    std::string text;
  };
  std::vector<Hit> hits;
  for (const Event& e : events) {
    std::string text;
    if ((e.type == EventType::kToolResult || e.type == EventType::kObservation) && e.message) {
      text = e.message->content;
    } else if (e.type == EventType::kNote) {
      text = "Note: " + ValueOr(e.data, "text", std::string(""));
    } else {
      continue;
    }
    if (text.rfind("Retrieved", 0) == 0) continue;  // never retrieve retrievals
    std::string lower = Lower(text);
    int score = 0;
    for (const std::string& t : unique) score += lower.find(t) != std::string::npos;
    if (score > 0) hits.push_back({score, e.seq, text});
  }
  std::stable_sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
    return a.score != b.score ? a.score > b.score : a.seq > b.seq;
  });
  if (hits.empty()) return "Retrieved nothing for \"" + query + "\".";
  std::string out = "Retrieved for \"" + query + "\":";
  for (int i = 0; i < k && i < static_cast<int>(hits.size()); ++i) {
    std::string text = hits[i].text.substr(0, 400);
    out += "\n[" + std::to_string(hits[i].seq) + "] " + text;
  }
  return out;
}

std::string SummarizeExperiments(const std::vector<Event>& events, const TaskSpec& task) {
  std::string out = "Experiments so far:";
  int n = 0;
  std::optional<double> best;
  Json best_config;
  for (const Event& e : events) {
    if (e.type != EventType::kExperiment) continue;
    ++n;
    int number = ValueOr(e.data, "experiment", n);
    if (ValueOr(e.data, "ok", false)) {
      double v = ValueOr(e.data, "valid_metric", 0.0);
      out += "\n" + ExperimentResultText(number, task.metric, e.data["config"], v);
      if (!best || (task.higher_is_better ? v > *best : v < *best)) {
        best = v;
        best_config = e.data["config"];
      }
    } else {
      out += "\n" + ExperimentFailedText(number, e.data["config"],
                                         ValueOr(e.data, "error", std::string("")));
    }
  }
  if (n == 0) return "No experiments yet.";
  if (best) out += "\nBest: config " + best_config.dump() + " with " + FormatMetric(*best);
  return out;
}

}  // namespace ctxbench
