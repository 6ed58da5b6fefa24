// An episode's workspace: a folder of files the agent reads and edits through
// tools, with every path confined to it.
//
// Error channel: the file operations return a Status (core/status.h) or, when
// they return a value, an Expected<T> (core/expected.h), whose error is one
// line for the agent ("'..' is refused: ..."); they never throw.
// PrepareWorkspace throws ctxbench::Error (it runs before the episode, on the
// harness's input).
//
// Path safety: a path is relative to the root; absolute paths, '..'
// components, NUL bytes and very long paths are refused before any system
// call, and files are opened component by component with O_NOFOLLOW from the
// root's descriptor, so a symbolic link planted inside the workspace (by a
// command the agent ran) is refused rather than followed.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/expected.h"
#include "core/status.h"

namespace ctxbench {

inline constexpr size_t kMaxWorkspacePath = 512;
inline constexpr size_t kMaxWorkspaceFileBytes = 4 << 20;

// Ok when `path` may name a file in a workspace, else why not (names with
// control characters, e.g. a newline or ESC, are refused).
Status CheckWorkspacePath(const std::string& path);

// `text` with control characters written as escapes: \n, \r, \t, else \xHH
// (e.g. \x1b); other bytes as they are. For file names shown to the agent.
std::string EscapeControlCharacters(const std::string& text);

class Workspace {
 public:
  // `read_only`: relative paths the agent may read but not write.
  // `owner_uid` >= 0: files and folders the tools create are handed to that
  // uid (the episode's sandbox user); -1 leaves them the harness's.
  Workspace(std::string root, std::vector<std::string> read_only, int owner_uid = -1);
  Workspace(const Workspace&) = delete;
  Workspace& operator=(const Workspace&) = delete;

  const std::string& root() const { return root_; }
  bool IsReadOnly(const std::string& path) const;

  // One line per regular file, "path (N bytes)" sorted, read-only ones marked;
  // symbolic links and names with control characters (shown escaped) are
  // listed as refused. Hidden entries (".x") are skipped. Fails only when the
  // workspace folder is missing.
  Expected<std::string> List() const;
  // The content of the regular file `path`; fails for a refused path, a
  // missing file ("... does not exist ..."), a link, a non-regular file or
  // one over kMaxWorkspaceFileBytes.
  Expected<std::string> Read(const std::string& path) const;
  // Creates or replaces the file (and missing folders); remembers the old
  // content for Undo.
  Status Write(const std::string& path, const std::string& content);
  // Replaces the one occurrence of `search`; refuses when it is absent or
  // occurs more than once (the count is in the error).
  Status Edit(const std::string& path, const std::string& search, const std::string& replace);
  // Deletes the file `path` (not a folder; links are not followed on the
  // way). Ok when it is gone or was absent.
  Status Remove(const std::string& path);
  // Restores the content before the latest Write/Edit of `path`.
  Status Undo(const std::string& path);

 private:
  Status Check(const std::string& path, bool for_write) const;

  std::string root_;
  std::vector<std::string> read_only_;
  int owner_uid_;
  // path -> contents before each write; nullopt-like "\0absent" marks a file
  // that did not exist.
  std::map<std::string, std::vector<std::string>> history_;
};

// Copies `starter_dir` into `dir` (created; must not exist or be empty) and
// makes the `read_only` files read-only (0444, the harness's). When
// `sandbox_uid` >= 0 the writable files become that user's and every folder
// root:<sandbox_uid> mode 01770: the episode's user may add files but not
// replace the read-only ones (sticky), and no other uid may enter. Otherwise
// the workspace folder is 0700.
void PrepareWorkspace(const std::string& starter_dir, const std::string& dir,
                      const std::vector<std::string>& read_only, int sandbox_uid);

// What CopyWorkspaceFiles last copied: relative path -> size and a 64-bit
// digest of the content.
using WorkspaceDigests = std::map<std::string, std::pair<long long, size_t>>;

// Copies the regular files of workspace `dir` except `skip` (relative paths)
// into `dest` (created), keeping the folder layout. Everything is read
// through descriptors from `dir`'s: folders and files are opened with openat
// and O_NOFOLLOW, and only what fstat shows to be a regular file is read, so
// a symbolic link or FIFO swapped in by a process of the agent is skipped,
// never followed. With `previous`, a file whose size and digest equal its
// entry there is not copied (only changed files are), and `previous` is
// updated. Fails with what could not be made or read.
Status CopyWorkspaceFiles(const std::string& dir, const std::string& dest,
                          const std::vector<std::string>& skip,
                          WorkspaceDigests* previous = nullptr);

// Bytes of the regular files in workspace `dir` (folders walked by descriptor,
// links not followed); -1 when `dir` cannot be opened. A file counts its
// size plus any disk space allocated past its last 4 KiB block (space
// reserved with fallocate's FALLOC_FL_KEEP_SIZE holds real blocks but leaves
// the size at 0).
long long WorkspaceBytes(const std::string& dir);

}  // namespace ctxbench
