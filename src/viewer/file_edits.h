// The file edits of a workspace episode as unified diffs, for the viewer's
// timeline.
//
// The trace does not record a file's content before an edit: it records the
// tool calls (write_file's content, edit_file's search and replace,
// undo_edit's path), their results (ok or not) and what read_file showed.
// FileEditDiffs derives the before content by replaying the episode's own
// record in order:
//   * a successful read_file of a whole file (lines 1-N of N) sets the file's
//     known content (line by line: whether the file ends in a newline is not
//     in the record, so the last line's newline is assumed);
//   * a successful write_file, edit_file or undo_edit is applied to the known
//     content, keeping an undo stack per path as the workspace does.
// Each diff says where its "before" came from:
//   "replayed": the content before the edit was known (read in full or
//               written earlier in this episode, then replayed); the diff is
//               a whole-file unified diff with 3 lines of context;
//   "edit":     the content was not known, so an edit_file (or the undo of
//               one) shows only its own lines: search removed, replace added,
//               without line numbers;
//   "unknown":  a write_file (or an undo) of a file never read in full: all of
//               its new lines are shown as added.
// Failed calls change nothing and get no diff.
//
// Error channel: none; malformed arguments or messages are skipped.
// Thread safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "core/json.h"
#include "events/event.h"

namespace ctxbench {

struct DiffHunk {
  int old_start = 0, old_count = 0;  // 1-based; 0 when the lines are not known
  int new_start = 0, new_count = 0;
  std::vector<std::string> lines;  // each starts with ' ', '-' or '+'
};

struct FileEditDiff {
  int64_t seq = 0;   // the tool result event that reported the edit
  std::string tool;  // write_file, edit_file or undo_edit
  std::string path;
  std::string before;  // "replayed", "edit" or "unknown" (see above)
  std::vector<DiffHunk> hunks;
  int added = 0, removed = 0;
};

// The diffs of every successful write_file/edit_file/undo_edit, in seq order.
std::vector<FileEditDiff> FileEditDiffs(const std::vector<Event>& events);

// The unified diff of two texts split into lines, `context` lines around each
// change. Texts of more than 4,000 lines each fall back to one hunk that
// removes every old line and adds every new one.
std::vector<DiffHunk> UnifiedDiff(const std::vector<std::string>& old_lines,
                                  const std::vector<std::string>& new_lines, int context = 3);

// {seq, tool, path, before, added, removed, hunks: [{old_start, old_count,
// new_start, new_count, lines}], lines_left_out}: at most 2,000 lines are
// shown (the rest counted in lines_left_out), each cut at 2,000 bytes.
Json FileEditDiffToJson(const FileEditDiff& diff);

}  // namespace ctxbench
