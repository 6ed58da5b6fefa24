#include "store/jsonl_trace.h"

#include <cerrno>
#include <cstring>
#include <utility>

#include "core/error.h"
#include "core/file.h"
#include "core/json_limits.h"
#include "events/event_text.h"

namespace ctxbench {

namespace {

std::string CompactLine(const Json& json) {
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// Writes `line` and a newline, then flushes when `flush`; false on failure
// (errno set).
bool WriteLine(std::FILE* file, const std::string& line, bool flush = true) {
  return std::fwrite(line.data(), 1, line.size(), file) == line.size() &&
         std::fputc('\n', file) != EOF && (!flush || std::fflush(file) == 0);
}

// Lines are flushed at the end of a step and of an episode (fclose), not per
// event: a write system call per event cost about 4% of a `sim` run's time.
// A crash loses at most the lines of the step under way, as it loses that
// step's store rows; resume reruns an unfinished episode whole either way.
bool EndsStep(EventType type) {
  return type == EventType::kStepSummary || type == EventType::kEpisodeEnd;
}

[[noreturn]] void ThrowWriteFailure(const std::string& path) {
  ThrowRuntime(path, std::string("cannot write trace: ") + std::strerror(errno));
}

}  // namespace

JsonlTraceWriter::JsonlTraceWriter(std::string traces_dir, Json run_info)
    : traces_dir_(std::move(traces_dir)), run_info_(std::move(run_info)) {}

JsonlTraceWriter::~JsonlTraceWriter() {
  for (auto& [id, file] : open_) std::fclose(file);
}

std::string JsonlTraceWriter::TracePath(const std::string& episode_id) const {
  return traces_dir_ + "/" + episode_id + ".jsonl";
}

std::FILE* JsonlTraceWriter::OpenTrace(const std::string& episode_id, bool truncate) {
  std::string path = TracePath(episode_id);
  std::FILE* file = std::fopen(path.c_str(), truncate ? "wb" : "ab");
  if (file == nullptr) {
    ThrowRuntime(path, std::string("cannot open trace: ") + std::strerror(errno));
  }
  // A buffer that holds most lines whole, so a line and its newline reach
  // the file in one write at the flush.
  std::setvbuf(file, nullptr, _IOFBF, 1 << 16);
  open_[episode_id] = file;
  std::fseek(file, 0, SEEK_END);
  if (std::ftell(file) == 0) {
    Json header = Json::object();
    header["event"] = "run.start";
    header["episode_id"] = episode_id;
    if (run_info_.is_object()) {
      for (auto it = run_info_.begin(); it != run_info_.end(); ++it) {
        if (it.key() != "event" && it.key() != "episode_id") header[it.key()] = it.value();
      }
    }
    if (!WriteLine(file, CompactLine(header))) ThrowWriteFailure(path);
  }
  return file;
}

void JsonlTraceWriter::OnEvent(const EpisodeKey& key, const Event& event) {
  OnEventText(key, event, EventJsonText(event));
}

void JsonlTraceWriter::OnEventText(const EpisodeKey& key, const Event& event,
                                   const std::string& json) {
  std::string id = key.Id();  // outside the lock, like the text
  std::lock_guard<std::mutex> lock(mutex_);
  try {
    Write(id, event, json);
  } catch (const std::exception& e) {
    if (failure_.empty()) failure_ = std::string("traces: ") + e.what();
  }
}

std::string JsonlTraceWriter::Failure() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return failure_;
}

void JsonlTraceWriter::Write(const std::string& id, const Event& event, const std::string& json) {
  auto it = open_.find(id);
  if (event.type == EventType::kEpisodeStart && it != open_.end()) {
    std::fclose(it->second);  // a rerun of an episode still open: start over
    open_.erase(it);
    it = open_.end();
  }
  std::FILE* file =
      it != open_.end() ? it->second : OpenTrace(id, event.type == EventType::kEpisodeStart);
  if (!WriteLine(file, json, EndsStep(event.type))) ThrowWriteFailure(TracePath(id));
  if (event.type == EventType::kEpisodeEnd) {
    int rc = std::fclose(file);
    open_.erase(id);
    if (rc != 0)
      ThrowRuntime(TracePath(id), std::string("cannot close trace: ") + std::strerror(errno));
  }
}

Trace ReadTrace(const std::string& path) {
  std::string text = ReadFile(path);
  if (text.empty()) ThrowInput(path, "empty trace (expected a run.start line)");
  Trace trace;
  size_t pos = 0;
  int line_no = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    bool last_unterminated = end == std::string::npos;
    std::string line = text.substr(pos, last_unterminated ? std::string::npos : end - pos);
    pos = last_unterminated ? text.size() : end + 1;
    ++line_no;
    std::string where = path + ":" + std::to_string(line_no);
    std::string too_deep;
    Json json = ParseJsonWithin(line, kMaxStoredJsonDepth, &too_deep);
    if (json.is_discarded() || !json.is_object()) {
      if (last_unterminated && too_deep.empty()) {
        trace.truncated = true;
        break;
      }
      ThrowInput(where, too_deep.empty() ? "malformed trace line (expected one JSON object)"
                                         : "malformed trace line: " + too_deep);
    }
    if (line_no == 1) {
      if (ValueOr(json, "event", std::string()) != "run.start") {
        ThrowInput(where, "expected the run.start header line");
      }
      trace.header = std::move(json);
      continue;
    }
    try {
      // An event of a type this build does not know (a newer writer's) is skipped.
      if (std::optional<Event> event = EventFromJson(json)) trace.events.push_back(*event);
    } catch (const std::exception& e) {
      ThrowInput(where, e.what());
    }
  }
  return trace;
}

}  // namespace ctxbench
