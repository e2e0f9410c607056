#include "strata/open_database.hpp"

#include <filesystem>

#include "strata/error.hpp"
#include "strata/sqlite_database.hpp"

namespace strata {

std::unique_ptr<database> open_database(const database_url& url, const open_options& options) {
    if (url.backend == backend_kind::postgres)
        throw error(error_kind::connection,
                    "cannot open '" + redact_url(url.text) +
                        "': this build of strata has no postgres backend yet");
    sqlite_options sqlite;
    sqlite.tracking_table = options.tracking_table;
    sqlite.busy_timeout = options.timeout;
    sqlite.read_only = options.read_only;
    std::error_code ec;
    if (url.memory || (options.read_only && !std::filesystem::exists(url.path, ec)))
        return std::make_unique<sqlite_database>(":memory:", sqlite);
    return std::make_unique<sqlite_database>(url.path, sqlite);
}

}  // namespace strata
