// Reading the schema model of a PostgreSQL database.
#pragma once

#include <string>

#include <pqxx/transaction_base>

#include "strata/schema.hpp"
#include "strata/tracking.hpp"

namespace strata {

// The schema model of one PostgreSQL schema (namespace) through the system
// catalogs, run on `tx` (any transaction type, including a nontransaction).
// Leaves out `tracking_table` and everything that belongs to an extension.
schema read_postgres_schema(pqxx::transaction_base& tx, const std::string& schema_name = "public",
                            const std::string& tracking_table = default_tracking_table);

}  // namespace strata
