// The progress line a download prints on stderr: a bar redrawn in place on a
// terminal, plain lines (at most one a second) on a pipe or file.
//
// Thread safety: one ProgressLine per download, used from one thread.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

namespace ctxbench {

// "12.3 MB", "512 B": bytes in decimal units, for people.
std::string HumanBytes(uint64_t bytes);

class ProgressLine {
 public:
  // `label` names the download; `tty` picks the redrawn bar over lines.
  ProgressLine(FILE* out, bool tty, std::string label);

  // Bytes so far, the total (0 when unknown) and seconds since the start.
  // Draws at most every 0.1 s (bar) or 1 s (lines).
  void Update(uint64_t bytes, uint64_t total, double seconds);

  // The last line: bytes, time and mean rate; ends the bar's line.
  void Finish(uint64_t bytes, double seconds);

  // Ends a drawn bar's line (after an error) so the next message starts clean.
  void Abandon();

  // The text of one update, without "\r" or newline (tests).
  std::string Format(uint64_t bytes, uint64_t total, double seconds) const;

 private:
  FILE* out_;
  bool tty_;
  std::string label_;
  double last_draw_ = -1;
  bool drawn_ = false;
};

}  // namespace ctxbench
