// Where a statement of a script lies, as the statement splitters of each
// backend (sql/postgres_statements, sqlite/statements) find it.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "sql/text.hpp"
#include "strata/error.hpp"
#include "strata/migration.hpp"

namespace strata::detail {

struct statement_span {
    std::size_t begin;  // the statement's first character (after blanks and comments)
    std::size_t end;    // one past its terminating semicolon, or the end of the script
};

// Where statement `index` (0-based) of `s`, split into `spans`, begins;
// nullopt when it has fewer.
inline std::optional<source_location> statement_location(const script& s,
                                                         const std::vector<statement_span>& spans,
                                                         int index) {
    if (index < 0 || static_cast<std::size_t>(index) >= spans.size())
        return std::nullopt;
    return source_location{
        s.file, s.first_line + lines_before(s.sql, spans[static_cast<std::size_t>(index)].begin)};
}

}  // namespace strata::detail
