// Splitting a PostgreSQL script into statements, as psql does: semicolons
// end statements except inside quotes, dollar quotes, comments and the
// BEGIN ATOMIC ... END body of a SQL-standard function.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace strata::detail {

struct statement_span {
    std::size_t begin;  // the statement's first character (after blanks and comments)
    std::size_t end;    // one past its terminating semicolon, or the end of the script
};

std::vector<statement_span> split_postgres_statements(std::string_view sql);

}  // namespace strata::detail
