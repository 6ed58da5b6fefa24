// Self-contained SVG charts (no scripts, no external fonts or styles): line
// charts with interquartile bands, scatter plots with a frontier, and interval
// (dot and whisker) charts. Colours are the Okabe-Ito palette, which stays
// distinguishable under the common colour-vision deficiencies; series also
// differ by dash pattern and marker shape.
#pragma once

#include <string>
#include <vector>

#include "report/run_data.h"

namespace ctxbench {

// Okabe-Ito colour for series `index` (cycles; yellow left out: too light on white).
std::string PaletteColor(size_t index);

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
  std::string note;  // small text under the plot
};

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
