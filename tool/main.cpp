// strata: database migrations inside the C++ build. See README.md.
#include <sqlite3.h>
#include <CLI/CLI.hpp>

#include <iostream>

#include "command_line.hpp"
#include "output.hpp"
#include "strata/error.hpp"
#include "strata/version.hpp"
#include "tooling/scratch/scratch.hpp"

namespace {

using namespace strata::cli;

// The process exit code of a command's outcome, with its message on stderr.
int run_reporting_errors(common_options& common, const chosen_command& command) {
    try {
        read_url_files(common);
        return command();
    } catch (const reported_error& e) {
        std::cerr << "strata: " << with_way_out(e.what(), e.remedy()) << "\n";
        return exit_code(e.kind());
    } catch (const strata::error& e) {
        print_error(std::cerr, e);
        return exit_code(e.kind());
    } catch (const std::exception& e) {
        std::cerr << "strata: internal error: " << e.what() << "\n";
        return 70;  // EX_SOFTWARE: a bug, not a user error
    }
}

}  // namespace

int main(int argc, char** argv) {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    CLI::App app{"strata: database migrations inside the C++ build", "strata"};
    app.require_subcommand(1);
    app.fallthrough();
    app.set_version_flag("--version", "strata " STRATA_VERSION_STRING);

    common_options common;
    chosen_command command;
    add_commands(app, common, command);

    // Before any thread starts: an interrupted check drops its scratch databases.
    strata::drop_scratch_databases_on_signals();
    try {
        app.parse(argc, argv);
    } catch (const CLI::Success& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return exit_code(strata::error_kind::usage);
    }
    return run_reporting_errors(common, command);
}
