#include "report/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace ctxbench {

namespace {

constexpr double kWidth = 640;
constexpr double kLeft = 72, kRight = 20, kTop = 84, kBottom = 52;
constexpr double kPlotHeight = 250;
constexpr const char* kFont = "font-family=\"DejaVu Sans, Arial, sans-serif\"";

const char* const kPalette[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                "#E69F00", "#56B4E9", "#000000"};
const char* const kDashes[] = {"", "6 3", "2 2", "8 3 2 3", "4 4", "1 3", "10 4"};
constexpr size_t kColors = std::size(kPalette);

std::string Fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string TickLabel(double v, double step) {
  char buf[32];
  double a = std::fabs(v);
  if (a >= 1e6) {
    std::snprintf(buf, sizeof buf, "%gM", v / 1e6);
  } else if (a >= 1e4) {
    std::snprintf(buf, sizeof buf, "%gk", v / 1e3);
  } else {
    int decimals = step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
    std::snprintf(buf, sizeof buf, "%.*f", std::min(decimals, 6), v);
  }
  return buf;
}

// A "nice" axis: round step (1, 2 or 5 × 10^k) and bounds covering [lo, hi].
struct Axis {
  double lo = 0, hi = 1, step = 0.2;
};

Axis NiceAxis(double lo, double hi, int target_ticks = 5) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) return {};
  if (hi - lo < 1e-12) {
    double pad = std::fabs(hi) > 0 ? std::fabs(hi) * 0.05 : 0.5;
    lo -= pad;
    hi += pad;
  }
  double raw = (hi - lo) / target_ticks;
  double mag = std::pow(10, std::floor(std::log10(raw)));
  double norm = raw / mag;
  double step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
  return {std::floor(lo / step + 1e-9) * step, std::ceil(hi / step - 1e-9) * step, step};
}

struct Frame {
  Axis x, y;
  double left = kLeft, top = kTop, width = kWidth - kLeft - kRight, height = kPlotHeight;
  double X(double v) const { return left + (v - x.lo) / (x.hi - x.lo) * width; }
  double Y(double v) const { return top + height - (v - y.lo) / (y.hi - y.lo) * height; }
};

void Header(std::string& out, double height, const std::string& title,
            const std::string& subtitle) {
  out += "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"" +
         Fmt(kWidth) + "\" height=\"" + Fmt(height) + "\" viewBox=\"0 0 " + Fmt(kWidth) + " " +
         Fmt(height) + "\" " + kFont + ">\n";
  out += "<title>" + XmlEscape(title + " — " + subtitle) + "</title>\n";
  out += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
  out += "<text x=\"12\" y=\"22\" font-size=\"15\" font-weight=\"bold\" fill=\"#000\">" +
         XmlEscape(title) + "</text>\n";
  out +=
      "<text x=\"12\" y=\"40\" font-size=\"12\" fill=\"#333\">" + XmlEscape(subtitle) + "</text>\n";
}

void Marker(std::string& out, double x, double y, size_t color, double r, double opacity);

// Legend entries in rows under the title, from y = 60; returns the baseline
// of its last row.
double Legend(std::string& out, const std::vector<std::pair<std::string, size_t>>& entries,
              bool frontier, const std::string& frontier_label) {
  double x = 12, y = 60;
  auto entry = [&](const std::string& label, const std::string& color, const std::string& dash,
                   int series) {
    double w = 44 + 7.8 * static_cast<double>(label.size());
    if (x + w > kWidth - 8) x = 12, y += 16;
    out += "<line x1=\"" + Fmt(x) + "\" y1=\"" + Fmt(y - 4) + "\" x2=\"" + Fmt(x + 24) +
           "\" y2=\"" + Fmt(y - 4) + "\" stroke=\"" + color + "\" stroke-width=\"3\"" +
           (dash.empty() ? "" : " stroke-dasharray=\"" + dash + "\"") + "/>";
    if (series >= 0) Marker(out, x + 12, y - 4, static_cast<size_t>(series), 4.5, 1);
    out += "<text x=\"" + Fmt(x + 29) + "\" y=\"" + Fmt(y) + "\" font-size=\"12\">" +
           XmlEscape(label) + "</text>\n";
    x += w;
  };
  for (const auto& [label, color] : entries) {
    entry(label, PaletteColor(color), SeriesDash(color), static_cast<int>(color));
  }
  if (frontier) entry(frontier_label, "#000000", "5 3", -1);
  return y;
}

