// The embedded API promises one exception type, strata::migration_error:
// what its entry points (engine and backends alike) run goes through here.
#pragma once

#include <exception>

#include "strata/error.hpp"

namespace strata {

// Errors of Strata's own keep their kind; the database's message is only the
// database's.
[[noreturn]] inline void rethrow_as_migration_error(const error& e) {
    throw migration_error(e.kind(), {}, e.where(), {}, e.what());
}

// Calls `f`, turning whatever it throws into strata::migration_error: the
// drivers' own exceptions (a pqxx::usage_error of a connection that has a
// transaction open, SQLite::Exception) included.
template <typename F>
auto at_api_boundary(F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const migration_error&) {
        throw;
    } catch (const error& e) {
        rethrow_as_migration_error(e);
    } catch (const std::exception& e) {
        throw migration_error(error_kind::connection, {}, {}, e.what(), e.what());
    }
}

}  // namespace strata
