// The tiptop executable: everything lives in tiptop_core; this only passes the arguments on.
#include "app/cli.hpp"

int main(int argc, char** argv) { return tiptop::app::run_cli({argv + 1, argv + argc}); }
