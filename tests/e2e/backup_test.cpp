// `up --backup FILE`: an online copy of a SQLite database taken under the
// migration lock just before the first pending migration is applied; none
// when there is nothing to apply; refused, with the database untouched, when
// the file cannot be written, is the database itself, or the database is on
// PostgreSQL.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "backend_test.hpp"

namespace fs = std::filesystem;
using strata::test::backend;
using strata::test::process_result;
using strata::test::write_file;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

namespace {

class BackupTest : public strata::test::backend_test<> {
  protected:
    BackupTest() : backend_test("strata-e2e-backup") {
        write_file(dir / "migrations" / "0001_users" / "up.sql",
                   "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\n"
                   "INSERT INTO users (id, email) VALUES (1, 'a@example.com');\n");
        write_file(dir / "migrations" / "0001_users" / "down.sql", "DROP TABLE users;\n");
        write_file(dir / "migrations" / "0002_posts" / "up.sql",
                   "CREATE TABLE posts (id INTEGER PRIMARY KEY, body TEXT);\n");
        write_file(dir / "migrations" / "0002_posts" / "down.sql", "DROP TABLE posts;\n");
    }

    // The tables and tracked versions of the SQLite file `file`.
    static std::vector<std::string> column_of(const fs::path& file, const std::string& sql) {
        SQLite::Database copy(file.string(), SQLite::OPEN_READONLY);
        SQLite::Statement q(copy, sql);
        std::vector<std::string> values;
        while (q.executeStep())
            values.push_back(q.getColumn(0).getString());
        return values;
    }
};

TEST_P(BackupTest, CopiesTheDatabaseAsItWasBeforeTheFirstPendingMigration) {
    ASSERT_EQ(db({"up", "--to", "0001"}).exit_code, 0);
    const auto r = db({"up", "--backup", "before.db"});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_THAT(r.out, HasSubstr("backed up the database to before.db"));
    EXPECT_LT(r.out.find("backed up"), r.out.find("applied 0002_posts")) << r.describe();

    const fs::path copy = dir / "before.db";
    ASSERT_TRUE(fs::is_regular_file(copy));
    EXPECT_EQ(column_of(copy, "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name"),
              (std::vector<std::string>{"_strata_migrations", "users"}));
    EXPECT_EQ(column_of(copy, "SELECT version FROM _strata_migrations"),
              std::vector<std::string>{"0001"});
    EXPECT_EQ(column_of(copy, "SELECT email FROM users"),
              std::vector<std::string>{"a@example.com"});
    EXPECT_EQ(database->tables(), (std::vector<std::string>{"posts", "users"}));
}

TEST_P(BackupTest, ReplacesAnEarlierBackup) {
    ASSERT_EQ(db({"up", "--to", "0001", "--backup", "b.db"}).exit_code, 0);
    // Taken under the lock, once the tracking table exists: nothing recorded yet.
    EXPECT_THAT(column_of(dir / "b.db", "SELECT version FROM _strata_migrations"), IsEmpty());
    ASSERT_EQ(db({"up", "--backup", "b.db"}).exit_code, 0);
    EXPECT_EQ(column_of(dir / "b.db", "SELECT version FROM _strata_migrations"),
              std::vector<std::string>{"0001"});
}

TEST_P(BackupTest, NothingToApplyTakesNoBackup) {
    ASSERT_EQ(db({"up"}).exit_code, 0);
    const auto r = db({"up", "--backup", "unneeded.db"});
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_THAT(r.out, HasSubstr("nothing to apply"));
    EXPECT_FALSE(fs::exists(dir / "unneeded.db"));
    const auto dry = db({"up", "--dry-run", "--to", "0001", "--backup", "dry.db"});
    EXPECT_EQ(dry.exit_code, 0) << dry.describe();
    EXPECT_FALSE(fs::exists(dir / "dry.db"));
}

TEST_P(BackupTest, UnwritableFileIsAUsageErrorAndAppliesNothing) {
    ASSERT_EQ(db({"up", "--to", "0001"}).exit_code, 0);
    const std::string before = database->dump();
    const auto r = db({"up", "--backup", "no-such-directory/b.db"});
    EXPECT_EQ(r.exit_code, 2) << r.describe();
    EXPECT_THAT(r.err, HasSubstr("cannot back up to 'no-such-directory/b.db': "
                                 "unable to open database file"));
    EXPECT_THAT(r.out, Not(HasSubstr("applied")));
    EXPECT_EQ(database->dump(), before);
}

// On PostgreSQL there is no online backup to take: refused before anything
// is applied, with the tool that does it.
using PostgresBackupTest = BackupTest;

TEST_P(PostgresBackupTest, IsRefusedBeforeAnythingIsApplied) {
    ASSERT_EQ(db({"up", "--to", "0001"}).exit_code, 0);
    const std::string before = database->dump();
    const auto r = db({"up", "--backup", "b.db"});
    EXPECT_EQ(r.exit_code, 2) << r.describe();
    EXPECT_THAT(r.err,
                HasSubstr("online backups are for SQLite databases; for PostgreSQL use pg_dump"));
    EXPECT_FALSE(fs::exists(dir / "b.db"));
    EXPECT_EQ(database->dump(), before);
}

TEST_P(BackupTest, TheDatabaseItselfIsRefused) {
    ASSERT_EQ(db({"up", "--to", "0001"}).exit_code, 0);
    const std::string before = database->dump();
    const std::string file = database->url().substr(database->url().find(':') + 1);
    const auto r = db({"up", "--backup", file});
    EXPECT_EQ(r.exit_code, 2) << r.describe();
    EXPECT_THAT(r.err, HasSubstr("the backup file " + file + " is the database itself"));
    EXPECT_EQ(database->dump(), before);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, BackupTest, ::testing::Values(backend::sqlite),
                         strata::test::backend_name());
INSTANTIATE_TEST_SUITE_P(Postgres, PostgresBackupTest, ::testing::Values(backend::postgres),
                         strata::test::backend_name());

}  // namespace
