#include "context/state_block.h"

#include <set>

#include "context/result_text.h"
#include "events/payloads.h"

namespace ctxbench {

namespace {

std::string FirstLine(const std::string& text) { return text.substr(0, text.find('\n')); }

}  // namespace

Section StateSection(const std::vector<Event>& events, const LogIndex& index,
                     const StateOptions& o) {
  std::string metric = "metric";
  std::string s = "State kept by the harness (complete as of this message):\n";
  if (const EpisodeStartData* start = index.episode_start()) {
    if (!start->metric.empty()) metric = start->metric;
    bool higher = start->higher_is_better;
    s += "Goal: " +
         FirstLine(index.head().size() > 1 ? events[index.head()[1]].message->content
                                           : std::string("improve the metric")) +
         "; metric " + metric + " (" + (higher ? "higher" : "lower") + " is better)";
    if (start->target_metric) {
      s += ", target " + std::string(higher ? ">= " : "<= ") + FormatMetric(*start->target_metric);
    }
    s += ".\n";
    // Absent only when the baseline failed, and then no context is built.
    if (!start->baseline_config.is_null() && start->baseline_metric) {
      s += "Baseline: config " + start->baseline_config.dump() + " -> validation " + metric +
           " = " + FormatMetric(*start->baseline_metric) + "\n";
    }
  }
  const auto& xs = index.experiments();
  size_t failed = 0;
  for (size_t e : index.errors()) failed += events[e].type == EventType::kExperiment;
  s += "Experiments run: " + std::to_string(xs.size()) + " (" + std::to_string(failed) +
       " failed).\n";
  std::vector<size_t> best = index.BestExperiments(o.best_experiments);
  std::set<size_t> shown(best.begin(), best.end());
  if (!best.empty()) {
    s += "Best so far: " +
         ExperimentResultText(xs[best[0]].number, metric, xs[best[0]].config, xs[best[0]].value) +
         "\n";
    s += "Top experiments, best first:\n";
    for (size_t i : best) {
      s += ExperimentResultText(xs[i].number, metric, xs[i].config, xs[i].value) + "\n";
    }
  }
  std::string recent;
  size_t added = 0;
  for (size_t i = xs.size(); i-- > 0 && added < o.recent_experiments;) {
    if (shown.count(i)) continue;
    const auto& x = xs[i];
    recent = (x.ok ? ExperimentResultText(x.number, metric, x.config, x.value)
                   : ExperimentFailedText(x.number, x.config, x.error)) +
             "\n" + recent;
    shown.insert(i);
    ++added;
  }
  if (!recent.empty()) s += "Latest other experiments:\n" + recent;
  if (shown.size() < xs.size()) {
    s += "(" + std::to_string(xs.size() - shown.size()) + " more experiments not shown)\n";
  }
  const auto& errors = index.errors();
  if (!errors.empty()) {
    s += "Errors seen (latest " + std::to_string(std::min(errors.size(), o.errors)) + " of " +
         std::to_string(errors.size()) + "):\n";
    for (size_t k = errors.size() > o.errors ? errors.size() - o.errors : 0; k < errors.size();
         ++k) {
      const Event& e = events[errors[k]];
      s += "- " +
           (e.type == EventType::kInvalidAction ? InvalidActionData::FromJson(e.data).reason
                                                : ExperimentData::FromJson(e.data).error) +
           "\n";
    }
  }
  const auto& notes = index.notes();
  if (!notes.empty()) {
    s += "Notes:\n";
    for (size_t k = notes.size() > o.notes ? notes.size() - o.notes : 0; k < notes.size(); ++k) {
      s += "- " + NoteData::FromJson(events[notes[k]].data).text + "\n";
    }
  }
  if (!index.clarifications().empty()) {
    s += "Clarification hints:\n";
    for (size_t c : index.clarifications()) {
      s += "- " + ClarificationData::FromJson(events[c].data).answer + "\n";
    }
  }
  Section section;
  section.name = "state";
  section.message = {Role::kUser, s, {}, "", ""};
  section.detail = {{"experiments", xs.size()}, {"rows", shown.size()}};
  return section;
}

}  // namespace ctxbench
