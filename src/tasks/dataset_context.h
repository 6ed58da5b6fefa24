// What the agent may know about a dataset: column statistics as JSON (written
// to dataset_context.json, quoted by the clarifier) and a short description.
#pragma once

#include <string>

#include "core/json.h"
#include "tasks/dataset.h"

namespace ctxbench {

// {"rows", "cols", "target": {...}, "columns": [...]}. Each column has "name",
// "type" ("numeric" or "categorical"), "missing"; numeric columns add "min",
// "max", "mean", "std" (over present values, 6 significant digits); categorical
// columns add "distinct" and "categories". The target reports "classes" with
// counts for classification, else the same stats as a numeric column.
Json DatasetContext(const Dataset& data);

// A few sentences: size, column kinds, target and classes, which columns have
// missing values. At most `max_columns` column names are listed by name.
std::string DescribeDataset(const Dataset& data, size_t max_columns = 12);

}  // namespace ctxbench
