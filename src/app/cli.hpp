#pragma once
#include <string>
#include <vector>

namespace tiptop::app {

// tiptop [serve|migrate|seed] [--help] [--version]; returns the process exit code.
int run_cli(const std::vector<std::string>& args);

}  // namespace tiptop::app
