// Likely mistakes in a migration that still runs: warnings, not errors.
#pragma once

#include "strata/diagnostic.hpp"
#include "strata/migration.hpp"

namespace strata {

// Warns about `PRAGMA foreign_keys = OFF` in a migration that runs in a
// transaction, where SQLite ignores it: the table recreation it is meant to
// protect then cascades deletes or fails on the rows referencing the table.
diagnostics lint_migration(const migration& m);

}  // namespace strata
