// JSONL traces: one file per episode, `traces/<episode_id>.jsonl`, a view of
// the episode's event log. Line format and event names: docs/tracing.md.
//
// Line 1 is the run header {"event": "run.start", "episode_id": ..., <run
// info>}; every following line is one event as EventToJson writes it, compact.
// Lines are flushed at the end of each step (step.summary) and of the
// episode, so a crash loses at most the lines of the step under way and
// leaves at most a truncated last line, which ReadTrace reports. A trace whose
// last event is not episode.end belongs to an episode that did not finish.
#pragma once

#include <cstdio>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "events/event.h"

namespace ctxbench {

// Error channel: a sink never throws; a trace file that cannot be opened or
// written is kept as the writer's Failure() (naming the file), and the run
// ends failed. Thread-safe: episodes on several
// threads may write at once (each to its own file).
class JsonlTraceWriter : public EventSink {
 public:
  // `traces_dir` must exist. `run_info` (an object: run id, name, config, ...)
  // is copied into every trace's header line.
  JsonlTraceWriter(std::string traces_dir, Json run_info);
  // Closes any trace still open (its episode did not end).
  ~JsonlTraceWriter() override;
  JsonlTraceWriter(const JsonlTraceWriter&) = delete;
  JsonlTraceWriter& operator=(const JsonlTraceWriter&) = delete;

  // episode.start creates (or truncates) the episode's trace and writes the
  // header; episode.end writes its line and closes the file. An event of an
  // episode whose trace is not open appends to it (header first if empty).
  void OnEvent(const EpisodeKey& key, const Event& event) override;
  // OnEvent with the event's line (EventJsonText(event)) already made, so a
  // caller that also stores it serialises the event once (TraceAndStore).
  void OnEventText(const EpisodeKey& key, const Event& event, const std::string& json);
  std::string Failure() const override;

  // "<traces_dir>/<episode_id>.jsonl"
  std::string TracePath(const std::string& episode_id) const;

 private:
  std::FILE* OpenTrace(const std::string& episode_id, bool truncate);
  // OnEvent's work; throws a runtime Error naming the file. REQUIRES: mutex_ held.
  void Write(const std::string& episode_id, const Event& event, const std::string& json);

  std::string traces_dir_;
  Json run_info_;
  mutable std::mutex mutex_;
  std::map<std::string, std::FILE*> open_;  // episode id -> open trace
  std::string failure_;                     // the first failure, "" if none
};

struct Trace {
  Json header;                // the run.start line (null if the file was cut inside it)
  std::vector<Event> events;  // every complete event line, in file order
  bool truncated = false;     // the last line was cut short (a crash while writing)
  // The last event is episode.end.
  bool complete() const { return !events.empty() && events.back().type == EventType::kEpisodeEnd; }
};

// Reads a trace. Throws an input error naming "<path>:<line>" for a malformed
// line that is not a truncated last line, for a first line that is not a
// run.start header; and naming `path` if it
// cannot be read or is empty. Events of a type this build does not know are
// skipped (a newer writer's types).
Trace ReadTrace(const std::string& path);

}  // namespace ctxbench
