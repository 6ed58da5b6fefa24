#include "agent/workspace_session.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <limits>

#include "context/result_text.h"
#include "core/json_limits.h"
#include "core/lines.h"
#include "core/log.h"
#include "tasks/process_runner.h"
#include "tasks/traceback.h"

namespace ctxbench {

namespace {

namespace fs = std::filesystem;

constexpr int kMaxReadLines = 200;

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::string Arg(const Action& a, const char* key) {
  return a.args.contains(key) && a.args[key].is_string() ? a.args[key].get<std::string>() : "";
}

// An optional line number: absent or null gives `fallback`; clamped to int.
int LineArg(const Action& a, const char* key, int fallback) {
  if (!a.args.contains(key) || !a.args[key].is_number_integer()) return fallback;
  long long v = a.args[key].get<long long>();
  return static_cast<int>(std::clamp<long long>(v, -1, std::numeric_limits<int>::max() / 2));
}

std::string Tail(const std::string& s, size_t n) {
  return s.size() <= n ? s : "[...]" + s.substr(s.size() - n);
}

// The last non-empty line of `s`, cut to 200 bytes.
std::string LastLine(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r')) s.pop_back();
  size_t nl = s.rfind('\n');
  std::string line = nl == std::string::npos ? s : s.substr(nl + 1);
  return line.size() <= 200 ? line : line.substr(0, 200) + "[...]";
}

bool PathCharacter(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
}

// `text` with the workspace's absolute path (as given and canonical) made
// relative: "<root>/train.py" -> "train.py", "<root>" alone -> ".", and a
// sibling under its parent ("<root>.hidden/x") -> "../<name>.hidden/x"; the
// sandbox's path for it (kSandboxWorkspace, "/workspace") likewise. What
// the agent sees must not depend on where the run folder is (--out), or the
// response cache and replay would miss.
std::string RelativeToWorkspace(std::string text, const std::string& dir) {
  std::error_code ec;
  fs::path absolute = fs::absolute(dir, ec).lexically_normal();
  if (!absolute.has_filename()) absolute = absolute.parent_path();  // a trailing '/'
  // The sandbox's own path for the workspace comes last: it has no siblings.
  std::vector<fs::path> roots = {absolute};
  fs::path canonical = fs::weakly_canonical(absolute, ec);
  if (!ec && canonical != absolute) roots.push_back(canonical);
  roots.push_back(kSandboxWorkspace);
  for (const fs::path& root_path : roots) {
    const std::string root = root_path.string();
    const std::string parent = root_path.parent_path().string();
    if (root.size() <= 1) continue;
    for (size_t at = text.find(root); at != std::string::npos; at = text.find(root, at)) {
      size_t end = at + root.size();
      if (end < text.size() && text[end] == '/') {
        text.erase(at, root.size() + 1);
      } else if (end == text.size() || !PathCharacter(text[end])) {
        text.replace(at, root.size(), ".");
        ++at;
      } else {
        at = end;  // a sibling such as <root>.hidden: made relative below
      }
    }
    if (parent.size() <= 1) continue;
    for (size_t at = text.find(parent + "/"); at != std::string::npos;
         at = text.find(parent + "/", at)) {
      text.replace(at, parent.size(), "..");
      at += 2;
    }
  }
  return text;
}

ToolReply Fail(const std::string& path, const std::string& error) {
  return {"Error: " + error, false, {{"path", path}, {"error", error}}};
}

// Lines [first, last] (1-based, inclusive) of `text`, with the header.
std::string Lines(const std::string& path, const std::string& text, int first, int last) {
  std::vector<std::string> lines = SplitLines(text);
  int n = static_cast<int>(lines.size());
  first = std::max(1, first);
  last = std::min({last <= 0 ? n : last, n, first + kMaxReadLines - 1});
  std::string out = "File " + path + " (lines " + std::to_string(first) + "-" +
                    std::to_string(last) + " of " + std::to_string(n) + "):\n";
  for (int i = first; i <= last; ++i) out += lines[static_cast<size_t>(i - 1)] + "\n";
  if (last < n) out += "[" + std::to_string(n - last) + " more lines; read with start_line]\n";
  return out;
}

}  // namespace

WorkspaceSession::WorkspaceSession(const TaskSpec& task, std::string dir, ProcessRunner* runner,
                                   int sandbox_uid)
    : task_(task),
      dir_(std::move(dir)),
      runner_(runner),
      sandbox_uid_(sandbox_uid),
      workspace_(dir_, task.workspace.read_only, sandbox_uid) {}

std::string WorkspaceSession::Snapshot(const std::string& snapshot_dir, int number) {
  char name[32];
  std::snprintf(name, sizeof name, "run-%02d", number);
  std::string dest = (std::filesystem::path(snapshot_dir) / name).string();
  Status copied = CopyWorkspaceFiles(dir_, dest, task_.workspace.read_only, &snapshot_digests_);
  if (!copied) {
    LogWarn("workspace snapshot " + dest + ": " + copied.error());
    return "";
  }
  // Relative to the run folder (<run>/workspaces/<episode>.snapshots/run-NN).
  std::filesystem::path folder(snapshot_dir);
  return (folder.parent_path().filename() / folder.filename() / name).string();
}

std::string WorkspaceSession::Listing() const {
  Expected<std::string> listing = workspace_.List();
  return listing ? *listing : listing.error();
}

ToolReply WorkspaceSession::FileTool(const Action& a) {
  std::string path = Arg(a, "path");
  Status done;
  // Any write, edit or undo (even a failed one: it may have written part).
  if (a.kind == Action::kWriteFile || a.kind == Action::kEditFile || a.kind == Action::kUndoEdit) {
    changed_since_run_ = true;
  }
  switch (a.kind) {
    case Action::kListFiles:
      return {"Files:\n" + Listing(), true, Json::object()};
    case Action::kReadFile: {
      Expected<std::string> read = workspace_.Read(path);
      if (!read) return Fail(path, read.error());
      const std::string& text = *read;
      int first = LineArg(a, "start_line", 1);
      int last = LineArg(a, "end_line", 0);
      return {Lines(path, text, first, last), true, {{"path", path}, {"bytes", text.size()}}};
    }
    case Action::kWriteFile: {
      std::string content = Arg(a, "content");
      done = workspace_.Write(path, content);
      if (!done) return Fail(path, done.error());
      return {"Wrote " + path + " (" + std::to_string(content.size()) + " bytes).",
              true,
              {{"path", path}, {"bytes", content.size()}}};
    }
    case Action::kEditFile:
      done = workspace_.Edit(path, Arg(a, "search"), Arg(a, "replace"));
      if (!done) return Fail(path, done.error());
      return {"Edited " + path + ": replaced 1 occurrence.",
              true,
              {{"path", path}, {"search", Arg(a, "search")}, {"replace", Arg(a, "replace")}}};
    case Action::kUndoEdit:
      done = workspace_.Undo(path);
      if (!done) return Fail(path, done.error());
      return {"Undid the last edit of " + path + ".", true, {{"path", path}}};
    default:
      return Fail(path, "not a file tool");
  }
}

ProcessRequest WorkspaceSession::Request(const std::vector<std::string>& argv) const {
  ProcessRequest req;
  req.argv = argv;
  req.cwd = std::filesystem::absolute(dir_).string();
  req.env = ScrubbedEnvironment(req.cwd);
  req.limits = task_.workspace.limits;
  req.limits.disk_dir = req.cwd;  // the quota holds while the command runs, too
  req.limits.disk_bytes = task_.workspace.disk_bytes;
  req.sandbox_uid = sandbox_uid_;
  return req;
}

WorkspaceRun WorkspaceSession::Run() {
  double t0 = Now();
  WorkspaceRun run;
  const WorkspaceSpec& spec = task_.workspace;
  if (!spec.config_file.empty()) {
    if (Expected<std::string> text = workspace_.Read(spec.config_file)) {
      Json config = ParseJsonWithin(*text);
      if (config.is_object()) run.config = config;
    }
  }
  // A stale metrics file must not pass for this run's claim. Removing fails
  // only when it cannot be a file (e.g. the agent made it a folder); then the
  // Read below fails too, and no claim is taken from it.
  (void)workspace_.Remove(spec.metrics_file);
  test_metric_.reset();
  test_grading_ = Json();
  test_error_ = "the run failed";
  ProcessRequest req = Request(spec.run_command);
  double t1 = Now();
  run.result = runner_->Run(req);
  changed_since_run_ = false;  // every process of the command is gone
  double t2 = Now();
  // The agent sees paths relative to the workspace (traces keep them so too).
  std::string raw_output = run.result.output;
  run.result.output = RelativeToWorkspace(std::move(run.result.output), dir_);
  run.result.error = RelativeToWorkspace(std::move(run.result.error), dir_);
  // The quota: every sandbox process is gone, so the total no longer grows.
  long long bytes = WorkspaceBytes(dir_);
  if (bytes > spec.disk_bytes) {
    run.error = (run.result.succeeded() ? "" : run.result.StatusLine(req.limits) + "; ") +
                "disk quota exceeded: the workspace holds " + std::to_string(bytes >> 20) +
                " MB after the run, over the task's limit of " +
                std::to_string(spec.disk_bytes >> 20) +
                " MB; delete files (e.g. from the run's code) and run again";
    run.overhead_seconds = (t1 - t0) + (Now() - t2);
    return run;
  }
  if (!run.result.succeeded()) {
    run.error = run.result.StatusLine(req.limits);
    Traceback tb = ParsePythonTraceback(raw_output, req.cwd);
    if (tb.found) {
      run.traceback = tb.ToJson();
      run.error += "; " + RelativeToWorkspace(tb.Summary(), dir_);
    } else if (std::string last = LastLine(run.result.output); !last.empty()) {
      run.error += "; last output: " + last;  // what a crash said (e.g. an abort's reason)
    }
    run.overhead_seconds = (t1 - t0) + (Now() - t2);
    return run;
  }
  // The run's report: whatever the agent's code wrote (read without following links).
  if (Expected<std::string> text = workspace_.Read(spec.metrics_file)) {
    Json metrics = ParseJsonWithin(*text);
    if (metrics.is_object() && metrics.contains(task_.metric) &&
        metrics[task_.metric].is_number()) {
      run.reported_metric = metrics[task_.metric].get<double>();
    }
  }
  double t3 = Now();
  run.error = Evaluate(&run);
  run.ok = run.error.empty();
  run.overhead_seconds = (t1 - t0) + (t3 - t2);  // the evaluation is the harness's time
  return run;
}

std::string WorkspaceSession::Evaluate(WorkspaceRun* run) {
  if (task_.workspace.eval_command.empty()) return "the task has no evaluation";
  std::vector<std::string> argv = task_.workspace.eval_command;
  std::string hidden = HiddenDirFor(std::filesystem::absolute(dir_).string());
  for (std::string& a : argv) {
    for (size_t at = a.find("{hidden}"); at != std::string::npos; at = a.find("{hidden}", at)) {
      a.replace(at, 8, hidden);
    }
  }
  // Harness-run Python is isolated (-I): no user site, no PYTHON* variables,
  // no workspace folder on its import path.
  if (argv[0] == "python3" || argv[0] == "python") argv.insert(argv.begin() + 1, "-I");
  ProcessRequest req = Request(argv);
  req.workspace_read_only = true;
  ProcessResult r = runner_->Run(req);
  std::string out = RelativeToWorkspace(r.ok ? r.output : r.error, dir_);
  if (!r.succeeded()) {
    test_error_ = "evaluation: " + r.StatusLine(task_.workspace.limits) + ": " + Tail(out, 300);
    return test_error_;
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  size_t nl = out.rfind('\n');
  Json j = ParseJsonWithin(out.substr(nl == std::string::npos ? 0 : nl + 1));
  if (!j.is_object() || !j.contains("valid_metric") || !j["valid_metric"].is_number()) {
    test_error_ = "the evaluation printed no {\"valid_metric\": ...} line";
    return test_error_;
  }
  run->metric = j["valid_metric"].get<double>();
  if (j.contains("grading") && j["grading"].is_object()) test_grading_ = j["grading"];
  if (j.contains("test_metric") && j["test_metric"].is_number()) {
    run->test_metric = j["test_metric"].get<double>();
    test_metric_ = run->test_metric;
    test_error_.clear();
  } else {
    test_error_ = "the evaluation printed no test_metric";
  }
  return "";
}

Expected<double> WorkspaceSession::HiddenTest() const {
  if (!test_metric_)
    return Expected<double>::Failure(test_error_.empty() ? "no run yet" : test_error_);
  return *test_metric_;
}

std::string WorkspaceRunText(int number, const std::string& metric, const WorkspaceRun& run) {
  // No wall time here: the agent's input must not vary from run to run
  // (timings are in the op.experiment event).
  std::string status = run.result.ok ? run.result.StatusLine({}) : run.result.error;
  if (run.ok) {
    return ExperimentResultText(number, metric, run.config, run.metric) + "\nRun: " + status +
           ". Output (end):\n" + Tail(run.result.output, 600);
  }
  std::string text = ExperimentFailedText(number, run.config, run.error);
  if (!run.traceback.is_null()) {
    text += "\nTraceback: " + run.traceback["type"].get<std::string>() + " at " +
            run.traceback["file"].get<std::string>() + ":" +
            std::to_string(run.traceback["line"].get<int>()) + ": `" +
            run.traceback["source"].get<std::string>() + "`";
  }
  return text + "\nOutput (end):\n" + Tail(run.result.output, 1500);
}

std::string WorkspaceTaskStatement(const TaskSpec& task, const std::string& listing,
                                   const WorkspaceRun& baseline, double baseline_metric,
                                   double target_metric, int iterations) {
  const WorkspaceSpec& w = task.workspace;
  std::string command;
  for (const std::string& a : w.run_command) {
    command += (command.empty() ? "" : " ") + std::filesystem::path(a).filename().string();
  }
  std::string s = "Task: " + task.name + " (workspace task)\n" + task.description + "\n\n";
  s += "Workspace files:\n" + listing + "\n";
  s += "The run tool runs `" + command +
       "` in the workspace; then the harness computes the validation " + task.metric +
       " from the predictions it wrote (the description names the files). A " + w.metrics_file +
       " with \"" + task.metric + "\", if the run writes one, is recorded as your claim.\n";
  s += "Metric: " + task.metric + " on the validation split (" +
       (task.higher_is_better ? "higher" : "lower") + " is better).\n";
  if (!w.config_file.empty()) {
    s += "Config file: " + w.config_file + "\nBaseline config: " + baseline.config.dump() + "\n";
  }
  if (baseline.ok) {
    s += "Baseline validation " + task.metric + ": " + FormatMetric(baseline_metric) + "\n";
  } else {
    s += "The starter run fails: " + baseline.error + "\nOutput (end):\n" +
         Tail(baseline.result.output, 1500) + "\nA working version reaches validation " +
         task.metric + " " + FormatMetric(baseline_metric) + ".\n";
  }
  s += "Target: validation " + task.metric + " " + (task.higher_is_better ? ">=" : "<=") + " " +
       FormatMetric(target_metric) + " (" + FormatMetric(task.target_improvement_pct) +
       "% better than the baseline).\n";
  s += "Budget: " + std::to_string(iterations) + " runs.\n";
  s += "Tools:";
  for (const std::string& t : w.tools) s += " " + t;
  return s + "\n";
}

}  // namespace ctxbench
