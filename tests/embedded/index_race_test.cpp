// Eight instances of an application that migrates at startup through the
// embedded API (index_app.cpp), on a set that builds indexes CONCURRENTLY
// outside a transaction (index_race.hpp): every instance starts, and every
// migration is applied once. Label `long`; STRATA_INDEX_RACE_ROUNDS sets the
// rounds (default 20).
#include <gtest/gtest.h>

#include <chrono>
#include <vector>

#include "index_race.hpp"
#include "postgres.hpp"
#include "process.hpp"

using strata::test::postgres_test_database;
using strata::test::process_spec;
namespace index_race = strata::test::index_race;

namespace {

TEST(EmbeddedIndexBuildRace, InstancesStartingAtOnceApplyEachMigrationOnce) {
    const int rounds = index_race::rounds();
    for (int round = 1; round <= rounds; ++round) {
        postgres_test_database db("embedded_index_race");
        process_spec spec;
        spec.argv = {EMBEDDED_INDEX_APP, db.url()};
        spec.timeout = std::chrono::seconds(120);
        index_race::expect_each_applied_once(
            strata::test::run_processes(std::vector<process_spec>(index_race::process_count, spec)),
            db, round);
        if (HasFailure())
            break;  // one failing round tells enough
    }
}

}  // namespace
