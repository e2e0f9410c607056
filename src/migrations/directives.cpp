#include "migrations/internal/directives.hpp"

#include "sql/lexer.hpp"
#include "sql/text.hpp"

namespace strata {

namespace {

constexpr std::string_view prefix = "strata:";

}  // namespace

directives read_directives(const script& s, diagnostics& found) {
    directives result;
    std::string_view sql = s.sql;
    const std::size_t leading_end = sql::skip_blank_and_comments(sql, sql::dialect::sqlite);
    std::size_t pos = 0;
    while (pos < leading_end) {
        auto eol = sql.find('\n', pos);
        if (eol == std::string_view::npos || eol > leading_end)
            eol = leading_end;
        std::string_view line = trim(sql.substr(pos, eol - pos));
        if (line.substr(0, 2) == "--") {
            std::string_view body = trim(line.substr(2));
            if (body.substr(0, prefix.size()) == prefix) {
                std::string_view name = trim(body.substr(prefix.size()));
                if (name == "no-transaction") {
                    result.no_transaction = true;
                } else if (name == "irreversible") {
                    result.irreversible = true;
                } else {
                    found.push_back({severity::error,
                                     "directive",
                                     {s.file, s.first_line + lines_before(sql, pos)},
                                     {},
                                     "unknown directive 'strata:" + std::string(name) +
                                         "' (known: strata:no-transaction, strata:irreversible)"});
                }
            }
        }
        pos = eol + 1;
    }
    return result;
}

}  // namespace strata
