// Migrating a SQLiteCpp connection at startup: the overloads the generated
// `<ns>::migrate(SQLite::Database&)` calls (see strata/embedded.hpp).
#pragma once

#include <string>
#include <vector>

#include "strata/embedded.hpp"

namespace SQLite {
class Database;
}

namespace strata {

migrate_report migrate(SQLite::Database& db, const embedded_set& set,
                       const migrate_options& options = {});

// How the live database differs from the schema compiled in (expected ->
// live); empty when it has exactly that schema.
std::vector<schema_change> check_schema(SQLite::Database& db, const embedded_set& set,
                                        const std::string& tracking_table = default_tracking_table);

}  // namespace strata
