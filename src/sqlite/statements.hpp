// Splitting a SQLite script into statements as SQLite's parser does, without
// preparing them: a statement ends at the first semicolon that completes it
// for sqlite3_complete(), so trigger bodies keep their semicolons.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "sql/statement_span.hpp"

namespace strata::detail {

// Where the statement that starts at `start` ends: one past the first
// semicolon that completes it, or the end of `sql`.
std::size_t end_of_sqlite_statement(std::string_view sql, std::size_t start);

// Every statement of `sql`; blanks, comments and empty statements between
// them are left out. A resumed migration's finished statements are skipped
// this way: preparing them could fail on objects its later statements dropped.
std::vector<statement_span> split_sqlite_statements(std::string_view sql);

}  // namespace strata::detail