void Axes(std::string& out, const Frame& f, const std::string& x_label, const std::string& y_label,
          bool y_ticks = true) {
  out += "<rect x=\"" + Fmt(f.left) + "\" y=\"" + Fmt(f.top) + "\" width=\"" + Fmt(f.width) +
         "\" height=\"" + Fmt(f.height) + "\" fill=\"none\" stroke=\"#888\"/>\n";
  for (double v = f.x.lo; v <= f.x.hi + f.x.step * 1e-6; v += f.x.step) {
    double px = f.X(v);
    out += "<line x1=\"" + Fmt(px) + "\" y1=\"" + Fmt(f.top) + "\" x2=\"" + Fmt(px) + "\" y2=\"" +
           Fmt(f.top + f.height) + "\" stroke=\"#e4e4e4\"/>";
    out += "<text x=\"" + Fmt(px) + "\" y=\"" + Fmt(f.top + f.height + 16) +
           "\" font-size=\"11\" text-anchor=\"middle\">" + TickLabel(v, f.x.step) + "</text>\n";
  }
  if (y_ticks) {
    for (double v = f.y.lo; v <= f.y.hi + f.y.step * 1e-6; v += f.y.step) {
      double py = f.Y(v);
      out += "<line x1=\"" + Fmt(f.left) + "\" y1=\"" + Fmt(py) + "\" x2=\"" +
             Fmt(f.left + f.width) + "\" y2=\"" + Fmt(py) + "\" stroke=\"#e4e4e4\"/>";
      out += "<text x=\"" + Fmt(f.left - 6) + "\" y=\"" + Fmt(py + 4) +
             "\" font-size=\"11\" text-anchor=\"end\">" + TickLabel(v, f.y.step) + "</text>\n";
    }
  }
  out += "<text x=\"" + Fmt(f.left + f.width / 2) + "\" y=\"" + Fmt(f.top + f.height + 36) +
         "\" font-size=\"12\" text-anchor=\"middle\">" + XmlEscape(x_label) + "</text>\n";
  if (!y_label.empty()) {
    double cy = f.top + f.height / 2;
    out += "<text transform=\"translate(16 " + Fmt(cy) +
           ") rotate(-90)\" font-size=\"12\" text-anchor=\"middle\">" + XmlEscape(y_label) +
           "</text>\n";
  }
}

std::string Path(const Frame& f, const std::vector<SeriesPoint>& pts, bool step) {
  std::string d;
  for (size_t i = 0; i < pts.size(); ++i) {
    if (i > 0 && step) d += "H" + Fmt(f.X(pts[i].x));
    d += (i == 0 ? "M" : step ? "V" : "L");
    if (i == 0 || !step) d += Fmt(f.X(pts[i].x)) + " ";
    d += Fmt(f.Y(pts[i].y));
  }
  return d;
}

void Marker(std::string& out, double x, double y, size_t color, double r, double opacity) {
  std::string c = PaletteColor(color);
  std::string o = opacity < 1 ? " fill-opacity=\"" + Fmt(opacity) + "\"" : "";
  switch (SeriesShape(color)) {
    case 0:
      out += "<circle cx=\"" + Fmt(x) + "\" cy=\"" + Fmt(y) + "\" r=\"" + Fmt(r) + "\" fill=\"" +
             c + "\"" + o + " stroke=\"#fff\" stroke-width=\"0.8\"/>";
      break;
    case 1:
      out += "<rect x=\"" + Fmt(x - r) + "\" y=\"" + Fmt(y - r) + "\" width=\"" + Fmt(2 * r) +
             "\" height=\"" + Fmt(2 * r) + "\" fill=\"" + c + "\"" + o +
             " stroke=\"#fff\" stroke-width=\"0.8\"/>";
      break;
    case 3:
      out += "<path d=\"M" + Fmt(x) + " " + Fmt(y - r * 1.3) + "L" + Fmt(x + r * 1.1) + " " +
             Fmt(y) + "L" + Fmt(x) + " " + Fmt(y + r * 1.3) + "L" + Fmt(x - r * 1.1) + " " +
             Fmt(y) + "Z\" fill=\"" + c + "\"" + o + " stroke=\"#fff\" stroke-width=\"0.8\"/>";
      break;
    default:
      out += "<path d=\"M" + Fmt(x) + " " + Fmt(y - r * 1.2) + "L" + Fmt(x + r * 1.1) + " " +
             Fmt(y + r * 0.8) + "L" + Fmt(x - r * 1.1) + " " + Fmt(y + r * 0.8) + "Z\" fill=\"" +
             c + "\"" + o + " stroke=\"#fff\" stroke-width=\"0.8\"/>";
  }
}

