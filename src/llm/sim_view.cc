#include "llm/sim_view.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string_view>

namespace ctxbench {

namespace {

// Hand-written scanners for the few line shapes sim reads (std::regex took
// about 15% of the default grid's CPU). Each matches exactly what the regular
// expression in its comment matches.

bool At(const std::string& s, size_t pos, std::string_view lit) {
  return s.compare(pos, lit.size(), lit) == 0;
}
bool IsWord(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool IsNumberChar(char c) {
  return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}
// The end of the longest run from `pos` of characters `keep` accepts.
template <typename Keep>
size_t RunEnd(const std::string& s, size_t pos, Keep keep) {
  while (pos < s.size() && keep(s[pos])) ++pos;
  return pos;
}
// At s[pos] == '{': one past the end of \{[^\n{}]*\}, or npos.
size_t BraceEnd(const std::string& s, size_t pos) {
  if (pos >= s.size() || s[pos] != '{') return std::string::npos;
  for (size_t i = pos + 1; i < s.size(); ++i) {
    if (s[i] == '}') return i + 1;
    if (s[i] == '\n' || s[i] == '{') return std::string::npos;
  }
  return std::string::npos;
}

// Calls f(config, metric, value) for each match, left to right, of
//   config (\{[^\n{}]*\}) -> validation (\w+) = ([-+0-9.eE]+|nan|inf)
template <typename F>
void ForEachResult(const std::string& text, F f) {
  for (size_t pos = text.find("config {"); pos != std::string::npos;
       pos = text.find("config {", pos + 1)) {
    size_t brace = pos + 7, end = BraceEnd(text, brace);
    if (end == std::string::npos || !At(text, end, " -> validation ")) continue;
    size_t word = end + 15, word_end = RunEnd(text, word, IsWord);
    if (word_end == word || !At(text, word_end, " = ")) continue;
    size_t value = word_end + 3, value_end = RunEnd(text, value, IsNumberChar);
    if (value_end == value && (At(text, value, "nan") || At(text, value, "inf"))) value_end += 3;
    if (value_end == value) continue;
    f(text.substr(brace, end - brace), text.substr(word, word_end - word),
      text.substr(value, value_end - value));
    pos = value_end - 1;  // the next match starts after this one
  }
}

// Calls f(config) for each match of  Experiment \d+ failed: config (\{[^\n{}]*\})
template <typename F>
void ForEachFailure(const std::string& text, F f) {
  for (size_t pos = text.find("Experiment "); pos != std::string::npos;
       pos = text.find("Experiment ", pos + 1)) {
    size_t digits = pos + 11,
           digits_end = RunEnd(text, digits, [](char c) { return c >= '0' && c <= '9'; });
    if (digits_end == digits || !At(text, digits_end, " failed: config ")) continue;
    size_t brace = digits_end + 16, end = BraceEnd(text, brace);
    if (end == std::string::npos) continue;
    f(text.substr(brace, end - brace));
    pos = end - 1;
  }
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

// A knob line:
//   ^- (\w+): (integer|number) in \[([-+0-9.eE]+), ([-+0-9.eE]+)\](, log scale)?
std::optional<SimKnob> RangeKnob(const std::string& line) {
  if (!At(line, 0, "- ")) return std::nullopt;
  size_t name_end = RunEnd(line, 2, IsWord);
  if (name_end == 2 || !At(line, name_end, ": ")) return std::nullopt;
  SimKnob k;
  k.name = line.substr(2, name_end - 2);
  size_t p = name_end + 2;
  if (At(line, p, "integer in [")) {
    k.kind = SimKnob::kInt;
    p += 12;
  } else if (At(line, p, "number in [")) {
    k.kind = SimKnob::kFloat;
    p += 11;
  } else {
    return std::nullopt;
  }
  size_t min_end = RunEnd(line, p, IsNumberChar);
  if (min_end == p || !At(line, min_end, ", ")) return std::nullopt;
  size_t max = min_end + 2, max_end = RunEnd(line, max, IsNumberChar);
  if (max_end == max || !At(line, max_end, "]")) return std::nullopt;
  k.min = std::stod(line.substr(p, min_end - p));
  k.max = std::stod(line.substr(max, max_end - max));
  k.log = At(line, max_end + 1, ", log scale");
  return k;
}

// A choice line:  ^- (\w+): one of \[([^\]]*)\]
std::optional<SimKnob> ChoiceKnob(const std::string& line) {
  if (!At(line, 0, "- ")) return std::nullopt;
  size_t name_end = RunEnd(line, 2, IsWord);
  if (name_end == 2 || !At(line, name_end, ": one of [")) return std::nullopt;
  size_t list_begin = name_end + 10, list_end = line.find(']', list_begin);
  if (list_end == std::string::npos) return std::nullopt;
  SimKnob k;
  k.name = line.substr(2, name_end - 2);
  k.kind = SimKnob::kChoice;
  std::string list = line.substr(list_begin, list_end - list_begin);
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
  return k;
}

void ReadHead(const std::string& text, SimView& v) {
  if (text.find("- ") != std::string::npos) {
    for (const std::string& line : Lines(text)) {
      if (auto k = RangeKnob(line)) {
        if (std::none_of(v.knobs.begin(), v.knobs.end(),
                         [&](const SimKnob& have) { return have.name == k->name; })) {
          v.knobs.push_back(*k);
        }
      } else if (auto c = ChoiceKnob(line)) {
        v.knobs.push_back(*c);
      }
    }
  }
  // Baseline config: (\{[^\n{}]*\})
  for (size_t pos = text.find("Baseline config: "); pos != std::string::npos;
       pos = text.find("Baseline config: ", pos + 1)) {
    size_t brace = pos + 17, end = BraceEnd(text, brace);
    if (end == std::string::npos) continue;
    v.baseline_config = ParseConfig(text.substr(brace, end - brace));
    break;
  }
  // Baseline validation (\w+): ([-+0-9.eE]+)
  for (size_t pos = text.find("Baseline validation "); pos != std::string::npos;
       pos = text.find("Baseline validation ", pos + 1)) {
    size_t word = pos + 20, word_end = RunEnd(text, word, IsWord);
    if (word_end == word || !At(text, word_end, ": ")) continue;
    size_t value = word_end + 2, value_end = RunEnd(text, value, IsNumberChar);
    if (value_end == value) continue;
    v.metric = text.substr(word, word_end - word);
    v.baseline_value = std::stod(text.substr(value, value_end - value));
    break;
  }
  // \((higher|lower) is better\): the first of either
  size_t higher = text.find("(higher is better)"), lower = text.find("(lower is better)");
  if (higher != std::string::npos || lower != std::string::npos)
    v.higher_is_better = higher < lower;
  // Target: validation \w+ (>=|<=) ([-+0-9.eE]+)
  for (size_t pos = text.find("Target: validation "); pos != std::string::npos;
       pos = text.find("Target: validation ", pos + 1)) {
    size_t word = pos + 19, word_end = RunEnd(text, word, IsWord);
    if (word_end == word || !(At(text, word_end, " >= ") || At(text, word_end, " <= "))) continue;
    size_t value = word_end + 4, value_end = RunEnd(text, value, IsNumberChar);
    if (value_end == value) continue;
    v.target = std::stod(text.substr(value, value_end - value));
    break;
  }
}

void ReadResults(const std::string& text, SimView& v) {
  ForEachResult(text, [&](const std::string& config_text, const std::string& metric,
                          const std::string& value) {
    auto config = ParseConfig(config_text);
    if (!config) return;
    if (v.metric.empty()) v.metric = metric;
    v.results.push_back({*config, std::strtod(value.c_str(), nullptr)});
  });
  ForEachFailure(text, [&](const std::string& config_text) {
    if (auto config = ParseConfig(config_text)) v.results.push_back({*config, std::nullopt});
  });
}

// Iteration (\d+) of (\d+)
void ReadIteration(const std::string& text, SimView& v) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  for (size_t pos = text.find("Iteration "); pos != std::string::npos;
       pos = text.find("Iteration ", pos + 1)) {
    size_t a = pos + 10, a_end = RunEnd(text, a, digit);
    if (a_end == a || !At(text, a_end, " of ")) continue;
    size_t b = a_end + 4, b_end = RunEnd(text, b, digit);
    if (b_end == b) continue;
    v.iteration = std::stoi(text.substr(a, a_end - a));
    v.iterations = std::stoi(text.substr(b, b_end - b));
    return;
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
    if (m.role == Role::kUser) ReadIteration(m.content, v);
  }
  if (!messages.empty()) {
    const Message& last = messages.back();
    v.asked_to_finish = last.role == Role::kUser &&
                        last.content.find("Give your final answer now") != std::string::npos;
  }
  return v;
}

}  // namespace ctxbench
