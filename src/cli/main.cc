// ctxbench: the command-line front end (cli/cli_main.h; each subcommand lives
// in its own file of src/cli/).
#include "cli/cli_main.h"

int main(int argc, char** argv) { return ctxbench::CliMain(argc, argv); }
