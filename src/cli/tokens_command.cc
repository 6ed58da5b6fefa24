// `ctxbench tokens`: counts (and optionally lists) the tokens of a file or of
// stdin with an exact encoding, so users and scripts can check counts.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <iterator>
#include <string>

#include "cli/commands.h"
#include "core/error.h"
#include "llm/tokenizer/encoding_cache.h"

namespace ctxbench {
namespace {

struct TokensOptions {
  std::string encoding = "o200k_base";
  std::string input = "-";
  bool ids = false;
};

std::string ReadInput(const std::string& input) {
  if (input == "-") {
    std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    if (std::cin.bad()) ThrowInput("stdin", "cannot read");
    return text;
  }
  std::FILE* file = std::fopen(input.c_str(), "rb");
  if (file == nullptr) ThrowInput(input, "cannot open; check the path");
  std::string text;
  char buffer[1 << 16];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), file)) > 0) text.append(buffer, n);
  bool failed = std::ferror(file) != 0;
  std::fclose(file);
  if (failed) ThrowInput(input, "cannot read");
  return text;
}

void RunTokens(const TokensOptions& options) {
  auto encoding = LoadEncoding(options.encoding);
  std::string text = ReadInput(options.input);
  std::vector<Rank> ids = encoding->Encode(text);
  std::string out = std::to_string(ids.size()) + "\n";
  if (options.ids) {
    for (size_t i = 0; i < ids.size(); ++i) {
      if (i > 0) out += ' ';
      out += std::to_string(ids[i]);
    }
    out += '\n';
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
}

}  // namespace

void AddTokensCommand(CLI::App& app, int* /*exit_code*/) {
  auto options = std::make_shared<TokensOptions>();
  CLI::App* cmd = app.add_subcommand(
      "tokens",
      "Count the tokens of FILE (or stdin) as OpenAI models see it; special-token text "
      "counts as plain text. Prints the count, then with --ids the token ids on one line.");
  cmd->add_option("--encoding", options->encoding, "cl100k_base or o200k_base")
      ->capture_default_str();
  cmd->add_flag("--ids", options->ids, "also print the token ids, space-separated");
  cmd->add_option("file", options->input, "a file to read, or - for stdin")->capture_default_str();
  cmd->callback([options] { RunTokens(*options); });
}

}  // namespace ctxbench
