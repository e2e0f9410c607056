// How the CLI prints findings, errors and status.
#pragma once

#include <ostream>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "strata/diagnostic.hpp"
#include "strata/error.hpp"
#include "strata/foreign_history.hpp"
#include "strata/migrator.hpp"

namespace strata::cli {

// An error whose details were already printed (diagnostics); main() only
// prints its one-line summary.
class reported_error : public error {
  public:
    using error::error;
};

// The CLI's exit code for each kind of error (docs/cli.md, "Exit codes").
int exit_code(error_kind kind) noexcept;

// `message` with the way past it that the engine named, worded as the CLI's
// flags: the one place where the engine's remedies become flags.
std::string with_way_out(const std::string& message, remedy way_out);

// "file:line: error: message" / "file: note: message", compiler style.
void print_diagnostics(std::ostream& out, const diagnostics& found);
void print_error(std::ostream& out, const error& e);

// With the histories of other tools found in the database side by side: a
// column per tool, and how to take a history over.
void print_status(std::ostream& out, const std::vector<status_row>& rows,
                  const std::vector<foreign_history>& foreign = {});
nlohmann::json status_json(const std::vector<status_row>& rows,
                           const std::vector<foreign_history>& foreign = {});

// The findings of docs/cli.md: kind, version, file, line (or null), message, and the
// schema changes behind drift and round-trip findings.
nlohmann::json findings_json(const diagnostics& found);

}  // namespace strata::cli
