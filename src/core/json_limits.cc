#include "core/json_limits.h"

#include <filesystem>

#include "core/error.h"
#include "core/file.h"

namespace ctxbench {

int JsonNestingDepth(std::string_view text, int limit) {
  int depth = 0;
  int deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // the escaped character cannot end the string
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > deepest) {
        deepest = depth;
        if (deepest > limit) return limit + 1;
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

Status CheckJsonLimits(std::string_view text, size_t max_bytes, int max_depth) {
  if (text.size() > max_bytes) {
    return Status::Failure("JSON of " + std::to_string(text.size()) + " bytes, over the limit of " +
                           std::to_string(max_bytes) + " bytes");
  }
  if (JsonNestingDepth(text, max_depth) > max_depth) {
    return Status::Failure("JSON nested deeper than " + std::to_string(max_depth) +
                           " levels (the limit)");
  }
  return Status::Ok();
}

Json ParseJsonWithin(std::string_view text, int max_depth, std::string* limit_problem) {
  Status within = CheckJsonLimits(text, text.size(), max_depth);
  if (limit_problem) *limit_problem = within.error();
  if (!within) return Json(Json::value_t::discarded);
  return Json::parse(text, nullptr, /*allow_exceptions=*/false);
}

Json ReadJsonInput(const std::string& path) {
  std::error_code ec;
  auto bytes = std::filesystem::file_size(path, ec);
  if (!ec && bytes > kMaxJsonFileBytes) {
    ThrowInput(path, "file of " + std::to_string(bytes) + " bytes, over the limit of " +
                         std::to_string(kMaxJsonFileBytes) + " bytes for JSON input");
  }
  std::string text = ReadFile(path);
  Status within = CheckJsonLimits(text, kMaxJsonFileBytes, kMaxJsonDepth);
  if (!within) ThrowInput(path, within.error());
  return ParseJson(text, path);
}

}  // namespace ctxbench
