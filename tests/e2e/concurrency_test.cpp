// Several `strata up` at once on one SQLite file: every migration is applied
// exactly once, in order, and every process succeeds.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "process.hpp"

namespace fs = std::filesystem;
using strata::test::process_result;
using strata::test::process_spec;
using strata::test::scratch_directory;
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

class ConcurrencyTest : public ::testing::Test {
  protected:
    scratch_directory dir{"strata-e2e-concurrency"};

    void SetUp() override {
        // Migration 1 creates the log; every migration (1 included) writes its
        // version into it, so a second application shows as a duplicate row
        // (or fails with "table already exists").
        for (int i = 1; i <= migration_count; ++i) {
            const std::string v = version_of(i);
            const fs::path m = dir / "migrations" / (v + "_step" + std::to_string(i));
            std::string up;
            if (i == 1)
                up = "CREATE TABLE applied_log (version TEXT NOT NULL);\n";
            up += "CREATE TABLE t" + v + " (id INTEGER PRIMARY KEY, payload TEXT);\n";
            up += "INSERT INTO t" + v + " (payload) VALUES ('" + v + "');\n";
            up += "INSERT INTO applied_log (version) VALUES ('" + v + "');\n";
            write_file(m / "up.sql", up);
            std::string down = "DELETE FROM applied_log WHERE version = '" + v + "';\n";
            down += "DROP TABLE t" + v + ";\n";
            if (i == 1)
                down += "DROP TABLE applied_log;\n";
            write_file(m / "down.sql", down);
        }
    }

    std::vector<std::string> expected_versions() const {
        std::vector<std::string> v;
        for (int i = 1; i <= migration_count; ++i)
            v.push_back(version_of(i));
        return v;
    }

    std::vector<std::string> column(const fs::path& db, const std::string& sql) const {
        SQLite::Database d(db.string(), SQLite::OPEN_READONLY);
        SQLite::Statement q(d, sql);
        std::vector<std::string> values;
        while (q.executeStep())
            values.push_back(q.getColumn(0).getString());
        return values;
    }

    void run_round(int round) {
        SCOPED_TRACE("round " + std::to_string(round));
        const std::string db_name = "round" + std::to_string(round) + ".db";
        const fs::path db = dir / db_name;
        std::vector<process_spec> specs(process_count);
        for (auto& spec : specs) {
            spec.argv = {STRATA_EXE, "--url", "sqlite:" + db_name, "up"};
            spec.cwd = dir.path();
            spec.env["DATABASE_URL"] = std::nullopt;
            spec.timeout = std::chrono::seconds(60);
        }
        const auto results = strata::test::run_processes(specs);

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

        ASSERT_TRUE(fs::exists(db));
        EXPECT_EQ(column(db, "SELECT version FROM applied_log ORDER BY rowid"), expected_versions())
            << "each migration once, in order";
        EXPECT_EQ(column(db, "SELECT version FROM _strata_migrations ORDER BY version"),
                  expected_versions());
        EXPECT_EQ(column(db, "SELECT count(*) FROM _strata_migrations"),
                  std::vector<std::string>{std::to_string(migration_count)});
        for (int i = 1; i <= migration_count; ++i) {
            const std::string v = version_of(i);
            EXPECT_EQ(column(db, "SELECT payload FROM t" + v), std::vector<std::string>{v});
        }
    }
};

TEST_F(ConcurrencyTest, ParallelUpAppliesEachMigrationOnce) {
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

TEST_F(ConcurrencyTest, ParallelUpOnPartlyMigratedDatabase) {
    // Half applied first, then everybody races for the rest.
    process_spec first;
    first.argv = {STRATA_EXE, "--url", "sqlite:partial.db", "up", "--to", version_of(5)};
    first.cwd = dir.path();
    first.env["DATABASE_URL"] = std::nullopt;
    auto r = strata::test::run_process(first);
    ASSERT_EQ(r.exit_code, 0) << r.describe();

    std::vector<process_spec> specs(process_count);
    for (auto& spec : specs) {
        spec.argv = {STRATA_EXE, "--url", "sqlite:partial.db", "up"};
        spec.cwd = dir.path();
        spec.env["DATABASE_URL"] = std::nullopt;
    }
    int reports = 0;
    for (const auto& result : strata::test::run_processes(specs)) {
        EXPECT_EQ(result.exit_code, 0) << result.describe();
        for (int i = 1; i <= migration_count; ++i)
            if (result.out.find("applied " + version_of(i) + "_") != std::string::npos) {
                EXPECT_GT(i, 5) << result.describe();
                ++reports;
            }
    }
    EXPECT_EQ(reports, 5);
    EXPECT_EQ(column(dir / "partial.db", "SELECT version FROM applied_log ORDER BY rowid"),
              expected_versions());
}

}  // namespace
