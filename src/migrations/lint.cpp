#include "migrations/internal/lint.hpp"

#include <regex>

#include "sql/lexer.hpp"
#include "sql/postgres_statements.hpp"
#include "sql/text.hpp"

namespace strata {

namespace {

bool turns_foreign_keys_off(std::string_view statement) {
    static const std::regex off(
        R"(^\s*PRAGMA\s+(["`\[]?\w+["`\]]?\s*\.\s*)?["`\[]?foreign_keys["`\]]?\s*(=\s*|\(\s*)['"]?(OFF|0|FALSE|NO)['"]?\s*\)?\s*;?\s*$)",
        std::regex::icase);
    const std::string text(
        statement.substr(sql::skip_blank_and_comments(statement, sql::dialect::sqlite)));
    return std::regex_match(text, off);
}

}  // namespace

diagnostics lint_migration(const migration& m) {
    diagnostics found;
    if (!m.run_in_transaction)
        return found;
    const std::string_view sql = m.up.sql;
    for (const auto& span : detail::split_postgres_statements(sql)) {
        if (!turns_foreign_keys_off(sql.substr(span.begin, span.end - span.begin)))
            continue;
        found.push_back(
            {severity::warning,
             "foreign-keys-off",
             {m.up.file, m.up.first_line + lines_before(sql, span.begin)},
             m.version.str(),
             "PRAGMA foreign_keys = OFF does nothing inside the migration's transaction: SQLite "
             "ignores it there, so dropping or recreating a table still cascades deletes or "
             "fails on the rows that reference it; put `-- strata:no-transaction` at the top "
             "of the migration, or use PRAGMA defer_foreign_keys = ON",
             {}});
    }
    return found;
}

}  // namespace strata
