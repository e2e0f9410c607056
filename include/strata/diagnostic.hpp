// Findings about a migration set, collected rather than thrown so that every
// problem of a set can be reported at once: by the reader and by `check`.
#pragma once

#include <string>
#include <vector>

#include "strata/error.hpp"
#include "strata/schema_diff.hpp"

namespace strata {

// Errors fail a check; warnings point at a likely mistake; notes inform.
enum class severity { error, warning, note };

const char* to_string(severity level) noexcept;

struct diagnostic {
    severity level = severity::error;
    std::string kind;  // "layout", "missing-down", "duplicate-version", "directive", ...
    source_location where;
    std::string version;  // empty when the finding is not about one migration
    std::string message;
    std::vector<schema_change>
        changes;  // the schema difference behind a drift or round-trip finding
    strata::remedy remedy = remedy::none;  // a way past it besides fixing it (error.hpp)
};

using diagnostics = std::vector<diagnostic>;

bool has_errors(const diagnostics& found);

// "file:line: message" (line omitted when unknown).
std::string format_location(const source_location& where);

}  // namespace strata