// The band's outline (upper edge left to right, lower edge back), stepped
// like the lines when `step`.
std::string BandPath(const Frame& f, const std::vector<BandPoint>& band, bool step) {
  std::string d;
  for (size_t i = 0; i < band.size(); ++i) {
    if (i > 0 && step) d += "L" + Fmt(f.X(band[i].x)) + " " + Fmt(f.Y(band[i - 1].hi));
    d += (i == 0 ? "M" : "L") + Fmt(f.X(band[i].x)) + " " + Fmt(f.Y(band[i].hi));
  }
  for (size_t i = band.size(); i-- > 0;) {
    d += "L" + Fmt(f.X(band[i].x)) + " " + Fmt(f.Y(band[i].lo));
    if (i > 0 && step) d += "L" + Fmt(f.X(band[i].x)) + " " + Fmt(f.Y(band[i - 1].lo));
  }
  return d + "Z";
}

void Band(std::string& out, const Frame& f, const ChartSeries& s, bool step, double opacity) {
  if (s.band.size() < 2) return;
  out += "<path class=\"band\" d=\"" + BandPath(f, s.band, step) + "\" fill=\"" +
         PaletteColor(s.color) + "\" fill-opacity=\"" + Fmt(opacity) + "\" stroke=\"none\"/>\n";
}

void Line(std::string& out, const Frame& f, const ChartSeries& s, bool step) {
  if (s.line.empty()) return;
  std::string dash = SeriesDash(s.color);
  out += "<path d=\"" + Path(f, s.line, step) + "\" fill=\"none\" stroke=\"" +
         PaletteColor(s.color) + "\" stroke-width=\"2.5\"" +
         (dash.empty() ? "" : " stroke-dasharray=\"" + dash + "\"") + "/>\n";
}

void References(std::string& out, const Frame& f, const std::vector<ReferenceLine>& lines,
                bool labels) {
  for (const ReferenceLine& r : lines) {
    double py = f.Y(r.y);
    out += "<line class=\"reference\" x1=\"" + Fmt(f.left) + "\" y1=\"" + Fmt(py) + "\" x2=\"" +
           Fmt(f.left + f.width) + "\" y2=\"" + Fmt(py) +
           "\" stroke=\"#444\" stroke-width=\"1.2\" stroke-dasharray=\"2 4\"/>";
    if (labels) {
      out += "<text x=\"" + Fmt(f.left + f.width - 4) + "\" y=\"" + Fmt(py - 4) +
             "\" font-size=\"11\" text-anchor=\"end\" fill=\"#444\">" + XmlEscape(r.label) +
             "</text>";
    }
    out += "\n";
  }
}

// The small multiples of `chart` on the shared axes `shared` (its x and y).
std::string SmallMultiples(const XYChart& chart, const Frame& shared) {
  constexpr size_t kColumns = 2;
  constexpr double kLeftMargin = 64, kGap = 44, kPanelH = 120, kLabelH = 20, kTicksH = 22;
  constexpr double kTop0 = 52;
  const double panel_w = (kWidth - kLeftMargin - kRight - kGap * (kColumns - 1)) / kColumns;
  const size_t n = chart.series.size();
  const size_t rows = (n + kColumns - 1) / kColumns;
  const double row_h = kLabelH + kPanelH + kTicksH;
  double height = kTop0 + row_h * static_cast<double>(rows) + 30 + (chart.note.empty() ? 0 : 16);
  std::string out;
  Header(out, height, chart.title, chart.subtitle);
  for (size_t i = 0; i < n; ++i) {
    const ChartSeries& s = chart.series[i];
    Frame f = shared;
    f.left = kLeftMargin + static_cast<double>(i % kColumns) * (panel_w + kGap);
    f.top = kTop0 + static_cast<double>(i / kColumns) * row_h + kLabelH;
    f.width = panel_w;
    f.height = kPanelH;
    out += "<g class=\"panel\">\n";
    // The panel's label with the series' own line and marker, as a legend.
    double ly = f.top - 7;
    std::string dash = SeriesDash(s.color);
    out += "<line x1=\"" + Fmt(f.left) + "\" y1=\"" + Fmt(ly - 4) + "\" x2=\"" + Fmt(f.left + 22) +
           "\" y2=\"" + Fmt(ly - 4) + "\" stroke=\"" + PaletteColor(s.color) +
           "\" stroke-width=\"3\"" + (dash.empty() ? "" : " stroke-dasharray=\"" + dash + "\"") +
           "/>";
    Marker(out, f.left + 11, ly - 4, s.color, 4, 1);
    out += "<text x=\"" + Fmt(f.left + 28) + "\" y=\"" + Fmt(ly) +
           "\" font-size=\"12\" font-weight=\"bold\">" + XmlEscape(s.label) + "</text>\n";
    Axes(out, f, "", "");
    for (const ChartSeries& other : chart.series) {  // the others, for comparison
      if (&other == &s || other.line.empty()) continue;
      out += "<path d=\"" + Path(f, other.line, chart.step) +
             "\" fill=\"none\" stroke=\"#c8c8c8\" stroke-width=\"1.2\"/>\n";
    }
    Band(out, f, s, chart.step, 0.25);
    References(out, f, chart.reference_lines, i == 0);
    Line(out, f, s, chart.step);
    out += "</g>\n";
  }
  double bottom = kTop0 + row_h * static_cast<double>(rows);
  out += "<text x=\"" + Fmt(kLeftMargin + (kWidth - kLeftMargin - kRight) / 2) + "\" y=\"" +
         Fmt(bottom + 14) + "\" font-size=\"12\" text-anchor=\"middle\">" +
         XmlEscape(chart.x_label) + "</text>\n";
  if (!chart.y_label.empty()) {
    out += "<text transform=\"translate(14 " + Fmt(kTop0 + (bottom - kTop0) / 2) +
           ") rotate(-90)\" font-size=\"12\" text-anchor=\"middle\">" + XmlEscape(chart.y_label) +
           "</text>\n";
  }
  if (!chart.note.empty()) {
    out += "<text x=\"12\" y=\"" + Fmt(height - 8) + "\" font-size=\"11\" fill=\"#444\">" +
           XmlEscape(chart.note) + "</text>\n";
  }
  out += "</svg>\n";
  return out;
}

}  // namespace

