#include "llm/sim_workspace.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>

#include "core/hash.h"
#include "core/json_limits.h"

namespace ctxbench {

namespace {

struct Call {
  std::string name;
  Json args;
  std::optional<std::string> result;  // the tool's reply, when visible
};

// What sim reads off a workspace episode's messages.
struct WorkspaceView {
  std::string config_file;
  std::string data_file;                   // the first .csv in the file listing
  std::optional<std::string> config_text;  // latest visible content of the config file
  std::vector<std::string> header;         // columns of a visible csv header line
  std::vector<Call> calls;                 // in order
  std::optional<std::string> failure;      // the latest failure, when no run succeeded after it
  bool edited_since_failure = false;       // a successful edit after that failure
  int failed_edits = 0;                    // edit_file errors since that failure
  bool wrote_since_run = false;            // a successful write/edit/undo after the latest run
};

bool IsOk(const Call& c) { return c.result && c.result->rfind("Error:", 0) != 0; }

WorkspaceView ReadWorkspaceView(const std::vector<Message>& messages) {
  WorkspaceView v;
  static const std::regex config_re(R"(Config file: (\S+))");
  static const std::regex csv_re(R"((\S+\.csv) \(\d+ bytes\))");
  std::map<std::string, size_t> by_id;
  for (const Message& m : messages) {
    std::smatch match;
    if (m.role == Role::kUser || m.role == Role::kSystem) {
      if (v.config_file.empty() && std::regex_search(m.content, match, config_re)) {
        v.config_file = match[1];
      }
      if (v.data_file.empty() && std::regex_search(m.content, match, csv_re))
        v.data_file = match[1];
      if (m.content.find("The starter run fails:") != std::string::npos) v.failure = m.content;
      if (m.content.find("Give your final answer") != std::string::npos) continue;
    }
    if (m.role == Role::kAssistant) {
      for (const ToolCall& tc : m.tool_calls) {
        Json args = ParseJsonWithin(tc.arguments);  // a model wrote them: any text

        by_id[tc.id] = v.calls.size();
        v.calls.push_back({tc.name, args.is_object() ? args : Json::object(), std::nullopt});
      }
    }
    if (m.role == Role::kTool) {
      auto it = by_id.find(m.tool_call_id);
      if (it == by_id.end()) continue;
      Call& c = v.calls[it->second];
      c.result = m.content;
      bool ok = IsOk(c);
      if (c.name == "edit_file" && !ok && v.failure) ++v.failed_edits;
      std::string path = ValueOr(c.args, "path", std::string());
      if (c.name == "read_file" && ok) {
        std::string body = m.content.substr(std::min(m.content.size(), m.content.find('\n') + 1));
        if (path == v.config_file) v.config_text = body;
        if (path.size() > 4 && path.substr(path.size() - 4) == ".csv") {
          std::string line = body.substr(0, body.find('\n'));
          v.header.clear();
          std::stringstream ss(line);
          for (std::string col; std::getline(ss, col, ',');) v.header.push_back(col);
        }
      }
      if ((c.name == "write_file" || c.name == "edit_file" || c.name == "undo_edit") && ok) {
        v.wrote_since_run = true;
        if (v.failure) v.edited_since_failure = true;
        if (c.name == "write_file" && path == v.config_file) {
          v.config_text = ValueOr(c.args, "content", std::string());
        }
        if (c.name != "write_file" && path == v.config_file) v.config_text.reset();
      }
      if (c.name == "run") {
        v.wrote_since_run = false;
        if (m.content.find(" failed: ") != std::string::npos) {
          v.failure = m.content;
          v.edited_since_failure = false;
          v.failed_edits = 0;
        } else {
          v.failure.reset();
        }
      }
    }
  }
  return v;
}

double RoundTo4Digits(double x) {
  if (x == 0 || !std::isfinite(x)) return x;
  double scale = std::pow(10.0, 3 - static_cast<int>(std::floor(std::log10(std::fabs(x)))));
  return std::round(x * scale) / scale;
}

Json Scale(const Json& value, double factor) {
  if (value.is_number_integer()) {
    return std::max<long long>(1, std::llround(value.get<double>() * factor));
  }
  if (value.is_number()) return RoundTo4Digits(value.get<double>() * factor);
  return value;
}

// Coordinate search over the numbers of the config: the best visible config,
// each number doubled or halved (the seed picks which first), then x4 / x0.25.
Json NextConfig(const SimView& view, const Json& current, uint64_t seed) {
  Json center = current;
  if (auto best = view.Best(); best && best->config.is_object() && !best->config.empty()) {
    center = best->config;
  }
  std::set<std::string> tried;
  for (const SimResult& r : view.results) tried.insert(r.config.dump());
  if (view.baseline_config) tried.insert(view.baseline_config->dump());
  tried.insert(current.dump());
  for (double factor : {2.0, 4.0, 8.0}) {
    for (auto it = center.begin(); it != center.end(); ++it) {
      if (!it.value().is_number()) continue;
      bool up_first = Mix64(seed ^ Fnv1a64(it.key())) & 1;
      for (double f : {up_first ? factor : 1 / factor, up_first ? 1 / factor : factor}) {
        Json candidate = center;
        candidate[it.key()] = Scale(it.value(), f);
        if (!tried.count(candidate.dump())) return candidate;
      }
    }
  }
  Json candidate = center;
  for (auto it = candidate.begin(); it != candidate.end(); ++it) it.value() = Scale(it.value(), 3);
  return candidate;
}

// Fixes a KeyError naming a missing column, from the traceback text.
std::optional<std::pair<std::string, Json>> FixFailure(const WorkspaceView& w) {
  static const std::regex missing_re(R"(KeyError: .*?'(\w+)')");
  static const std::regex where_re(R"(Traceback: \w+ at ([^:\s]+):\d+)");
  static const std::regex where_starter_re(R"( at ([^:\s]+):\d+ in )");
  std::smatch m;
  const std::string& text = *w.failure;
  if (!std::regex_search(text, m, missing_re)) return std::nullopt;
  std::string wrong = m[1];
  std::string file = "train.py";
  if (std::regex_search(text, m, where_re) || std::regex_search(text, m, where_starter_re)) {
    file = m[1];
  }
  if (w.header.empty()) {
    if (w.data_file.empty()) return std::nullopt;
    return std::make_pair("read_file",
                          Json{{"path", w.data_file}, {"start_line", 1}, {"end_line", 1}});
  }
  std::string right = ClosestName(wrong, w.header);
  if (right.empty() || right == wrong) return std::nullopt;
  // The name as a string literal: double quotes, then single, then bare.
  if (w.failed_edits > 2) return std::nullopt;
  std::string q = w.failed_edits == 0 ? "\"" : w.failed_edits == 1 ? "'" : "";
  return std::make_pair(
      "edit_file", Json{{"path", file}, {"search", q + wrong + q}, {"replace", q + right + q}});
}

}  // namespace

std::string ClosestName(const std::string& wrong, const std::vector<std::string>& names) {
  std::string best;
  size_t best_d = std::string::npos;
  for (const std::string& n : names) {
    std::vector<size_t> prev(n.size() + 1), cur(n.size() + 1);
    for (size_t j = 0; j <= n.size(); ++j) prev[j] = j;
    for (size_t i = 1; i <= wrong.size(); ++i) {
      cur[0] = i;
      for (size_t j = 1; j <= n.size(); ++j) {
        cur[j] = std::min(
            {prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (wrong[i - 1] == n[j - 1] ? 0 : 1)});
      }
      std::swap(prev, cur);
    }
    if (prev[n.size()] < best_d) {
      best_d = prev[n.size()];
      best = n;
    }
  }
  return best;
}

bool IsWorkspaceToolSet(const std::vector<ToolSpec>& tools) {
  return std::any_of(tools.begin(), tools.end(), [](const ToolSpec& t) { return t.name == "run"; });
}

std::pair<std::string, Json> SimWorkspaceAction(const std::vector<Message>& messages,
                                                const SimView& view, uint64_t seed) {
  WorkspaceView w = ReadWorkspaceView(messages);
  auto best = view.Best();
  if (view.asked_to_finish || (best && view.MeetsTarget(*best->value))) {
    Json config = best ? best->config : view.baseline_config.value_or(Json::object());
    double metric = best ? *best->value : 0;
    std::string summary = best ? "Best run reached validation " + view.metric + " = " +
                                     std::to_string(*best->value) + "."
                               : "No successful run is visible.";
    return {"final_answer", {{"config", config}, {"metric", metric}, {"summary", summary}}};
  }
  if (w.failure && !w.edited_since_failure) {
    if (auto fix = FixFailure(w)) return *fix;
  }
  if (w.wrote_since_run) return {"run", Json::object()};
  // A failure sim cannot fix from the traceback (e.g. a value the program
  // refuses): move on to the next config, which skips every tried one.
  if (w.config_file.empty()) return {"run", Json::object()};
  if (!w.config_text) return {"read_file", {{"path", w.config_file}}};
  Json current = ParseJsonWithin(*w.config_text);
  if (!current.is_object()) return {"undo_edit", {{"path", w.config_file}}};
  return {"write_file",
          {{"path", w.config_file}, {"content", NextConfig(view, current, seed).dump() + "\n"}}};
}

}  // namespace ctxbench
