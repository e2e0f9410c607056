// How the CLI prints findings, errors and status.
#pragma once

#include <ostream>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "strata/diagnostic.hpp"
#include "strata/error.hpp"
#include "strata/migrator.hpp"

namespace strata::cli {

// An error whose details were already printed (diagnostics); main() only
// prints its one-line summary.
class reported_error : public error {
  public:
    using error::error;
};

// "file:line: error: message" / "file: note: message", compiler style.
void print_diagnostics(std::ostream& out, const diagnostics& found);
void print_error(std::ostream& out, const error& e);

void print_status(std::ostream& out, const std::vector<status_row>& rows);
nlohmann::json status_json(const std::vector<status_row>& rows);

// SPEC's findings: kind, version, file, line (or null), message, and the
// schema changes behind drift and round-trip findings.
nlohmann::json findings_json(const diagnostics& found);

}  // namespace strata::cli
