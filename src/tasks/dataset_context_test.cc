#include "tasks/dataset_context.h"

#include <gtest/gtest.h>

#include <cmath>

namespace ctxbench {
namespace {

TEST(DatasetContextTest, ColumnStatsAndClasses) {
  Dataset d;
  d.feature_names = {"mass", "island"};
  d.categories = {{}, {"Biscoe", "Dream"}};
  d.rows = 4;
  d.cols = 2;
  float nan = std::nanf("");
  d.x = {1, 0, 2, 1, nan, nan, 3, 0};
  d.y = {0, 1, 1, 1};
  d.num_classes = 2;
  d.class_names = {"no", "yes"};
  d.target_name = "label";
  Json c = DatasetContext(d);
  EXPECT_EQ(c["rows"], 4);
  EXPECT_EQ(c["cols"], 2);
  const Json& mass = c["columns"][0];
  EXPECT_EQ(mass["type"], "numeric");
  EXPECT_EQ(mass["missing"], 1);
  EXPECT_EQ(mass["min"], 1.0);
  EXPECT_EQ(mass["max"], 3.0);
  EXPECT_EQ(mass["mean"], 2.0);
  EXPECT_EQ(mass["std"], 1.0);
  const Json& island = c["columns"][1];
  EXPECT_EQ(island["type"], "categorical");
  EXPECT_EQ(island["distinct"], 2);
  EXPECT_EQ(island["missing"], 1);
  EXPECT_EQ(c["target"]["classes"][1]["count"], 3);

  std::string text = DescribeDataset(d);
  EXPECT_NE(text.find("4 rows, 2 features (1 numeric, 1 categorical): mass, island."),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("Target 'label' has 2 classes: no (1) yes (3)."), std::string::npos);
  EXPECT_NE(text.find("Missing values (count) in: mass (1), island (1)"), std::string::npos);
}

TEST(DatasetContextTest, RegressionTarget) {
  Dataset d;
  d.feature_names = {"a"};
  d.categories = {{}};
  d.rows = 2;
  d.cols = 1;
  d.x = {1, 2};
  d.y = {0.5f, 1.5f};
  d.target_name = "gap";
  Json c = DatasetContext(d);
  EXPECT_EQ(c["target"]["type"], "numeric");
  EXPECT_EQ(c["target"]["mean"], 1.0);
  EXPECT_NE(DescribeDataset(d).find("Target 'gap' is numeric: min 0.5, max 1.5"),
            std::string::npos);
  EXPECT_NE(DescribeDataset(d).find("No missing values."), std::string::npos);
}

}  // namespace
}  // namespace ctxbench
