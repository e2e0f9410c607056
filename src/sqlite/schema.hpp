// Reading the schema model of a SQLite database.
#pragma once

#include <string>

#include "strata/schema.hpp"
#include "strata/tracking.hpp"

namespace SQLite {
class Database;
}

namespace strata {

// The schema of the `main` database of `db`, through sqlite_schema and the
// pragma table-valued functions. Leaves out `tracking_table` and SQLite's
// internal `sqlite_*` objects.
schema read_sqlite_schema(SQLite::Database& db,
                          const std::string& tracking_table = default_tracking_table);

// A cheap fingerprint of the stored DDL (the text itself): equal fingerprints
// mean equal schemas; different ones need a model comparison, since
// differently spelled DDL can describe one schema.
void sqlite_schema_fingerprint(SQLite::Database& db, std::string& into,
                               const std::string& tracking_table = default_tracking_table);

}  // namespace strata
