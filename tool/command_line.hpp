// The command line of `strata`: its options and subcommands, as CLI11
// registers them. One add_*_command function per subcommand.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

#include "commands.hpp"

namespace strata::cli {

// What the subcommand named on the command line runs; set by its callback
// while the command line is parsed.
using chosen_command = std::function<int()>;

// The options every subcommand takes, then each subcommand with its own.
void add_commands(CLI::App& app, common_options& common, chosen_command& chosen);

}  // namespace strata::cli
