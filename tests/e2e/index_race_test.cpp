// Eight `strata up` at once on PostgreSQL, on a set that builds indexes
// CONCURRENTLY outside a transaction (index_race.hpp): every process exits
// 0 and every migration is applied once. Label `long`;
// STRATA_INDEX_RACE_ROUNDS sets the rounds (default 20).
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "index_race.hpp"
#include "postgres.hpp"
#include "process.hpp"

namespace fs = std::filesystem;
using strata::test::postgres_test_database;
using strata::test::process_spec;
using strata::test::scratch_directory;
namespace index_race = strata::test::index_race;

namespace {

TEST(IndexBuildRace, ParallelUpAppliesEachMigrationOnce) {
    scratch_directory dir("strata-index-race");
    fs::copy(INDEX_MIGRATIONS, dir / "migrations", fs::copy_options::recursive);
    const int rounds = index_race::rounds();
    for (int round = 1; round <= rounds; ++round) {
        postgres_test_database db("index_race");
        std::vector<process_spec> specs(index_race::process_count);
        for (auto& spec : specs) {
            spec.argv = {STRATA_EXE, "--url", db.url(), "up"};
            spec.cwd = dir.path();
            spec.env["DATABASE_URL"] = std::nullopt;
            spec.timeout = std::chrono::seconds(120);
        }
        index_race::expect_each_applied_once(strata::test::run_processes(specs), db, round);
        if (HasFailure())
            break;  // one failing round tells enough
    }
}

}  // namespace
