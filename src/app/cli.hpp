#pragma once
#include <string>
#include <vector>

namespace tiptop::app {

// tiptop [serve|migrate|seed|create-admin|create-user] [flags] [--help] [--version], parsed with
// CLI11; returns the process exit code: 0, 1 (the command failed), 2 (usage), 78 (configuration).
int run_cli(const std::vector<std::string>& args);

}  // namespace tiptop::app
