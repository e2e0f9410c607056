#include "sqlite/statements.hpp"

#include <sqlite3.h>

#include <string>

#include "sql/lexer.hpp"
#include "sql/text.hpp"

namespace strata::detail {

std::size_t end_of_sqlite_statement(std::string_view sql, std::size_t start) {
    for (auto semicolon = sql.find(';', start); semicolon != std::string_view::npos;
         semicolon = sql.find(';', semicolon + 1))
        if (sqlite3_complete(std::string(sql.substr(start, semicolon + 1 - start)).c_str()))
            return semicolon + 1;
    return sql.size();
}

std::vector<statement_span> split_sqlite_statements(std::string_view sql) {
    std::vector<statement_span> spans;
    for (std::size_t pos = sql::skip_blank_and_comments(sql, sql::dialect::sqlite);
         pos < sql.size(); pos = sql::skip_blank_and_comments(sql, sql::dialect::sqlite, pos)) {
        const std::size_t end = end_of_sqlite_statement(sql, pos);
        if (has_statement(sql.substr(pos, end - pos)))
            spans.push_back({pos, end});
        pos = end;
    }
    return spans;
}

}  // namespace strata::detail
