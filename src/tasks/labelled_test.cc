#include "tasks/labelled_test.h"

#include <filesystem>

namespace ctxbench {

const char* const kLabelledTestFile = "test_labeled.csv";

std::string LabelledTestFile(const std::string& data_dir, const std::string& dataset) {
  std::filesystem::path p = std::filesystem::path(data_dir) / dataset / kLabelledTestFile;
  std::error_code ec;
  return std::filesystem::is_regular_file(p, ec) ? p.string() : "";
}

}  // namespace ctxbench
