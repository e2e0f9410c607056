// Running the real strata binary against the PostgreSQL test server.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "postgres.hpp"
#include "process.hpp"

namespace strata::test {

// `strata ARGS...` in `cwd`, with no DATABASE_URL or STRATA_POSTGRES_URL
// from the caller's environment, and `env` on top.
inline process_spec strata_spec(const std::filesystem::path& cwd,
                                const std::vector<std::string>& args,
                                std::map<std::string, std::optional<std::string>> env = {}) {
    process_spec spec;
    spec.argv = {STRATA_EXE};
    spec.argv.insert(spec.argv.end(), args.begin(), args.end());
    spec.cwd = cwd;
    spec.env = {{"DATABASE_URL", std::nullopt},
                {"STRATA_POSTGRES_URL", std::nullopt},
                {"PGPASSWORD", std::nullopt},
                {"PGPASSFILE", std::nullopt}};
    for (auto& [name, value] : env)
        spec.env[name] = std::move(value);
    return spec;
}

inline process_result run_strata(const std::filesystem::path& cwd,
                                 const std::vector<std::string>& args,
                                 std::map<std::string, std::optional<std::string>> env = {}) {
    return run_process(strata_spec(cwd, args, std::move(env)));
}

// Scratch databases of the strata process `pid` still on the test server.
inline std::string scratch_databases_of(int pid) {
    postgres_test_database probe("probe");
    return probe.query_value(
        "SELECT coalesce(string_agg(datname, ' '), '') FROM pg_database WHERE datname LIKE "
        "'strata\\_scratch\\_%\\_" +
        std::to_string(pid) + "\\_%'");
}

}  // namespace strata::test
