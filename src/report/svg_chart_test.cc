#include "report/svg_chart.h"

#include <gtest/gtest.h>

#include <regex>

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
      {"full", 0, {{0, 0.8}, {1, 0.85}}, {{0, 0.79, 0.81}, {1, 0.84, 0.86}}, {}, {}});
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
  one.series.push_back({"full", 0, {{0, 1}, {1, 2}}, {}, {}, {}});
  XYChart many = one;
  for (size_t i = 1; i < 7; ++i) {
    many.series.push_back(
        {"a rather long policy name " + std::to_string(i), i, {{0, 1}}, {}, {}, {}});
  }
  EXPECT_GT(SvgHeight(RenderXYChart(many)), SvgHeight(RenderXYChart(one)));
}

TEST(SvgChartTest, EmptyAndDegenerateChartsRender) {
  XYChart empty;
  EXPECT_EQ(RenderXYChart(empty).find("nan"), std::string::npos);
  XYChart flat;
  flat.series.push_back({"full", 0, {{0, 0.5}, {0, 0.5}}, {}, {}, {}});
  EXPECT_EQ(RenderXYChart(flat).find("nan"), std::string::npos);
  IntervalChart ic;
  ic.rows.push_back({"full · agentic", 0, 2.0 / 3, 0.21, 0.94, "2/3"});
  std::string svg = RenderIntervalChart(ic);
  EXPECT_NE(svg.find(">2/3</text>"), std::string::npos);
  EXPECT_NE(svg.find(">full · agentic</text>"), std::string::npos);
}

}  // namespace
}  // namespace ctxbench
