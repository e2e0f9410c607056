// Versions as each tool tells them apart and orders them, through every
// command: diesel's are text compared as text (diesel_migrations'
// file_based_migrations.rs), sqlx's are i64 (sqlx-core's migrate/source.rs),
// dbmate's are the leading digits, ordered by file name (pkg/dbmate/db.go).
// The sets are small copies of what real projects hold: diesel 2.3's
// 18-character versions beside older 14-digit ones, and a folder named
// `2024-03-13_170000_...` whose version is 20240313.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "backend_test.hpp"
#include "postgres.hpp"

namespace fs = std::filesystem;
using strata::test::write_file;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

using strings = std::vector<std::string>;

class VersionOrderTest : public strata::test::backend_test<> {
  protected:
    VersionOrderTest() : backend_test("strata-e2e-version-order") {}

    void diesel(const std::string& folder, const std::string& up, const std::string& down) {
        write_file(dir / "migrations" / folder / "up.sql", up);
        write_file(dir / "migrations" / folder / "down.sql", down);
    }

    void table(const std::string& folder, const std::string& name) {
        diesel(folder, "CREATE TABLE " + name + " (id INTEGER PRIMARY KEY);\n",
               "DROP TABLE " + name + ";\n");
    }

    // A SQLite database that a tool migrated exists before strata sees it.
    void create_sqlite_file() const {
        if (database->kind() == strata::test::backend::sqlite)
            SQLite::Database((dir / "test.db").string(),
                             SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    }

    // "applied"/"pending" and the version of each row of `status`, in its order.
    strings status_rows() const {
        strings rows;
        for (const auto& row : status_json())
            rows.push_back(row.at("status").get<std::string>() + " " +
                           row.at("version").get<std::string>());
        return rows;
    }

    // The migrations `up` (or `down`) printed, in order.
    static strings steps(const std::string& out) {
        strings found;
        std::istringstream lines(out);
        std::string line;
        while (std::getline(lines, line))
            if (line.rfind("applied ", 0) == 0 || line.rfind("reverted ", 0) == 0)
                found.push_back(line.substr(0, line.find(" (")));
        return found;
    }
};

// diesel's order: an 18-character version of 2025 before a 14-digit one of
// 2026, and 20240313 after 20240306170000, whose table it needs.
TEST_P(VersionOrderTest, DieselSetRunsInDieselsTextOrderThroughEveryCommand) {
    table("2026-01-20-162913_y", "y");
    table("2025-11-19-091444-0000_x", "x");
    diesel("2024-03-13_170000_sso_userscascade",
           "CREATE INDEX sso_users_cascade ON sso_users (id);\n",
           "DROP INDEX sso_users_cascade;\n");
    table("2024-03-06-170000_add_sso_users", "sso_users");

    const auto up = db({"up"});
    ASSERT_EQ(up.exit_code, 0) << up.describe();
    EXPECT_EQ(steps(up.out), (strings{"applied 20240306170000_add_sso_users",
                                      "applied 20240313_170000_sso_userscascade",
                                      "applied 202511190914440000_x", "applied 20260120162913_y"}));
    EXPECT_EQ(status_rows(), (strings{"applied 20240306170000", "applied 20240313",
                                      "applied 202511190914440000", "applied 20260120162913"}));
    EXPECT_EQ(db({"status", "--exit-code"}).exit_code, 0);

    // down and redo take the newest in that order, as diesel's revert takes
    // the greatest version (text) it recorded.
    const auto redo = db({"redo"});
    ASSERT_EQ(redo.exit_code, 0) << redo.describe();
    EXPECT_EQ(steps(redo.out), (strings{"reverted 20260120162913_y", "applied 20260120162913_y"}));
    const auto down = db({"down", "--to", "2024-03-13"});
    ASSERT_EQ(down.exit_code, 0) << down.describe();
    EXPECT_EQ(steps(down.out),
              (strings{"reverted 20260120162913_y", "reverted 202511190914440000_x"}));
    EXPECT_TRUE(database->has_index("sso_users_cascade"));

    // A new migration follows the newest in that order (numbers would put the
    // 18-digit version last and refuse: "the latest version lies in the future").
    const auto created = strata({"new", "next"});
    ASSERT_EQ(created.exit_code, 0) << created.describe();
    const auto rows = status_rows();
    ASSERT_EQ(rows.size(), 5u);
    ASSERT_EQ(rows.back().substr(0, 8), "pending ") << rows.back();
    EXPECT_GT(rows.back().substr(8), "20260120162913") << rows.back();
}

// diesel: `01` and `1` are two versions; `10` sorts before `2`.
TEST_P(VersionOrderTest, DieselTellsLeadingZerosApart) {
    table("1_b", "b");
    table("01_a", "a");
    table("2_d", "d");
    table("10_c", "c");
    const auto up = db({"up"});
    ASSERT_EQ(up.exit_code, 0) << up.describe();
    EXPECT_EQ(steps(up.out),
              (strings{"applied 01_a", "applied 1_b", "applied 10_c", "applied 2_d"}));
    const auto down = db({"down", "--to", "01"});
    ASSERT_EQ(down.exit_code, 0) << down.describe();
    EXPECT_EQ(steps(down.out), (strings{"reverted 2_d", "reverted 10_c", "reverted 1_b"}));
    EXPECT_EQ(database->tables(), strings{"a"});
}

// sqlx: `01` is `1`, and `--to` names it either way; `2` before `10`.
TEST_P(VersionOrderTest, SqlxVersionsAreNumbersThroughDownAndRedo) {
    for (const char* name : {"01_a", "2_b", "10_c"}) {
        write_file(dir / "migrations" / (std::string(name) + ".up.sql"),
                   "CREATE TABLE t" + std::string(name) + " (id INTEGER);\n");
        write_file(dir / "migrations" / (std::string(name) + ".down.sql"),
                   "DROP TABLE t" + std::string(name) + ";\n");
    }
    const auto up = db({"up"});
    ASSERT_EQ(up.exit_code, 0) << up.describe();
    EXPECT_EQ(steps(up.out), (strings{"applied 01_a", "applied 2_b", "applied 10_c"}));
    const auto redo = db({"redo"});
    ASSERT_EQ(redo.exit_code, 0) << redo.describe();
    EXPECT_EQ(steps(redo.out), (strings{"reverted 10_c", "applied 10_c"}));
    const auto down = db({"down", "--to", "1"});
    ASSERT_EQ(down.exit_code, 0) << down.describe();
    EXPECT_EQ(steps(down.out), (strings{"reverted 10_c", "reverted 2_b"}));
    EXPECT_EQ(database->tables(), strings{"t01_a"});
}

// `--to 0` is the start of the history, unless a migration has version 0
// (sqlx counts from 0): then that migration stays.
TEST_P(VersionOrderTest, DownToZeroKeepsAVersionZeroMigration) {
    for (const char* name : {"0000_a", "0001_b", "0002_c"}) {
        write_file(dir / "migrations" / (std::string(name) + ".up.sql"),
                   "CREATE TABLE t" + std::string(name) + " (id INTEGER);\n");
        write_file(dir / "migrations" / (std::string(name) + ".down.sql"),
                   "DROP TABLE t" + std::string(name) + ";\n");
    }
    ASSERT_EQ(db({"up"}).exit_code, 0);
    const auto down = db({"down", "--to", "0"});
    ASSERT_EQ(down.exit_code, 0) << down.describe();
    EXPECT_EQ(steps(down.out), (strings{"reverted 0002_c", "reverted 0001_b"}));
    EXPECT_EQ(database->tables(), strings{"t0000_a"});
}

// sqlx: `01` is `1`, one version twice.
TEST_P(VersionOrderTest, SqlxLeadingZerosMakeOneVersion) {
    write_file(dir / "migrations/01_a.sql", "CREATE TABLE a (id INTEGER);\n");
    write_file(dir / "migrations/1_b.sql", "CREATE TABLE b (id INTEGER);\n");
    const auto up = db({"up"});
    EXPECT_EQ(up.exit_code, 1) << up.describe();
    EXPECT_THAT(up.err, HasSubstr("duplicate version 1: also used by migrations/01_a.sql"));
    EXPECT_FALSE(database->exists());
}

// dbmate: files in name order, so `10_c.sql` runs before `1_b.sql`, and
// `down` takes the last applied file in that order.
TEST_P(VersionOrderTest, DbmateRunsInFileNameOrder) {
    for (const char* name : {"1_b", "01_a", "10_c"})
        write_file(dir / "migrations" / (std::string(name) + ".sql"),
                   "-- migrate:up\nCREATE TABLE t" + std::string(name) +
                       " (id INTEGER);\n-- migrate:down\nDROP TABLE t" + name + ";\n");
    const auto up = db({"up"});
    ASSERT_EQ(up.exit_code, 0) << up.describe();
    EXPECT_EQ(steps(up.out), (strings{"applied 01_a", "applied 10_c", "applied 1_b"}));
    EXPECT_EQ(status_rows(), (strings{"applied 01", "applied 10", "applied 1"}));
    const auto redo = db({"redo"});
    ASSERT_EQ(redo.exit_code, 0) << redo.describe();
    EXPECT_EQ(steps(redo.out), (strings{"reverted 1_b", "applied 1_b"}));
    const auto down = db({"down", "--to", "01"});
    ASSERT_EQ(down.exit_code, 0) << down.describe();
    EXPECT_EQ(steps(down.out), (strings{"reverted 1_b", "reverted 10_c"}));
    EXPECT_EQ(database->tables(), strings{"t01_a"});
    // The set counts, and `2_next.sql` sorts after `1_b.sql` by name: `new`
    // writes it, and it comes last (unit tests: after `9_x.sql`, it refuses).
    const auto created = strata({"new", "next"});
    ASSERT_EQ(created.exit_code, 0) << created.describe();
    EXPECT_THAT(created.out, HasSubstr("migrations/2_next.sql"));
    EXPECT_EQ(status_rows().back(), "pending 2");
}

// adopt matches dbmate's recorded versions as text: `01` and `1` are two.
TEST_P(VersionOrderTest, AdoptingDbmatesHistoryMatchesItsVersionsAsText) {
    for (const char* name : {"1_b", "01_a", "10_c"})
        write_file(dir / "migrations" / (std::string(name) + ".sql"),
                   "-- migrate:up\nCREATE TABLE t" + std::string(name) +
                       " (id INTEGER PRIMARY KEY);\n-- migrate:down\nDROP TABLE t" + name + ";\n");
    create_sqlite_file();
    database->exec("CREATE TABLE schema_migrations (version VARCHAR(128) PRIMARY KEY NOT NULL)");
    for (const char* name : {"t01_a", "t10_c", "t1_b"})
        database->exec("CREATE TABLE " + std::string(name) + " (id INTEGER PRIMARY KEY)");
    for (const char* version : {"01", "10", "1"})
        database->exec("INSERT INTO schema_migrations (version) VALUES ('" + std::string(version) +
                       "')");
    std::vector<std::string> args = {"adopt", "--from", "dbmate"};
    if (database->kind() == strata::test::backend::postgres)
        args.insert(args.begin(), {"--postgres-url", strata::test::postgres_server_url()});
    const auto adopt = db(args);
    ASSERT_EQ(adopt.exit_code, 0) << adopt.describe();
    EXPECT_THAT(adopt.out, HasSubstr("adopted 3 migration(s) from dbmate"));
    EXPECT_EQ(status_rows(), (strings{"applied 01", "applied 10", "applied 1"}));
}

// A database that an earlier Strata migrated in numeric order (18 digits
// last) keeps working: its rows name the same versions, nothing runs again,
// and status lists diesel's order.
TEST_P(VersionOrderTest, DatabaseMigratedInTheOldNumericOrderKeepsWorking) {
    table("2025-11-19-091444-0000_x", "x");
    table("2026-01-20-162913_y", "y");
    table("2026-02-01-000000_z", "z");
    // The tracking table as Strata makes it, from a set with nothing to apply.
    fs::create_directories(dir / "empty");
    ASSERT_EQ(db({"--dir", "empty", "up"}).exit_code, 0);
    std::map<std::string, std::string> checksum;
    for (const auto& row : status_json())
        checksum[row.at("version")] = row.at("checksum");
    int second = 0;
    for (const auto& [version, name] : std::vector<std::pair<std::string, std::string>>{
             {"20260120162913", "y"}, {"20260201000000", "z"}, {"202511190914440000", "x"}}) {
        database->exec("CREATE TABLE " + name + " (id INTEGER PRIMARY KEY)");
        database->exec(
            "INSERT INTO _strata_migrations (version, name, checksum, applied_at, "
            "execution_ms) VALUES ('" +
            version + "', '" + name + "', '" + checksum[version] + "', '2025-12-01T00:00:0" +
            std::to_string(second++) + ".000Z', 1)");
    }
    const auto before = database->dump();

    EXPECT_EQ(status_rows(), (strings{"applied 202511190914440000", "applied 20260120162913",
                                      "applied 20260201000000"}));
    EXPECT_EQ(db({"status", "--exit-code"}).exit_code, 0);
    const auto up = db({"up"});
    EXPECT_EQ(up.exit_code, 0) << up.describe();
    EXPECT_THAT(up.out, HasSubstr("nothing to apply"));
    EXPECT_EQ(database->dump(), before);
    const auto down = db({"down"});
    ASSERT_EQ(down.exit_code, 0) << down.describe();
    EXPECT_EQ(steps(down.out), (strings{"reverted 20260201000000_z"}));
}

// adopt matches diesel's recorded versions as text: its 18-character and
// 8-character versions are the folders', and `1` is not `01`.
TEST_P(VersionOrderTest, AdoptingDieselsHistoryMatchesItsVersionsAsText) {
    table("2025-11-19-091444-0000_x", "x");
    table("2026-01-20-162913_y", "y");
    table("01_a", "a");
    table("1_b", "b");
    create_sqlite_file();
    database->exec(
        "CREATE TABLE __diesel_schema_migrations (version VARCHAR(50) PRIMARY KEY NOT "
        "NULL, run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)");
    for (const char* table_name : {"x", "y", "a", "b"})
        database->exec("CREATE TABLE " + std::string(table_name) + " (id INTEGER PRIMARY KEY)");
    for (const char* version : {"01", "1", "202511190914440000", "20260120162913"})
        database->exec("INSERT INTO __diesel_schema_migrations (version) VALUES ('" +
                       std::string(version) + "')");
    std::vector<std::string> args = {"adopt", "--from", "diesel"};
    if (database->kind() == strata::test::backend::postgres)
        args.insert(args.begin(), {"--postgres-url", strata::test::postgres_server_url()});
    const auto adopt = db(args);
    ASSERT_EQ(adopt.exit_code, 0) << adopt.describe();
    EXPECT_THAT(adopt.out, HasSubstr("adopted 4 migration(s) from diesel"));
    EXPECT_EQ(status_rows(), (strings{"applied 01", "applied 1", "applied 202511190914440000",
                                      "applied 20260120162913"}));
}

INSTANTIATE_TEST_SUITE_P(Backends, VersionOrderTest,
                         ::testing::ValuesIn(strata::test::all_backends),
                         strata::test::backend_name());

}  // namespace
