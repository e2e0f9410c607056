// Migrating a libpqxx connection at startup: the overloads the generated
// `<ns>::migrate(pqxx::connection&)` calls (see strata/embedded.hpp).
#pragma once

#include <string>
#include <vector>

#include <pqxx/connection>

#include "strata/embedded.hpp"

namespace strata {

migrate_report migrate(pqxx::connection& db, const embedded_set& set,
                       const migrate_options& options = {});

// How the live database differs from the schema compiled in (expected ->
// live); empty when it has exactly that schema. The connection's current
// schema (search_path) is the one compared.
std::vector<schema_change> check_schema(pqxx::connection& db, const embedded_set& set,
                                        const std::string& tracking_table = default_tracking_table);

}  // namespace strata
