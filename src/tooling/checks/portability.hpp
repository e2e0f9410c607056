// The portability check of `strata check --backends sqlite,postgres`: one
// migration set, two backends, and where they disagree.
#pragma once

#include <string>

#include "strata/diagnostic.hpp"
#include "strata/migration_set.hpp"
#include "strata/schema.hpp"
#include "tooling/scratch/scratch.hpp"

namespace strata {

// "portability" findings: tables that exist on one backend only, and columns
// whose types fall into different classes (a SQLite DATETIME that is text on
// PostgreSQL, a BOOLEAN that is an integer).
diagnostics check_portability(const schema& sqlite, const schema& postgres);

// What a fresh scratch database of `target` rejects in `set`, one root cause
// per failure: each migration runs statement by statement, outside any
// transaction, up to its first failing statement, and the statements after
// it are counted, not run. A later migration that fails on an object (table,
// column, index, view, type, function, schema, trigger) that an earlier
// failing migration's failed or unchecked statements would have created is
// listed under that root cause ("then:" lines of its message) rather than
// standing on its own. On PostgreSQL, a cause that is a SQLite-only spelling
// gets a "hint:" line with PostgreSQL's form. "sql-error" findings at the
// root's file and line; connection errors are thrown.
diagnostics failing_statements(const migration_set& set, const scratch_target& target);

}  // namespace strata
