// What the strata binary left on the PostgreSQL test server.
#pragma once

#include <string>

#include "postgres.hpp"

namespace strata::test {

// Scratch databases of the strata process `pid` still on the test server.
inline std::string scratch_databases_of(int pid) {
    postgres_test_database probe("probe");
    return probe.query_value(
        "SELECT coalesce(string_agg(datname, ' '), '') FROM pg_database WHERE datname LIKE "
        "'strata\\_scratch\\_%\\_" +
        std::to_string(pid) + "\\_%'");
}

}  // namespace strata::test
