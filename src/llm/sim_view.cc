#include "llm/sim_view.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string_view>

#include "core/json_limits.h"

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
// The end of the non-empty run from `pos` that `keep` accepts, or npos.
template <typename Keep>
size_t NonEmptyRunEnd(const std::string& s, size_t pos, Keep keep) {
  size_t end = pos == std::string::npos ? pos : RunEnd(s, pos, keep);
  return end == pos ? std::string::npos : end;
}
// `pos` past `lit` when `lit` stands at `pos`, else npos.
size_t Skip(const std::string& s, size_t pos, std::string_view lit) {
  return pos != std::string::npos && At(s, pos, lit) ? pos + lit.size() : std::string::npos;
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Tries `match(after)` at each occurrence of `prefix` in `text`, left to right,
// `after` being the position just past it; `match` returns the end of its
// match or npos. With `all`, the next try starts after a match's end (as a
// regex iterator does); without, the first match ends the scan.
template <typename Match>
void ScanAfter(const std::string& text, std::string_view prefix, bool all, Match match) {
  size_t pos = text.find(prefix);
  while (pos != std::string::npos) {
    size_t end = match(pos + prefix.size());
    if (end != std::string::npos && !all) return;
    pos = text.find(prefix, end != std::string::npos ? end : pos + 1);
  }
}

// Calls f(config, metric, value) for each match, left to right, of
//   config (\{[^\n{}]*\}) -> validation (\w+) = ([-+0-9.eE]+|nan|inf)
template <typename F>
void ForEachResult(const std::string& text, F f) {
  ScanAfter(text, "config ", true, [&](size_t brace) {
    size_t end = BraceEnd(text, brace);
    size_t word = Skip(text, end, " -> validation "), word_end = NonEmptyRunEnd(text, word, IsWord);
    size_t value = Skip(text, word_end, " = ");
    size_t value_end = NonEmptyRunEnd(text, value, IsNumberChar);
    if (value_end == std::string::npos) value_end = Skip(text, value, "nan");
    if (value_end == std::string::npos) value_end = Skip(text, value, "inf");
    if (value_end == std::string::npos) return value_end;
    f(text.substr(brace, end - brace), text.substr(word, word_end - word),
      text.substr(value, value_end - value));
    return value_end;
  });
}

// Calls f(config) for each match of  Experiment \d+ failed: config (\{[^\n{}]*\})
template <typename F>
void ForEachFailure(const std::string& text, F f) {
  ScanAfter(text, "Experiment ", true, [&](size_t digits) {
    size_t brace = Skip(text, NonEmptyRunEnd(text, digits, IsDigit), " failed: config ");
    size_t end = brace == std::string::npos ? brace : BraceEnd(text, brace);
    if (end != std::string::npos) f(text.substr(brace, end - brace));
    return end;
  });
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
  Json j = ParseJsonWithin(text);  // text a model may have written
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  return j;
}

// A knob line:
//   ^- (\w+): (integer|number) in \[([-+0-9.eE]+), ([-+0-9.eE]+)\](, log scale)?
std::optional<SimKnob> RangeKnob(const std::string& line) {
  size_t name = Skip(line, 0, "- "), name_end = NonEmptyRunEnd(line, name, IsWord);
  size_t kind = Skip(line, name_end, ": ");
  SimKnob k;
  size_t min = Skip(line, kind, "integer in [");
  k.kind = SimKnob::kInt;
  if (min == std::string::npos) {
    min = Skip(line, kind, "number in [");
    k.kind = SimKnob::kFloat;
  }
  size_t min_end = NonEmptyRunEnd(line, min, IsNumberChar), max = Skip(line, min_end, ", ");
  size_t max_end = NonEmptyRunEnd(line, max, IsNumberChar);
  size_t after = Skip(line, max_end, "]");
  if (after == std::string::npos) return std::nullopt;
  k.name = line.substr(name, name_end - name);
  k.min = std::stod(line.substr(min, min_end - min));
  k.max = std::stod(line.substr(max, max_end - max));
  k.log = At(line, after, ", log scale");
  return k;
}

// A choice line:  ^- (\w+): one of \[([^\]]*)\]
std::optional<SimKnob> ChoiceKnob(const std::string& line) {
  size_t name = Skip(line, 0, "- "), name_end = NonEmptyRunEnd(line, name, IsWord);
  size_t list_begin = Skip(line, name_end, ": one of [");
  size_t list_end = list_begin == std::string::npos ? list_begin : line.find(']', list_begin);
  if (list_end == std::string::npos) return std::nullopt;
  SimKnob k;
  k.name = line.substr(name, name_end - name);
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
  ScanAfter(text, "Baseline config: ", false, [&](size_t brace) {
    size_t end = BraceEnd(text, brace);
    if (end != std::string::npos) v.baseline_config = ParseConfig(text.substr(brace, end - brace));
    return end;
  });
  // Baseline validation (\w+): ([-+0-9.eE]+)
  ScanAfter(text, "Baseline validation ", false, [&](size_t word) {
    size_t word_end = NonEmptyRunEnd(text, word, IsWord), value = Skip(text, word_end, ": ");
    size_t value_end = NonEmptyRunEnd(text, value, IsNumberChar);
    if (value_end == std::string::npos) return value_end;
    v.metric = text.substr(word, word_end - word);
    v.baseline_value = std::stod(text.substr(value, value_end - value));
    return value_end;
  });
  // \((higher|lower) is better\): the first of either
  size_t higher = text.find("(higher is better)"), lower = text.find("(lower is better)");
  if (higher != std::string::npos || lower != std::string::npos)
    v.direction.higher_is_better = higher < lower;
  // Target: validation \w+ (>=|<=) ([-+0-9.eE]+)
  ScanAfter(text, "Target: validation ", false, [&](size_t word) {
    size_t word_end = NonEmptyRunEnd(text, word, IsWord), value = Skip(text, word_end, " >= ");
    if (value == std::string::npos) value = Skip(text, word_end, " <= ");
    size_t value_end = NonEmptyRunEnd(text, value, IsNumberChar);
    if (value_end != std::string::npos) v.target = std::stod(text.substr(value, value_end - value));
    return value_end;
  });
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
  ScanAfter(text, "Iteration ", false, [&](size_t a) {
    size_t a_end = NonEmptyRunEnd(text, a, IsDigit), b = Skip(text, a_end, " of ");
    size_t b_end = NonEmptyRunEnd(text, b, IsDigit);
    if (b_end == std::string::npos) return b_end;
    v.iteration = std::stoi(text.substr(a, a_end - a));
    v.iterations = std::stoi(text.substr(b, b_end - b));
    return b_end;
  });
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
    if (!best || direction.Better(*r.value, *best->value)) best = r;
  }
  return best;
}

bool SimView::MeetsTarget(double value) const {
  if (!target) return false;
  return direction.Meets(value, *target);
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
