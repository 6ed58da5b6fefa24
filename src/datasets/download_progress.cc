#include "datasets/download_progress.h"

#include <utility>

namespace ctxbench {

std::string HumanBytes(uint64_t bytes) {
  static const char* const kUnits[] = {"kB", "MB", "GB", "TB"};
  if (bytes < 1000) return std::to_string(bytes) + " B";
  double v = static_cast<double>(bytes) / 1000.0;
  int unit = 0;
  while (v >= 1000.0 && unit < 3) {
    v /= 1000.0;
    ++unit;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f %s", v, kUnits[unit]);
  return buf;
}

ProgressLine::ProgressLine(FILE* out, bool tty, std::string label)
    : out_(out), tty_(tty), label_(std::move(label)) {}

std::string ProgressLine::Format(uint64_t bytes, uint64_t total, double seconds) const {
  std::string rate =
      seconds > 0 ? HumanBytes(static_cast<uint64_t>(static_cast<double>(bytes) / seconds)) + "/s"
                  : "-";
  std::string text = label_ + ": ";
  if (total > 0) {
    int pct = static_cast<int>(100.0 * static_cast<double>(bytes) / static_cast<double>(total));
    if (tty_) {
      constexpr int kWidth = 24;
      int fill = pct * kWidth / 100;
      text += "[" + std::string(fill, '#') + std::string(kWidth - fill, '.') + "] ";
    }
    text += HumanBytes(bytes) + " of " + HumanBytes(total) + " (" + std::to_string(pct) + "%)";
  } else {
    text += HumanBytes(bytes);
  }
  return text + ", " + rate;
}

void ProgressLine::Update(uint64_t bytes, uint64_t total, double seconds) {
  double every = tty_ ? 0.1 : 1.0;
  if (last_draw_ >= 0 && seconds - last_draw_ < every) return;
  last_draw_ = seconds;
  std::string text = Format(bytes, total, seconds);
  if (tty_) {
    std::fprintf(out_, "\r%s\033[K", text.c_str());
    drawn_ = true;
  } else {
    std::fprintf(out_, "%s\n", text.c_str());
  }
  std::fflush(out_);
}

void ProgressLine::Finish(uint64_t bytes, double seconds) {
  std::string rate =
      seconds > 0 ? HumanBytes(static_cast<uint64_t>(static_cast<double>(bytes) / seconds)) + "/s"
                  : "-";
  char secs[32];
  std::snprintf(secs, sizeof secs, "%.1f s", seconds);
  std::fprintf(out_, "%s%s: downloaded %s in %s, %s\n", tty_ ? "\r\033[K" : "", label_.c_str(),
               HumanBytes(bytes).c_str(), secs, rate.c_str());
  std::fflush(out_);
  drawn_ = false;
}

void ProgressLine::Abandon() {
  if (tty_ && drawn_) std::fprintf(out_, "\n");
  drawn_ = false;
}

}  // namespace ctxbench
