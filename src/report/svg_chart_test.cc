#include "report/svg_chart.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace ctxbench {
namespace {

double SvgHeight(const std::string& svg) {
  std::smatch m;
  EXPECT_TRUE(std::regex_search(svg, m, std::regex("height=\"([0-9.]+)\"")));
  return std::stod(m[1]);
}

TEST(SvgChartTest, EscapesTextAndUsesOkabeItoColours) {
  EXPECT_EQ(XmlEscape("a<b & \"c\">"), "a&lt;b &amp; &quot;c&quot;&gt;");
  EXPECT_EQ(PaletteColor(0), "#0072B2");
  EXPECT_EQ(PaletteColor(1), "#D55E00");
  EXPECT_EQ(PaletteColor(7), PaletteColor(0));  // cycles
}

TEST(SvgChartTest, XYChartHasTitleAxesLegendAndNoScript) {
  XYChart c;
  c.title = "Best <so far>";
  c.subtitle = "toy · model sim · agentic";
  c.x_label = "iteration";
  c.y_label = "accuracy";
  c.step = true;
  c.series.push_back(
      {"full", 0, {{0, 0.8}, {1, 0.85}}, {{0, 0.79, 0.81}, {1, 0.84, 0.86}}, {}, {}, {}});
  std::string svg = RenderXYChart(c);
  EXPECT_EQ(svg.rfind("<svg class=\"chart\"", 0), 0u);
  EXPECT_NE(svg.find("<title>Best &lt;so far&gt; — toy · model sim · agentic</title>"),
            std::string::npos);
  EXPECT_NE(svg.find(">iteration</text>"), std::string::npos);
  EXPECT_NE(svg.find(">accuracy</text>"), std::string::npos);
  EXPECT_NE(svg.find(">full</text>"), std::string::npos);
  EXPECT_NE(svg.find("#0072B2"), std::string::npos);
  EXPECT_EQ(svg.find("script"), std::string::npos);
  EXPECT_EQ(svg.find("nan"), std::string::npos);
}

TEST(SvgChartTest, LongLegendPushesThePlotDown) {
  XYChart one;
  one.series.push_back({"full", 0, {{0, 1}, {1, 2}}, {}, {}, {}, {}});
  XYChart many = one;
  for (size_t i = 1; i < 7; ++i) {
    many.series.push_back(
        {"a rather long policy name " + std::to_string(i), i, {{0, 1}}, {}, {}, {}, {}});
  }
  EXPECT_GT(SvgHeight(RenderXYChart(many)), SvgHeight(RenderXYChart(one)));
}

size_t Occurrences(const std::string& svg, const std::string& what) {
  size_t n = 0;
  for (size_t at = svg.find(what); at != std::string::npos; at = svg.find(what, at + 1)) ++n;
  return n;
}

TEST(SvgChartTest, SmallMultiplesGiveEachBandItsOwnPanel) {
  XYChart c;
  c.title = "Best-so-far";
  c.x_label = "iteration";
  c.y_label = "accuracy";
  c.step = true;
  c.reference_lines.push_back({0.84, "target 0.84"});
  for (size_t i = 0; i < 8; ++i) {
    double v = 0.8 + 0.01 * static_cast<double>(i);
    c.series.push_back({"policy" + std::to_string(i),
                        i,
                        {{0, 0.8}, {1, v}, {2, v + 0.01}},
                        {{0, 0.79, 0.81}, {1, v - 0.01, v + 0.01}, {2, v, v + 0.02}},
                        {},
                        {},
                        {}});
  }
  std::string overlaid = RenderXYChart(c);
  EXPECT_EQ(Occurrences(overlaid, "class=\"band\""), 8u);
  EXPECT_EQ(Occurrences(overlaid, "class=\"panel\""), 0u);

  c.small_multiples = true;
  std::string svg = RenderXYChart(c);
  // One panel per series, each with one band (its own) and the target line,
  // labelled once; the other series' medians in grey behind.
  EXPECT_EQ(Occurrences(svg, "<g class=\"panel\">"), 8u);
  EXPECT_EQ(Occurrences(svg, "class=\"band\""), 8u);
  EXPECT_EQ(Occurrences(svg, "class=\"reference\""), 8u);
  EXPECT_EQ(Occurrences(svg, ">target 0.84</text>"), 1u);
  EXPECT_EQ(Occurrences(svg, "stroke=\"#c8c8c8\""), 8u * 7u);
  for (size_t i = 0; i < 8; ++i) {
    EXPECT_EQ(Occurrences(svg, ">policy" + std::to_string(i) + "</text>"), 1u) << i;
  }
  size_t first = svg.find("<g class=\"panel\">");
  size_t second = svg.find("<g class=\"panel\">", first + 1);
  std::string panel = svg.substr(first, second - first);
  EXPECT_EQ(Occurrences(panel, "class=\"band\""), 1u);  // at most one band per panel
  EXPECT_NE(panel.find(PaletteColor(0)), std::string::npos);
  EXPECT_EQ(panel.find(PaletteColor(1)), std::string::npos);
  // Four rows of two panels: taller than the overlaid chart, no NaN anywhere.
  EXPECT_GT(SvgHeight(svg), SvgHeight(overlaid));
  EXPECT_EQ(svg.find("nan"), std::string::npos);
  EXPECT_NE(svg.find(">iteration</text>"), std::string::npos);
  EXPECT_NE(svg.find(">accuracy</text>"), std::string::npos);
}

TEST(SvgChartTest, EmptyAndDegenerateChartsRender) {
  XYChart empty;
  EXPECT_EQ(RenderXYChart(empty).find("nan"), std::string::npos);
  XYChart flat;
  flat.series.push_back({"full", 0, {{0, 0.5}, {0, 0.5}}, {}, {}, {}, {}});
  EXPECT_EQ(RenderXYChart(flat).find("nan"), std::string::npos);
  IntervalChart ic;
  ic.rows.push_back({"full · agentic", 0, 2.0 / 3, 0.21, 0.94, "2/3"});
  std::string svg = RenderIntervalChart(ic);
  EXPECT_NE(svg.find(">2/3</text>"), std::string::npos);
  EXPECT_NE(svg.find(">full · agentic</text>"), std::string::npos);
}

// Eight or more policies: no two series share both colour and dash, and the
// legend draws each series' marker next to its line.
TEST(SvgChartTest, StylesNeverRepeatAndTheLegendShowsTheMarker) {
  std::set<std::pair<std::string, std::string>> seen;
  for (size_t i = 0; i < 20; ++i) {
    EXPECT_TRUE(seen.insert({PaletteColor(i), SeriesDash(i)}).second) << i;
  }
  EXPECT_NE(SeriesDash(0), SeriesDash(7));  // same colour, other dash
  XYChart c;
  c.series.push_back({"full", 0, {}, {}, {}, {{1, 1}}, {}});
  c.series.push_back({"window", 1, {}, {}, {}, {{2, 2}}, {}});
  std::string svg = RenderXYChart(c);
  EXPECT_EQ(Occurrences(svg, "<circle"), 2u);   // full: legend and marker
  EXPECT_EQ(Occurrences(svg, "<rect x="), 3u);  // window: legend and marker, plus the plot frame
}

TEST(SvgChartTest, ReferenceLinesAndWhiskersAreDrawn) {
  XYChart c;
  c.series.push_back({"full", 0, {{0, 0.5}, {1, 0.6}}, {}, {}, {}, {{1, 0.4, 0.9}}});
  c.reference_lines.push_back({0.95, "target 0.95"});
  std::string svg = RenderXYChart(c);
  EXPECT_NE(svg.find("class=\"reference\""), std::string::npos);
  EXPECT_NE(svg.find(">target 0.95</text>"), std::string::npos);
}

}  // namespace
}  // namespace ctxbench
