#include "agent/clarifier.h"

#include <cctype>

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

}  // namespace ctxbench
