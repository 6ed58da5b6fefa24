// Kaggle API credentials: where the official client looks for them, and the
// same refusal of a kaggle.json other users can read.
//
// Error channel: throws ctxbench::Error (kInput) with one line that names the
// places searched or the file at fault; never the key itself.
// Thread safety: pure apart from reading the file `env` points to.
#pragma once

#include <string>

#include "core/env.h"

namespace ctxbench {

struct KaggleCredentials {
  std::string username;
  std::string key;     // secret: never print, log or store it
  std::string source;  // where they came from: "KAGGLE_USERNAME/KAGGLE_KEY" or the kaggle.json path
};

// `env` is GetEnv (core/env.h) outside tests.
// The folder kaggle.json lives in: $KAGGLE_CONFIG_DIR when set, else
// $HOME/.kaggle (empty when neither is set).
std::string KaggleConfigDir(const EnvLookup& env);

// KAGGLE_USERNAME and KAGGLE_KEY when both are set (the official client's
// order: the environment first; a `.env` file the caller loaded counts as
// environment), else <KaggleConfigDir>/kaggle.json ({"username": ..., "key": ...}).
// Throws an input error when neither is there (saying where to put them),
// when only one of the two variables is set, when kaggle.json is malformed,
// or when it is readable by group or others (asking for chmod 600).
KaggleCredentials FindKaggleCredentials(const EnvLookup& env);

}  // namespace ctxbench
