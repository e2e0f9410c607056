// Several `strata up` at once on one database, on each backend: every
// migration is applied exactly once, in order, and every process succeeds.
// On PostgreSQL, a migrator waiting for the lock holds no snapshot, which an
// index built CONCURRENTLY would wait for, and gives up at --lock-timeout.
// (index_race_test.cpp races eight of them on such a set, label long.)
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <pqxx/pqxx>

#include "backend_test.hpp"
#include "postgres.hpp"

namespace fs = std::filesystem;
using strata::test::backend;
using strata::test::process_result;
using strata::test::process_spec;
using strata::test::scratch_directory;
using strata::test::test_database;
using strata::test::write_file;
using ::testing::HasSubstr;

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

// The migration lock held by the test's own session, as another migrator
// would hold it, on a database with one pending migration.
class PostgresLockWait : public ::testing::Test {
  protected:
    scratch_directory dir{"strata-e2e-lock-wait"};
    strata::test::postgres_test_database db{"lock_wait"};
    pqxx::connection holder{db.url()};
    pqxx::nontransaction session{holder};
    std::string key = std::to_string(lock_key());
    std::string holder_pid;

    void SetUp() override {
        write_file(dir / "migrations" / "0001_late" / "up.sql",
                   "CREATE TABLE late (id INTEGER PRIMARY KEY);\n");
        write_file(dir / "migrations" / "0001_late" / "down.sql", "DROP TABLE late;\n");
        session.exec("SELECT pg_advisory_lock(" + key + ")");
        holder_pid = session.exec("SELECT pg_backend_pid()")[0][0].c_str();
    }

    // src/postgres_database.cpp's key for the default tracking table in
    // `public`: FNV-1a of "strata:public._strata_migrations".
    static long long lock_key() {
        std::uint64_t hash = 14695981039346656037ull;
        for (unsigned char c : std::string("strata:public._strata_migrations")) {
            hash ^= c;
            hash *= 1099511628211ull;
        }
        return static_cast<long long>(hash);
    }

    process_spec up(const std::vector<std::string>& options = {}) const {
        process_spec spec;
        spec.argv = {STRATA_EXE, "--url", db.url()};
        spec.argv.insert(spec.argv.end(), options.begin(), options.end());
        spec.argv.push_back("up");
        spec.cwd = dir.path();
        spec.env["DATABASE_URL"] = std::nullopt;
        spec.timeout = std::chrono::seconds(60);
        return spec;
    }

    // Until another session of this database has asked for the lock: its
    // statement (the last one, once idle) names the key.
    bool migrator_waiting() const {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (std::chrono::steady_clock::now() < deadline) {
            if (db.query_value("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                               "current_database() AND pid NOT IN (pg_backend_pid(), " +
                               holder_pid + ") AND query LIKE '%advisory_lock(" + key + ")%'") ==
                "1")
                return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return false;
    }
};

// CREATE INDEX CONCURRENTLY waits for every transaction that holds a
// snapshot. A migrator that waited for the lock inside a statement held one,
// and the lock holder's index build deadlocked with it (issue 17).
TEST_F(PostgresLockWait, IndexBuiltConcurrentlyDoesNotWaitForAWaitingMigrator) {
    session.exec(
        "CREATE TABLE indexed (id INTEGER PRIMARY KEY, payload TEXT NOT NULL); "
        "INSERT INTO indexed SELECT g, md5(g::text) FROM generate_series(1, 1000) AS g");
    auto waiting = strata::test::start_processes({up()});
    ASSERT_TRUE(migrator_waiting());
    try {
        session.exec("CREATE INDEX CONCURRENTLY indexed_payload ON indexed (payload)");
    } catch (const pqxx::sql_error& e) {
        ADD_FAILURE() << "the index build failed: " << e.what();
    }
    session.exec("SELECT pg_advisory_unlock(" + key + ")");
    const auto r = waiting[0].wait();
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_THAT(r.out, HasSubstr("applied 0001_late"));
    EXPECT_EQ(db.query_value("SELECT count(*) FROM pg_index WHERE indisvalid AND indexrelid = "
                             "'indexed_payload'::regclass"),
              "1");
}

// The client keeps the deadline: exit 3 once --lock-timeout has passed.
TEST_F(PostgresLockWait, GivesUpAtTheLockTimeout) {
    const auto start = std::chrono::steady_clock::now();
    const auto r = strata::test::run_process(up({"--lock-timeout", "1.5"}));
    const auto waited = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(r.exit_code, 3) << r.describe();
    EXPECT_THAT(r.err, HasSubstr("strata: error: timed out after 1500 ms waiting for another "
                                 "migrator (advisory lock " +
                                 key + ")"));
    EXPECT_GE(waited, std::chrono::milliseconds(1500));
    EXPECT_LT(waited, std::chrono::seconds(10));
    EXPECT_EQ(db.query_value("SELECT count(*) FROM pg_tables WHERE tablename = 'late'"), "0");
}

}  // namespace
