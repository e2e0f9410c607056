#include "strata/sqlite/embedded.hpp"

#include <SQLiteCpp/Database.h>

#include "engine/api_boundary.hpp"
#include "engine/compiled_schema.hpp"
#include "sqlite/schema.hpp"
#include "strata/sqlite/database.hpp"

namespace strata {

migrate_report migrate(SQLite::Database& db, const embedded_set& set,
                       const migrate_options& options) {
    sqlite_options sqlite;
    sqlite.tracking_table = options.tracking_table;
    sqlite.busy_timeout = options.lock_timeout;
    return at_api_boundary([&] {
        sqlite_database backend(db, sqlite);
        return migrate(backend, set, options);
    });
}

std::vector<schema_change> check_schema(SQLite::Database& db, const embedded_set& set,
                                        const std::string& tracking_table) {
    return at_api_boundary([&] {
        return compare_with_compiled_in(set, backend_kind::sqlite,
                                        read_sqlite_schema(db, tracking_table));
    });
}

}  // namespace strata
