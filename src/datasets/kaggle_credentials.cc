#include "datasets/kaggle_credentials.h"

#include <sys/stat.h>

#include <filesystem>

#include "core/error.h"
#include "core/file.h"
#include "core/json.h"

namespace ctxbench {
namespace {

namespace fs = std::filesystem;

constexpr const char* kWhere = "Kaggle credentials";

KaggleCredentials ReadKaggleJson(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) ThrowInput(path, "cannot read it");
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    ThrowInput(path,
               "readable by other users of this machine; run `chmod 600 " + path + "` and retry");
  }
  Json j;
  try {
    j = Json::parse(ReadFile(path));
  } catch (const Json::exception&) {
    ThrowInput(path, "not valid JSON (expected {\"username\": ..., \"key\": ...})");
  }
  if (!j.is_object() || !j.contains("username") || !j["username"].is_string() ||
      !j.contains("key") || !j["key"].is_string() || j["username"].get<std::string>().empty() ||
      j["key"].get<std::string>().empty()) {
    ThrowInput(path, "expected {\"username\": \"...\", \"key\": \"...\"} (strings, not empty)");
  }
  return {j["username"].get<std::string>(), j["key"].get<std::string>(), path};
}

}  // namespace

std::string KaggleConfigDir(const EnvLookup& env) {
  if (std::optional<std::string> dir = env("KAGGLE_CONFIG_DIR")) return *dir;
  if (std::optional<std::string> home = env("HOME")) return (fs::path(*home) / ".kaggle").string();
  return "";
}

KaggleCredentials FindKaggleCredentials(const EnvLookup& env) {
  std::optional<std::string> user = env("KAGGLE_USERNAME");
  std::optional<std::string> key = env("KAGGLE_KEY");
  if (user && key) return {*user, *key, "KAGGLE_USERNAME/KAGGLE_KEY"};
  if (user.has_value() != key.has_value()) {
    ThrowInput(kWhere, std::string(user ? "KAGGLE_KEY" : "KAGGLE_USERNAME") +
                           " is not set (set both KAGGLE_USERNAME and KAGGLE_KEY, or neither and "
                           "use kaggle.json)");
  }
  std::string dir = KaggleConfigDir(env);
  std::string path = dir.empty() ? "" : (fs::path(dir) / "kaggle.json").string();
  std::error_code ec;
  if (!path.empty() && fs::exists(path, ec)) return ReadKaggleJson(path);
  ThrowInput(kWhere,
             "none found: put the API token from https://www.kaggle.com/settings "
             "(\"Create New Token\") in " +
                 (path.empty() ? std::string("~/.kaggle/kaggle.json") : path) +
                 " with chmod 600 (or $KAGGLE_CONFIG_DIR/kaggle.json), or set "
                 "KAGGLE_USERNAME and KAGGLE_KEY (in the environment or ./.env)");
}

}  // namespace ctxbench
