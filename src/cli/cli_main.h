// The ctxbench command line as a library function, so that another project
// can build its own `ctxbench` with its own context policies: register them
// (context/policy_registry.h) and then call CliMain from main().
//
//   int main(int argc, char** argv) {
//     ctxbench::RegisterPolicy("mine", ...);
//     return ctxbench::CliMain(argc, argv);
//   }
//
// Link target: ctxbench::cli (find_package(ctxbench)). See docs/build.md.
#pragma once

namespace ctxbench {

// Parses argv as the `ctxbench` binary does (run, report, list, ...), runs the
// subcommand and returns the process exit code: 0 on success, 2 for bad
// input (a usage error, an invalid config, an unknown policy type), the
// subcommand's own status otherwise (e.g. 1 when a run did not complete).
// Errors are printed as one line on stderr prefixed "ctxbench: "; nothing
// throws out of it. Call it once per process, from the main thread (the run
// command installs signal handlers).
int CliMain(int argc, char** argv);

}  // namespace ctxbench