std::string PaletteColor(size_t index) { return kPalette[index % kColors]; }
std::string SeriesDash(size_t index) {
  return kDashes[(index + index / kColors) % std::size(kDashes)];
}
int SeriesShape(size_t index) { return static_cast<int>((index + index / kColors) % 4); }

std::string XmlEscape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string RenderXYChart(const XYChart& chart) {
  double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
  auto see = [&](double x, double y) {
    if (!std::isfinite(x) || !std::isfinite(y)) return;
    xlo = std::min(xlo, x), xhi = std::max(xhi, x), ylo = std::min(ylo, y), yhi = std::max(yhi, y);
  };
  for (const ChartSeries& s : chart.series) {
    for (const auto& p : s.line) see(p.x, p.y);
    for (const auto& p : s.dots) see(p.x, p.y);
    for (const auto& p : s.markers) see(p.x, p.y);
    for (const auto& b : s.band) see(b.x, b.lo), see(b.x, b.hi);
    for (const auto& b : s.whiskers) see(b.x, b.lo), see(b.x, b.hi);
  }
  for (const ReferenceLine& r : chart.reference_lines) {
    if (xlo <= xhi) see(xlo, r.y);
  }
  Frame f;
  if (xlo > xhi) xlo = 0, xhi = 1, ylo = 0, yhi = 1;
  bool scatter = false;
  for (const ChartSeries& s : chart.series) scatter |= !s.dots.empty() || !s.markers.empty();
  if (scatter) {  // room for the markers at the edges
    double px = (xhi - xlo) * 0.03, py = (yhi - ylo) * 0.03;
    xlo -= px, xhi += px, ylo -= py, yhi += py;
  }
  f.x = NiceAxis(xlo, xhi, 6);
  f.y = std::isfinite(chart.y_min) && std::isfinite(chart.y_max)
            ? NiceAxis(chart.y_min, chart.y_max, 5)
            : NiceAxis(ylo, yhi, 5);
  if (chart.small_multiples && !chart.series.empty()) {
    f.x = NiceAxis(xlo, xhi, 4);  // narrower panels: fewer ticks
    f.y = std::isfinite(chart.y_min) && std::isfinite(chart.y_max)
              ? NiceAxis(chart.y_min, chart.y_max, 3)
              : NiceAxis(ylo, yhi, 3);
    return SmallMultiples(chart, f);
  }
  std::vector<std::pair<std::string, size_t>> legend;
  for (const ChartSeries& s : chart.series) legend.push_back({s.label, s.color});
  std::string legend_svg;
  // The plot starts below the legend, however many rows it wraps to.
  f.top = std::max(kTop,
                   Legend(legend_svg, legend, !chart.frontier.empty(), chart.frontier_label) + 24);
  double height = f.top + f.height + kBottom + (chart.note.empty() ? 0 : 16);
  std::string out;
  Header(out, height, chart.title, chart.subtitle);
  out += legend_svg;
  Axes(out, f, chart.x_label, chart.y_label);
  for (const ChartSeries& s : chart.series) Band(out, f, s, chart.step, 0.15);
  for (const ChartSeries& s : chart.series) {
    for (const auto& p : s.dots) Marker(out, f.X(p.x), f.Y(p.y), s.color, 3.5, 0.45);
    Line(out, f, s, chart.step);
  }
  References(out, f, chart.reference_lines, true);
  for (const ChartSeries& s : chart.series) {
    for (const BandPoint& b : s.whiskers) {
      std::string c = PaletteColor(s.color);
      double px = f.X(b.x);
      out += "<line x1=\"" + Fmt(px) + "\" y1=\"" + Fmt(f.Y(b.lo)) + "\" x2=\"" + Fmt(px) +
             "\" y2=\"" + Fmt(f.Y(b.hi)) + "\" stroke=\"" + c + "\" stroke-width=\"2\"/>";
      for (double end : {b.lo, b.hi}) {
        out += "<line x1=\"" + Fmt(px - 5) + "\" y1=\"" + Fmt(f.Y(end)) + "\" x2=\"" + Fmt(px + 5) +
               "\" y2=\"" + Fmt(f.Y(end)) + "\" stroke=\"" + c + "\" stroke-width=\"2\"/>";
      }
    }
  }
  if (!chart.frontier.empty()) {
    out += "<path d=\"" + Path(f, chart.frontier, false) +
           "\" fill=\"none\" stroke=\"#000\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\"/>\n";
  }
  for (const ChartSeries& s : chart.series) {
    for (const auto& p : s.markers) Marker(out, f.X(p.x), f.Y(p.y), s.color, 7, 1);
  }
  if (!chart.note.empty()) {
    out += "<text x=\"12\" y=\"" + Fmt(height - 8) + "\" font-size=\"11\" fill=\"#444\">" +
           XmlEscape(chart.note) + "</text>\n";
  }
  out += "</svg>\n";
  return out;
}

