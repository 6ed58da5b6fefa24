// Reading a Python traceback out of a command's output into the facts an
// agent needs: exception type and message, and the innermost frame that is in
// the workspace with its source line. Policies can keep this compactly; the
// raw output stays in the trace.
#pragma once

#include <string>
#include <vector>

#include "core/json.h"

namespace ctxbench {

struct TracebackFrame {
  std::string file;  // relative to the workspace when inside it, else as printed
  int line = 0;
  std::string function;
  std::string source;  // the offending source line, trimmed ("" when not printed)
  bool in_workspace = false;
};

struct Traceback {
  bool found = false;
  std::string type;                    // "KeyError"
  std::string message;                 // the text after "Type: " (first lines, capped)
  std::vector<TracebackFrame> frames;  // of the last traceback in the output, outermost first
  // The innermost frame inside the workspace, or the innermost frame when none is.
  TracebackFrame where;

  // "KeyError: 'x' at train.py:12 in main: `X = df[FEATURES]`"
  std::string Summary() const;
  Json ToJson() const;
};

// Parses the last "Traceback (most recent call last):" block of `output`.
// `workspace_root` (absolute) makes frame paths relative; found is false when
// there is no traceback.
Traceback ParsePythonTraceback(const std::string& output, const std::string& workspace_root);

}  // namespace ctxbench
