// `ctxbench view [RUN_DIR...]`: a local web viewer over run folders, or
// `--bundle DIR`: a static copy of it.
#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <thread>

#include "cli/commands.h"
#include "core/cancel.h"
#include "viewer/bundle.h"
#include "viewer/live_catalog.h"
#include "viewer/run_catalog.h"
#include "viewer/server.h"

namespace ctxbench {

namespace {

void OnViewSignal(int) { Cancellation::Process().Request(); }

}  // namespace

void AddViewCommand(CLI::App& app, int* /*exit_code*/) {
  struct Flags {
    std::vector<std::string> run_dirs;
    std::string host = "127.0.0.1";
    int port = 8765;
    std::string bundle;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* cmd = app.add_subcommand(
      "view",
      "Browse run folders in a local web viewer (runs, grid, episodes, context X-ray of every "
      "model call, compare); read-only");
  cmd->add_option("run_dirs", flags->run_dirs,
                  "Run folders (each holds results.db) or folders of them (default: runs); runs "
                  "created in them later are listed too");
  cmd->add_option("--host", flags->host,
                  "Address to listen on; anything but a loopback address exposes the runs to "
                  "your network")
      ->capture_default_str();
  cmd->add_option("--port", flags->port, "Port to listen on (0: any free port)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  cmd->add_option("--bundle", flags->bundle,
                  "Write a static copy (HTML + data) into this folder instead of serving");
  cmd->callback([flags] {
    if (flags->run_dirs.empty()) flags->run_dirs = {"runs"};
    if (!flags->bundle.empty()) {
      RunCatalog catalog(flags->run_dirs);
      size_t files = WriteBundle(catalog, flags->bundle);
      std::printf("%s/index.html (%zu data files, %zu runs)\n", flags->bundle.c_str(), files,
                  catalog.runs().size());
      return;
    }
    LiveRunCatalog catalog(flags->run_dirs);
    ViewerServer server(catalog);
    int port = server.Bind(flags->host, flags->port);
    std::string host =
        flags->host.find(':') != std::string::npos ? "[" + flags->host + "]" : flags->host;
    std::printf("ctxbench view: serving %zu run(s) at http://%s:%d/ (Ctrl-C stops)\n",
                catalog.Current()->runs().size(), host.c_str(), port);
    std::fflush(stdout);
    std::signal(SIGINT, OnViewSignal);
    std::signal(SIGTERM, OnViewSignal);
    // The Runs and Grid pages aggregate every episode: compute them while the
    // user opens the browser.
    std::thread warm([&server] { server.Warm(); });
    std::thread watcher([&server] {
      while (!Cancellation::Process().WaitFor(3600)) {
      }
      server.Stop();
    });
    server.Serve();
    Cancellation::Process().Request();
    watcher.join();
    warm.join();
  });
}

}  // namespace ctxbench
