#include "strata/database.hpp"

#include "sql/text.hpp"
#include "strata/error.hpp"

namespace strata {

void database::backup_to(const std::string& /*file*/) {
    throw error(error_kind::usage,
                "online backups are for SQLite databases; for PostgreSQL use pg_dump");
}

void script_runner::refuse_transaction_control(std::string_view statement,
                                               const source_location& where) {
    const std::string keyword = transaction_control_keyword(statement);
    if (!keyword.empty())
        throw error(error_kind::check,
                    keyword +
                        " inside a migration that runs in a transaction would commit part of it; "
                        "manage transactions yourself with -- strata:no-transaction",
                    where);
}

std::optional<schema> schema_reader::schema_from_scratch(const migration_set& /*migrations*/) {
    return std::nullopt;
}

}  // namespace strata
