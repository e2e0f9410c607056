// Splitting a PostgreSQL script into statements, as psql does: semicolons
// end statements except inside quotes, dollar quotes, comments and the
// BEGIN ATOMIC ... END body of a SQL-standard function.
#pragma once

#include <string_view>
#include <vector>

#include "sql/statement_span.hpp"

namespace strata::detail {

std::vector<statement_span> split_postgres_statements(std::string_view sql);

}  // namespace strata::detail
