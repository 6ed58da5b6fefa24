#include "report/workspace_stats.h"

namespace ctxbench {

namespace {

std::optional<double> Number(const Json& data, const char* key) {
  auto it = data.find(key);
  if (it == data.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

}  // namespace

std::optional<WorkspaceStats> ReadWorkspaceStats(const std::vector<Event>& events) {
  WorkspaceStats s;
  bool workspace = false;
  struct Seen {
    std::string key;
    bool fixed = false;
  };
  std::vector<Seen> tracebacks;
  for (const Event& ev : events) {
    if (ev.type != EventType::kExperiment || !ev.data.is_object()) continue;
    const Json& d = ev.data;
    auto number = d.find("experiment");
    bool is_final = number != d.end() && number->is_string() &&
                    number->get_ref<const std::string&>() == "final";
    if (!is_final && !d.contains("exit_code")) continue;  // a tune task's experiment
    workspace = true;
    bool ok = d.value("ok", false);
    if (is_final) {
      if (ok) s.final_valid = Number(d, "valid_metric");
      s.hidden_test = Number(d, "test_metric");
    } else if (Number(d, "experiment").value_or(0) > 0) {
      ++s.runs;
      if (!ok) ++s.failed_runs;
    }
    if (ok) {
      for (Seen& t : tracebacks) t.fixed = true;
      continue;
    }
    auto tb = d.find("traceback");
    if (tb == d.end() || !tb->is_object()) continue;
    std::string key = tb->value("type", "") + "\n" + tb->value("message", "") + "\n" +
                      tb->value("file", "") + ":" + std::to_string(tb->value("line", 0));
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
