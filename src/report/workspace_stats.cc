#include "report/workspace_stats.h"

#include "events/payloads.h"

namespace ctxbench {

std::optional<WorkspaceStats> ReadWorkspaceStats(const std::vector<Event>& events) {
  WorkspaceStats s;
  bool workspace = false;
  struct Seen {
    std::string key;
    bool fixed = false;
  };
  std::vector<Seen> tracebacks;
  for (const Event& ev : events) {
    bool ok = false;
    Json traceback;
    if (ev.type == EventType::kFinalEvaluation) {
      if (!workspace) continue;  // a tune task's final evaluation
      FinalEvaluationData d = FinalEvaluationData::FromJson(ev.data);
      ok = d.ok;
      if (ok) s.final_valid = d.valid_metric;
      s.hidden_test = d.test_metric;
      if (ok && d.grading.is_object() && d.grading.contains("medal") &&
          d.grading["medal"].is_string()) {
        s.medal = d.grading["medal"].get<std::string>();
        s.above_median = d.grading.value("above_median", false);
      }
    } else if (ev.type == EventType::kExperiment) {
      ExperimentData d = ExperimentData::FromJson(ev.data);
      if (!d.process) continue;  // a tune task's experiment
      workspace = true;
      ok = d.ok;
      traceback = d.process->traceback;
      if (d.experiment > 0) {
        ++s.runs;
        if (!ok) ++s.failed_runs;
      }
    } else {
      continue;
    }
    if (ok) {
      for (Seen& t : tracebacks) t.fixed = true;
      continue;
    }
    const Json& tb = traceback;
    if (!tb.is_object()) continue;
    std::string key = tb.value("type", "") + "\n" + tb.value("message", "") + "\n" +
                      tb.value("file", "") + ":" + std::to_string(tb.value("line", 0));
    bool known = false;
    for (Seen& t : tracebacks) {
      if (t.key == key) t.fixed = false, known = true;  // seen again: not fixed (yet)
    }
    if (!known) tracebacks.push_back({key, false});
  }
  if (!workspace) return std::nullopt;
  s.tracebacks_seen = static_cast<int>(tracebacks.size());
  for (const Seen& t : tracebacks) s.tracebacks_fixed += t.fixed ? 1 : 0;
  return s;
}

}  // namespace ctxbench
