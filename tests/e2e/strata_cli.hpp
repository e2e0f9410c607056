// Running the real strata binary (STRATA_EXE, set by CMake) from a test.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "process.hpp"

namespace strata::test {

// `strata ARGS...` in `cwd`, with DATABASE_URL set only when given, so the
// caller's environment cannot leak into a test.
inline process_result run_strata(const std::filesystem::path& cwd,
                                 const std::vector<std::string>& args,
                                 std::optional<std::string> database_url = std::nullopt) {
    process_spec spec;
    spec.argv = {STRATA_EXE};
    spec.argv.insert(spec.argv.end(), args.begin(), args.end());
    spec.cwd = cwd;
    spec.env["DATABASE_URL"] = std::move(database_url);
    return run_process(spec);
}

}  // namespace strata::test
