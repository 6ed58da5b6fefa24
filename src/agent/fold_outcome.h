// The outcome of an episode as its event log records it.
#pragma once

#include <string>
#include <vector>

#include "agent/outcome.h"
#include "core/error.h"
#include "events/event.h"

namespace ctxbench {

// Folds the events of one episode (in seq order) into its Outcome: the only
// way an outcome is made — by the episode, by resume and by the report — so
// every outcome fact is recorded once, as an event, and counted here.
//
//   episode.start        metric, direction, baseline, target, best so far
//   op.llm               calls, summaries, tokens, cost, cache hits, retries
//   op.context           steps' context tokens (mean, max)
//   op.experiment        history, repeated configs, best validation metric
//   op.tool/observation  errors recovered (an ok response after a failed one)
//   op.invalid_action    invalid actions;  op.clarification  clarifications
//   op.final_answer      the answer;  op.final_evaluation  final and hidden metrics
//   op.stop              status, stop rule, error
//   episode.end          wall time (how the run executed; nothing else is read)
//
// Events of other types are ignored. Without op.stop the status is
// "complete" with no stop rule. Throws an input Error for a payload of the
// wrong shape. Pure: the same events give the same outcome.
Outcome FoldOutcome(const std::vector<Event>& events);

// The outcome of an episode read back from a store (by resume, the report
// and the viewer), the one rule all three keep:
//   - its stored events hold op.stop: FoldOutcome of them;
//   - else the run recorded an outcome (`outcome_json`, a run written before
//     events held the whole outcome): that outcome;
//   - else (`outcome_json` "": an episode in progress, or cut off by a
//     crash): FoldOutcome of its events so far.
// Events or an outcome that do not parse throw an Error of `code` naming
// `where`: kInput for a reader of a run folder the user named (resume, the
// report), kRuntime for the viewer (its store is not the request's input).
Outcome StoredOutcome(const std::vector<Event>& events, const std::string& outcome_json,
                      const std::string& where, ErrorCode code = ErrorCode::kInput);

}  // namespace ctxbench