std::string RenderIntervalChart(const IntervalChart& chart) {
  Frame f;
  f.left = 190;
  f.width = kWidth - f.left - 70;
  f.top = 56;
  const double row_h = 26;
  f.height = row_h * static_cast<double>(std::max<size_t>(chart.rows.size(), 1));
  f.x = NiceAxis(chart.x_min, chart.x_max, 5);
  f.y = {0, 1, 1};
  double height = f.top + f.height + kBottom + (chart.note.empty() ? 0 : 16);
  std::string out;
  Header(out, height, chart.title, chart.subtitle);
  Axes(out, f, chart.x_label, "", false);
  for (size_t i = 0; i < chart.rows.size(); ++i) {
    const IntervalRow& r = chart.rows[i];
    double y = f.top + row_h * (static_cast<double>(i) + 0.5);
    std::string c = PaletteColor(r.color);
    out += "<text x=\"" + Fmt(f.left - 8) + "\" y=\"" + Fmt(y + 4) +
           "\" font-size=\"12\" text-anchor=\"end\">" + XmlEscape(r.label) + "</text>";
    out += "<line x1=\"" + Fmt(f.X(r.lo)) + "\" y1=\"" + Fmt(y) + "\" x2=\"" + Fmt(f.X(r.hi)) +
           "\" y2=\"" + Fmt(y) + "\" stroke=\"" + c + "\" stroke-width=\"2.5\"/>";
    for (double end : {r.lo, r.hi}) {
      out += "<line x1=\"" + Fmt(f.X(end)) + "\" y1=\"" + Fmt(y - 6) + "\" x2=\"" + Fmt(f.X(end)) +
             "\" y2=\"" + Fmt(y + 6) + "\" stroke=\"" + c + "\" stroke-width=\"2\"/>";
    }
    Marker(out, f.X(r.value), y, r.color, 6, 1);
    out += "<text x=\"" + Fmt(f.left + f.width + 8) + "\" y=\"" + Fmt(y + 4) +
           "\" font-size=\"11\">" + XmlEscape(r.annotation) + "</text>\n";
  }
  if (!chart.note.empty()) {
    out += "<text x=\"12\" y=\"" + Fmt(height - 8) + "\" font-size=\"11\" fill=\"#444\">" +
           XmlEscape(chart.note) + "</text>\n";
  }
  out += "</svg>\n";
  return out;
}

}  // namespace ctxbench
