// The portability check of `strata check --backends sqlite,postgres`: one
// migration set, two backends, and where they disagree.
#pragma once

#include <string>

#include "strata/diagnostic.hpp"
#include "strata/migration_set.hpp"
#include "strata/schema.hpp"
#include "strata/scratch.hpp"

namespace strata {

// The class of values a column's type holds, comparable across backends:
// "integer", "text", "real", "blob", "bool" or "timestamp".
std::string type_class(const std::string& backend, const std::string& type);

// "portability" findings: tables that exist on one backend only, and columns
// whose types fall into different classes (a SQLite DATETIME that is text on
// PostgreSQL, a BOOLEAN that is an integer).
diagnostics check_portability(const schema& sqlite, const schema& postgres);

// Every statement of `set` that fails on a fresh scratch database of
// `target`, each run on its own so that one failure does not hide the next:
// "sql-error" findings with the statement's file and line.
diagnostics failing_statements(const migration_set& set, const scratch_target& target);

}  // namespace strata
