// Several `strata up` at once on one database, on each backend: every
// migration is applied exactly once, in order, and every process succeeds.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "backend_test.hpp"

namespace fs = std::filesystem;
using strata::test::backend;
using strata::test::process_result;
using strata::test::process_spec;
using strata::test::scratch_directory;
using strata::test::test_database;
using strata::test::write_file;

namespace {

constexpr int migration_count = 10;
constexpr int process_count = 8;
constexpr int rounds = 20;

std::string version_of(int i) {
    char text[8];
    std::snprintf(text, sizeof text, "%04d", i);
    return text;
}

// Not a backend_test: every round wants a database of its own.
class ConcurrencyTest : public ::testing::TestWithParam<backend> {
  protected:
    scratch_directory dir{"strata-e2e-concurrency"};

    void SetUp() override {
        // Migration 1 creates the log; every migration (1 included) appends its
        // version to it, numbered in order of application, so a second
        // application shows as a duplicate row (or fails with "table already
        // exists"). The numbering is explicit because PostgreSQL has no rowid.
        for (int i = 1; i <= migration_count; ++i) {
            const std::string v = version_of(i);
            const fs::path m = dir / "migrations" / (v + "_step" + std::to_string(i));
            std::string up;
            if (i == 1)
                up = "CREATE TABLE applied_log (seq INTEGER PRIMARY KEY, version TEXT NOT NULL);\n";
            up += "CREATE TABLE t" + v + " (id INTEGER PRIMARY KEY, payload TEXT);\n";
            up += "INSERT INTO t" + v + " (id, payload) VALUES (1, '" + v + "');\n";
            up += "INSERT INTO applied_log (seq, version) SELECT COALESCE(MAX(seq), 0) + 1, '" + v +
                  "' FROM applied_log;\n";
            write_file(m / "up.sql", up);
            std::string down = "DELETE FROM applied_log WHERE version = '" + v + "';\n";
            down += "DROP TABLE t" + v + ";\n";
            if (i == 1)
                down += "DROP TABLE applied_log;\n";
            write_file(m / "down.sql", down);
        }
    }

    std::unique_ptr<test_database> new_database(const std::string& sqlite_file) const {
        return strata::test::make_test_database(GetParam(), dir.path(), sqlite_file);
    }

    std::vector<std::string> expected_versions() const {
        std::vector<std::string> v;
        for (int i = 1; i <= migration_count; ++i)
            v.push_back(version_of(i));
        return v;
    }

    // `strata --url URL up`, process_count times at once.
    std::vector<process_result> race_up(const test_database& db) const {
        std::vector<process_spec> specs(process_count);
        for (auto& spec : specs) {
            spec.argv = {STRATA_EXE, "--url", db.url(), "up"};
            spec.cwd = dir.path();
            spec.env["DATABASE_URL"] = std::nullopt;
            spec.timeout = std::chrono::seconds(60);
        }
        return strata::test::run_processes(specs);
    }

    void run_round(int round) {
        SCOPED_TRACE("round " + std::to_string(round));
        const auto db = new_database("round" + std::to_string(round) + ".db");
        const auto results = race_up(*db);

        std::vector<int> applied_by(migration_count + 1, 0);
        for (std::size_t p = 0; p < results.size(); ++p) {
            const auto& r = results[p];
            EXPECT_EQ(r.exit_code, 0) << "process " << p << ": " << r.describe();
            for (int i = 1; i <= migration_count; ++i)
                if (r.out.find("applied " + version_of(i) + "_") != std::string::npos)
                    ++applied_by[static_cast<std::size_t>(i)];
        }
        for (int i = 1; i <= migration_count; ++i)
            EXPECT_EQ(applied_by[static_cast<std::size_t>(i)], 1)
                << "processes reporting 'applied " << version_of(i) << "'";

        ASSERT_TRUE(db->exists());
        EXPECT_EQ(db->column("SELECT version FROM applied_log ORDER BY seq"), expected_versions())
            << "each migration once, in order";
        EXPECT_EQ(db->column("SELECT version FROM _strata_migrations ORDER BY version"),
                  expected_versions());
        EXPECT_EQ(db->column("SELECT count(*) FROM _strata_migrations"),
                  std::vector<std::string>{std::to_string(migration_count)});
        for (int i = 1; i <= migration_count; ++i) {
            const std::string v = version_of(i);
            EXPECT_EQ(db->column("SELECT payload FROM t" + v), std::vector<std::string>{v});
        }
    }
};

TEST_P(ConcurrencyTest, ParallelUpAppliesEachMigrationOnce) {
    const auto start = std::chrono::steady_clock::now();
    for (int round = 1; round <= rounds; ++round) {
        run_round(round);
        if (HasFatalFailure() || HasFailure())
            break;  // one failing round tells enough
    }
    const auto elapsed = std::chrono::steady_clock::now() - start;
    RecordProperty(
        "seconds",
        std::to_string(std::chrono::duration_cast<std::chrono::seconds>(elapsed).count()));
}

TEST_P(ConcurrencyTest, ParallelUpOnPartlyMigratedDatabase) {
    const auto db = new_database("partial.db");
    // Half applied first, then everybody races for the rest.
    auto r =
        strata::test::run_strata(dir.path(), {"--url", db->url(), "up", "--to", version_of(5)});
    ASSERT_EQ(r.exit_code, 0) << r.describe();

    int reports = 0;
    for (const auto& result : race_up(*db)) {
        EXPECT_EQ(result.exit_code, 0) << result.describe();
        for (int i = 1; i <= migration_count; ++i)
            if (result.out.find("applied " + version_of(i) + "_") != std::string::npos) {
                EXPECT_GT(i, 5) << result.describe();
                ++reports;
            }
    }
    EXPECT_EQ(reports, 5);
    EXPECT_EQ(db->column("SELECT version FROM applied_log ORDER BY seq"), expected_versions());
}

INSTANTIATE_TEST_SUITE_P(Backends, ConcurrencyTest, ::testing::ValuesIn(strata::test::all_backends),
                         strata::test::backend_name());

}  // namespace
