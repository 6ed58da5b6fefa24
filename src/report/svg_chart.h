// Self-contained SVG charts (no scripts, no external fonts or styles): line
// charts with interquartile bands, scatter plots with a frontier, and interval
// (dot and whisker) charts. Colours are the Okabe-Ito palette, which stays
// distinguishable under the common colour-vision deficiencies; series also
// differ by dash pattern and marker shape.
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include "report/run_data.h"

namespace ctxbench {

// Okabe-Ito colour for series `index` (cycles every 7; yellow left out: too
// light on white).
std::string PaletteColor(size_t index);
// The dash pattern of series `index` ("" for solid): it changes with each
// cycle of the colours, so no two of the first 49 series share colour and
// dash. And its marker shape (0 circle, 1 square, 2 triangle, 3 diamond).
std::string SeriesDash(size_t index);
int SeriesShape(size_t index);

struct BandPoint {
  double x = 0;
  double lo = 0;
  double hi = 0;
};

struct ChartSeries {
  std::string label;
  size_t color = 0;                  // palette index
  std::vector<SeriesPoint> line;     // drawn as a line (a step line if the chart says so)
  std::vector<BandPoint> band;       // shaded between lo and hi
  std::vector<SeriesPoint> dots;     // small translucent points (e.g. single episodes)
  std::vector<SeriesPoint> markers;  // large points (e.g. a policy's mean)
  std::vector<BandPoint> whiskers;   // vertical interval at x from lo to hi
};

// A horizontal line across the plot at `y`, labelled (a target, a budget).
struct ReferenceLine {
  double y = 0;
  std::string label;
};

struct XYChart {
  std::string title;     // first title line: what is plotted
  std::string subtitle;  // second line: task, model, mode
  std::string x_label;   // with units, e.g. "tokens (prompt + completion)"
  std::string y_label;
  std::vector<ChartSeries> series;
  bool step = false;                  // lines are step functions
  std::vector<SeriesPoint> frontier;  // dashed black line through these, if any
  std::string frontier_label = "Pareto frontier";
  std::vector<ReferenceLine> reference_lines;
  std::string note;  // small text under the plot
  // Fixed y range (both set) instead of one fitted to the data.
  double y_min = NAN, y_max = NAN;
  // Small multiples: one small panel per series (its band and line in its
  // colour, the other series' lines in grey behind), on shared axes, two per
  // row, instead of every band in one plot. For charts with many banded
  // series, whose bands would cover each other.
  bool small_multiples = false;
};

// Series with a band that more than this many series of one chart have are
// drawn as small multiples by the report (charts.cc).
inline constexpr size_t kMaxOverlaidBands = 3;

struct IntervalRow {
  std::string label;
  size_t color = 0;
  double value = 0;
  double lo = 0;
  double hi = 0;
  std::string annotation;  // printed right of the row, e.g. "2/3"
};

struct IntervalChart {
  std::string title;
  std::string subtitle;
  std::string x_label;
  double x_min = 0;
  double x_max = 1;
  std::vector<IntervalRow> rows;
  std::string note;
};

// Each returns one <svg> element with a <title> (for screen readers) and the
// class "chart", ready to inline in HTML.
std::string RenderXYChart(const XYChart& chart);
std::string RenderIntervalChart(const IntervalChart& chart);

// Escapes text for XML/HTML content and attributes.
std::string XmlEscape(const std::string& text);

}  // namespace ctxbench
