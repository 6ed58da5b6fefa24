#include "llm/sim_view.h"

#include <algorithm>
#include <cmath>
#include <regex>

namespace ctxbench {

namespace {

const std::regex& KnobRe() {
  static const std::regex re(
      R"(^- (\w+): (integer|number) in \[([-+0-9.eE]+), ([-+0-9.eE]+)\](, log scale)?)");
  return re;
}
const std::regex& ChoiceRe() {
  static const std::regex re(R"(^- (\w+): one of \[([^\]]*)\])");
  return re;
}
const std::regex& ResultRe() {
  static const std::regex re(
      R"(config (\{[^\n{}]*\}) -> validation (\w+) = ([-+0-9.eE]+|nan|inf))");
  return re;
}
const std::regex& FailedRe() {
  static const std::regex re(R"(Experiment \d+ failed: config (\{[^\n{}]*\}))");
  return re;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    out.push_back(text.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

std::optional<Json> ParseConfig(const std::string& text) {
  Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  return j;
}

void ReadHead(const std::string& text, SimView& v) {
  std::smatch m;
  for (const std::string& line : Lines(text)) {
    if (std::regex_search(line, m, KnobRe())) {
      if (std::any_of(v.knobs.begin(), v.knobs.end(),
                      [&](const SimKnob& k) { return k.name == m[1].str(); })) {
        continue;
      }
      SimKnob k;
      k.name = m[1];
      k.kind = m[2] == "integer" ? SimKnob::kInt : SimKnob::kFloat;
      k.min = std::stod(m[3]);
      k.max = std::stod(m[4]);
      k.log = m[5].matched;
      v.knobs.push_back(k);
    } else if (std::regex_search(line, m, ChoiceRe())) {
      SimKnob k;
      k.name = m[1];
      k.kind = SimKnob::kChoice;
      std::string list = m[2];
      size_t pos = 0;
      while (pos < list.size()) {
        size_t end = list.find(',', pos);
        if (end == std::string::npos) end = list.size();
        std::string c = list.substr(pos, end - pos);
        c.erase(0, c.find_first_not_of(' '));
        c.erase(c.find_last_not_of(' ') + 1);
        if (!c.empty()) k.choices.push_back(c);
        pos = end + 1;
      }
      v.knobs.push_back(k);
    }
  }
  static const std::regex baseline_config(R"(Baseline config: (\{[^\n{}]*\}))");
  static const std::regex baseline_value(R"(Baseline validation (\w+): ([-+0-9.eE]+))");
  static const std::regex direction(R"(\((higher|lower) is better\))");
  static const std::regex target(R"(Target: validation \w+ (>=|<=) ([-+0-9.eE]+))");
  if (std::regex_search(text, m, baseline_config)) v.baseline_config = ParseConfig(m[1]);
  if (std::regex_search(text, m, baseline_value)) {
    v.metric = m[1];
    v.baseline_value = std::stod(m[2]);
  }
  if (std::regex_search(text, m, direction)) v.higher_is_better = m[1] == "higher";
  if (std::regex_search(text, m, target)) v.target = std::stod(m[2]);
}

void ReadResults(const std::string& text, SimView& v) {
  for (auto it = std::sregex_iterator(text.begin(), text.end(), ResultRe());
       it != std::sregex_iterator(); ++it) {
    auto config = ParseConfig((*it)[1]);
    if (!config) continue;
    double value = std::strtod((*it)[3].str().c_str(), nullptr);
    if (v.metric.empty()) v.metric = (*it)[2];
    v.results.push_back({*config, value});
  }
  for (auto it = std::sregex_iterator(text.begin(), text.end(), FailedRe());
       it != std::sregex_iterator(); ++it) {
    if (auto config = ParseConfig((*it)[1])) v.results.push_back({*config, std::nullopt});
  }
}

void ReadHints(const std::string& text, SimView& v) {
  for (const SimKnob& k : v.knobs) {
    if (text.find(k.name) != std::string::npos &&
        std::find(v.hinted_knobs.begin(), v.hinted_knobs.end(), k.name) == v.hinted_knobs.end()) {
      v.hinted_knobs.push_back(k.name);
    }
  }
}

}  // namespace

std::optional<SimResult> SimView::Best() const {
  std::optional<SimResult> best;
  for (const SimResult& r : results) {
    if (!r.value || std::isnan(*r.value)) continue;
    if (!best || Better(*r.value, *best->value)) best = r;
  }
  return best;
}

bool SimView::MeetsTarget(double value) const {
  if (!target) return false;
  return higher_is_better ? value >= *target : value <= *target;
}

SimView ReadSimView(const std::vector<Message>& messages) {
  SimView v;
  static const std::regex iteration(R"(Iteration (\d+) of (\d+))");
  for (const Message& m : messages) {
    if (m.role == Role::kSystem || m.role == Role::kUser) ReadHead(m.content, v);
  }
  for (size_t i = 0; i < messages.size(); ++i) {
    const Message& m = messages[i];
    ReadResults(m.content, v);
    if (m.role == Role::kAssistant) {
      ++v.assistant_turns;
      v.last_action = m.tool_calls.empty() ? "" : m.tool_calls.back().name;
      for (const ToolCall& c : m.tool_calls) {
        if (c.name == "note") ReadResults(c.arguments, v);
      }
    }
    if (m.content.rfind("Clarification:", 0) == 0) {
      v.clarified = true;
      ReadHints(m.content, v);
    }
    std::smatch match;
    if (m.role == Role::kUser && std::regex_search(m.content, match, iteration)) {
      v.iteration = std::stoi(match[1]);
      v.iterations = std::stoi(match[2]);
    }
  }
  if (!messages.empty()) {
    const Message& last = messages.back();
    v.asked_to_finish = last.role == Role::kUser &&
                        last.content.find("Give your final answer now") != std::string::npos;
  }
  return v;
}

}  // namespace ctxbench
