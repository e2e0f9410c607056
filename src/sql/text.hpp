// Helpers over SQL text built on the lexer: blank scripts, keywords, line
// numbers, and the ASCII case rules of SQL names and keywords.
//
// Comments here are read by SQLite's rules (`/* */` does not nest): a
// migration set is read before the backend it runs on is known. The two read
// alike but for a nested comment (`/* a /* b */ c */`), which PostgreSQL
// skips whole and these end at the first `*/`.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace strata {

// True when `sql` holds at least one statement: something other than
// whitespace, comments and semicolons.
bool has_statement(std::string_view sql);

// The keyword of a statement that ends or starts a transaction (BEGIN,
// START, COMMIT, END, ROLLBACK other than ROLLBACK TO, ABORT), else empty.
// Inside a migration's own transaction such a statement would commit part
// of it behind the migrator's back.
std::string transaction_control_keyword(std::string_view statement);

// The statement's first word in upper case (after blanks and comments).
std::string first_keyword(std::string_view statement);

// 0-based count of line breaks in text[0, offset).
int lines_before(std::string_view text, std::size_t offset);

// `s` without leading and trailing blanks (sql::is_blank).
std::string_view trim(std::string_view s);
std::string_view trim_left(std::string_view s);
std::string_view trim_right(std::string_view s);

// ASCII case mapping and comparison, as SQL applies it to names and keywords.
std::string to_upper(std::string_view s);
std::string to_lower(std::string_view s);
bool iequals(std::string_view a, std::string_view b);

}  // namespace strata
