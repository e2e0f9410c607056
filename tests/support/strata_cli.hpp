// Running the real strata binary (STRATA_EXE, set by each test target's
// CMake) from a test: the one way every test starts it.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "process.hpp"

namespace strata::test {

// `strata ARGS...` in `cwd`, with no DATABASE_URL, STRATA_POSTGRES_URL,
// PGPASSWORD or PGPASSFILE from the caller's environment (so it cannot leak
// into a test), and `env` on top: {{"DATABASE_URL", url}} passes a URL.
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

}  // namespace strata::test
