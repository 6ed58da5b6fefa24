// `sim`: the built-in deterministic experimenter.
//
// It decides only from the text of the messages it is given (see sim_view.h):
// a coordinate search over the knobs it can see, starting from the best
// config it can see, skipping configs it can see were tried, and a final
// answer when the visible target is met or the harness asks for one. In
// agentic mode it calls tools (ask, note, train, final_answer); in controller
// mode it replies with one JSON proposal. Seeded faults (malformed JSON, an
// out-of-range knob) are off by default.
#pragma once

#include <memory>
#include <string>

#include "llm/model.h"
#include "llm/sim_view.h"
#include "llm/token_counter.h"

namespace ctxbench {

struct SimOptions {
  double malformed_json_rate = 0;  // chance a reply's JSON is cut short
  double out_of_range_rate = 0;    // chance a proposal sets a knob past its range
  bool ask = true;                 // ask one clarifying question in agentic mode
  bool notes = true;               // write a note when it sees a new best (agentic)
};

class SimModel final : public Model {
 public:
  SimModel(std::string name, SimOptions options, std::shared_ptr<const TokenCounter> counter);

  std::string name() const override { return name_; }
  Completion Complete(const CompletionRequest& request) override;

 private:
  std::string name_;
  SimOptions options_;
  std::shared_ptr<const TokenCounter> counter_;
};

// The next config coordinate search proposes from what `view` shows: first the
// move that produced the best visible result again, then each knob in turn
// (hinted knobs first, then the task's order) one step either way, then two
// and three steps; a seeded jump when every neighbour is visibly tried.
// `seed` picks which direction of each knob goes first. Exposed for tests.
Json SimNextConfig(const SimView& view, uint64_t seed);

}  // namespace ctxbench
