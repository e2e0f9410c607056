// The embedded API promises one exception type, strata::migration_error:
// what its entry points (engine and backends alike) run goes through here.
#pragma once

#include <exception>
#include <string>

#include "strata/error.hpp"

namespace strata {

// `message` with the way past it that the engine named, in the embedded
// API's words: an option of migrate_options, or what migrate() cannot do.
// The one place where the engine's remedies meet the embedded API.
inline std::string with_embedded_way_out(const std::string& message, remedy way_out) {
    switch (way_out) {
        case remedy::ignore_missing:
            return message + ", or set migrate_options::allow_unknown_applied to proceed anyway";
        case remedy::allow_modified:
            return message + "; migrate() never proceeds past a changed applied migration";
        case remedy::resume:
            return message + "; migrate() does not resume a migration, the strata CLI does";
        case remedy::lock_timeout:
            return message + "; set a longer migrate_options::lock_timeout to wait longer";
        case remedy::none:
        case remedy::postgres_server:  // the build's checks only
        case remedy::sequential:
            break;
    }
    return message;
}

// Errors of Strata's own keep their kind and remedy; the database's message
// is only the database's.
[[noreturn]] inline void rethrow_as_migration_error(const error& e) {
    throw migration_error(e.kind(), {}, e.where(), {}, with_embedded_way_out(e.what(), e.remedy()),
                          e.remedy());
}

// Calls `f`, turning whatever it throws into strata::migration_error: the
// drivers' own exceptions (a pqxx::usage_error of a connection that has a
// transaction open, SQLite::Exception) included.
template <typename F>
auto at_api_boundary(F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const migration_error& e) {
        if (e.remedy() == remedy::none)
            throw;
        throw migration_error(e.kind(), e.version(), e.where(), e.database_message(),
                              with_embedded_way_out(e.what(), e.remedy()), e.remedy());
    } catch (const error& e) {
        rethrow_as_migration_error(e);
    } catch (const std::exception& e) {
        throw migration_error(error_kind::connection, {}, {}, e.what(), e.what());
    }
}

}  // namespace strata
