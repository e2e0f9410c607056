#include "tooling/open_database.hpp"

#include <filesystem>

#include "strata/error.hpp"
#include "strata/postgres/database.hpp"
#include "strata/sqlite/database.hpp"

namespace strata {

std::unique_ptr<database> open_database(const database_url& url, const open_options& options) {
    if (url.backend == backend_kind::postgres) {
        postgres_options postgres;
        postgres.tracking_table = options.tracking_table;
        postgres.schema = options.schema;
        postgres.wait = options.wait;
        return std::make_unique<postgres_database>(url, postgres);
    }
    sqlite_options sqlite;
    sqlite.tracking_table = options.tracking_table;
    sqlite.busy_timeout = options.timeout;
    sqlite.read_only = options.read_only;
    sqlite.synchronous = url.synchronous;
    std::error_code ec;
    if (options.read_only && !url.memory && !std::filesystem::exists(url.path, ec)) {
        // Not created yet: as good as empty, as long as it could be created.
        const auto parent = std::filesystem::absolute(url.path, ec).parent_path();
        if (!std::filesystem::is_directory(parent, ec))
            throw error(error_kind::connection, "cannot open sqlite database '" + url.path +
                                                    "': directory '" + parent.string() +
                                                    "' does not exist");
        return std::make_unique<sqlite_database>(":memory:", sqlite);
    }
    if (url.memory)
        return std::make_unique<sqlite_database>(":memory:", sqlite);
    return std::make_unique<sqlite_database>(url.path, sqlite);
}

}  // namespace strata
