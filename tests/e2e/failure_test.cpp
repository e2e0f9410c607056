// A migration failing part way: the exit code, the file:line of the failing
// statement with the database's own message, and a database left exactly as
// before, on each backend.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "backend_test.hpp"

using strata::test::write_file;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

class FailureTest : public strata::test::backend_test<> {
  protected:
    FailureTest() : backend_test("strata-e2e-failure") {}

    bool has_table(const std::string& name) const { return database->has_table(name); }
    std::string dump() const { return database->dump(); }

    // The error for the fixtures' table that nobody created.
    std::string no_such_table_nope() const {
        return database->per_backend("no such table: nope",
                                     "relation \"nope\" does not exist (SQLSTATE 42P01)");
    }

    // 0001_base, applied: the database the failing migration meets.
    void apply_base(const std::string& layout = "diesel") {
        if (layout == "diesel") {
            write_file(dir / "migrations/0001_base/up.sql",
                       "CREATE TABLE base (id INTEGER PRIMARY KEY, label TEXT);\n"
                       "INSERT INTO base (id, label) VALUES (1, 'first');\n");
            write_file(dir / "migrations/0001_base/down.sql", "DROP TABLE base;\n");
        } else if (layout == "sqlx") {
            write_file(dir / "migrations/0001_base.up.sql",
                       "CREATE TABLE base (id INTEGER PRIMARY KEY, label TEXT);\n"
                       "INSERT INTO base (id, label) VALUES (1, 'first');\n");
            write_file(dir / "migrations/0001_base.down.sql", "DROP TABLE base;\n");
        } else {
            write_file(dir / "db/0001_base.sql",
                       "-- migrate:up\n"
                       "CREATE TABLE base (id INTEGER PRIMARY KEY, label TEXT);\n"
                       "INSERT INTO base (id, label) VALUES (1, 'first');\n"
                       "\n"
                       "-- migrate:down\n"
                       "DROP TABLE base;\n");
        }
        std::vector<std::string> args = {"up"};
        if (layout == "dbmate")
            args = {"--dir", "db", "up"};
        auto r = db(args);
        ASSERT_EQ(r.exit_code, 0) << r.describe();
        ASSERT_TRUE(has_table("base"));
    }
};

// Statement 1 changes existing data, statement 2 creates a table, statement 3
// (line 7) refers to a table that does not exist.
const char* const third_statement_fails =
    "-- touch existing data, create a table, then a mistake\n"  // 1
    "UPDATE base\n"                                             // 2
    "   SET label = 'changed';\n"                               // 3
    "CREATE TABLE one (\n"                                      // 4
    "    id INTEGER\n"                                          // 5
    ");\n"                                                      // 6
    "INSERT INTO nope (id) VALUES (1);\n"                       // 7
    "CREATE TABLE never (id INTEGER);\n";                       // 8

// Statements 1 and 2 create tables; statement 3 starts on line 7 and fails.
const char* const third_statement_missing_table =
    "-- create two tables, then insert into a table nobody created\n"  // 1
    "CREATE TABLE one (id INTEGER);\n"                                 // 2
    "\n"                                                               // 3
    "CREATE TABLE two (\n"                                             // 4
    "    id INTEGER\n"                                                 // 5
    ");\n"                                                             // 6
    "INSERT INTO nope (id) VALUES (1);\n"                              // 7
    "CREATE TABLE never (id INTEGER);\n";                              // 8

TEST_P(FailureTest, ThirdStatementMissingTableLeavesDatabaseUntouched) {
    apply_base();
    write_file(dir / "migrations/0002_broken/up.sql", third_statement_missing_table);
    write_file(dir / "migrations/0002_broken/down.sql", "DROP TABLE two;\nDROP TABLE one;\n");
    const std::string before = dump();

    auto r = db({"up"});
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_THAT(r.err, HasSubstr("migrations/0002_broken/up.sql:7:")) << r.describe();
    EXPECT_THAT(r.err, HasSubstr(no_such_table_nope())) << r.describe();
    EXPECT_THAT(r.all_output(), Not(HasSubstr("applied 0002"))) << r.describe();
    EXPECT_EQ(dump(), before);
    EXPECT_EQ(status_of("0002"), "pending");

    // Nothing of the failed run is left over: the fixed file applies cleanly.
    write_file(dir / "migrations/0002_broken/up.sql",
               "CREATE TABLE one (id INTEGER);\nCREATE TABLE two (id INTEGER);\n");
    auto fixed = db({"up"});
    EXPECT_EQ(fixed.exit_code, 0) << fixed.describe();
    EXPECT_TRUE(has_table("one"));
    EXPECT_EQ(status_of("0002"), "applied");
}

TEST_P(FailureTest, ThirdStatementFailingAfterDataChangeRollsBackTheData) {
    apply_base();
    write_file(dir / "migrations/0002_broken/up.sql", third_statement_fails);
    write_file(dir / "migrations/0002_broken/down.sql", "DROP TABLE one;\n");
    const std::string before = dump();

    auto r = db({"up"});
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_THAT(r.err, HasSubstr("migrations/0002_broken/up.sql:7:")) << r.describe();
    EXPECT_THAT(r.err, HasSubstr(no_such_table_nope())) << r.describe();
    EXPECT_EQ(dump(), before);
    EXPECT_EQ(status_of("0002"), "pending");
}

TEST_P(FailureTest, ThirdStatementSyntaxError) {
    apply_base();
    write_file(dir / "migrations/0002_broken/up.sql",
               "CREATE TABLE one (id INTEGER);\n"      // 1
               "CREATE TABLE two (id INTEGER);\n"      // 2
               "\n"                                    // 3
               "/* the third statement is wrong */\n"  // 4
               "\n"                                    // 5
               "-- really wrong\n"                     // 6
               "INSERT INTO one VALUES (1,);\n");      // 7
    write_file(dir / "migrations/0002_broken/down.sql", "DROP TABLE two;\nDROP TABLE one;\n");
    const std::string before = dump();

    auto r = db({"up"});
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_THAT(r.err, HasSubstr("migrations/0002_broken/up.sql:7:")) << r.describe();
    EXPECT_THAT(r.err,
                HasSubstr(database->per_backend("near \")\": syntax error",
                                                "syntax error at or near \")\" (SQLSTATE 42601)")))
        << r.describe();
    EXPECT_EQ(dump(), before);
    EXPECT_EQ(status_of("0002"), "pending");
}

TEST_P(FailureTest, LineCountsCrlfFiles) {
    apply_base();
    write_file(dir / "migrations/0002_broken/up.sql",
               "-- windows line endings\r\n"         // 1
               "CREATE TABLE one (id INTEGER);\r\n"  // 2
               "\r\n"                                // 3
               "CREATE TABLE two (\r\n"              // 4
               "    id INTEGER\r\n"                  // 5
               ");\r\n"                              // 6
               "INSERT INTO nope VALUES (1);\r\n");  // 7
    write_file(dir / "migrations/0002_broken/down.sql", "DROP TABLE two;\r\nDROP TABLE one;\r\n");
    const std::string before = dump();

    auto r = db({"up"});
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_THAT(r.err, HasSubstr("migrations/0002_broken/up.sql:7:")) << r.describe();
    EXPECT_THAT(r.err, HasSubstr(no_such_table_nope())) << r.describe();
    EXPECT_EQ(dump(), before);
}

// What ends a statement is the backend's: SQLite's trigger bodies run to END,
// PostgreSQL's function bodies are dollar-quoted.
TEST_P(FailureTest, SemicolonsInsideStringsTriggersAndComments) {
    apply_base();
    write_file(
        dir / "migrations/0002_broken/up.sql",
        database->per_backend(
            "CREATE TABLE one (id INTEGER, s TEXT DEFAULT 'x;\n"                              // 1
            "y');\n"                                                                          // 2
            "CREATE TRIGGER one_t AFTER INSERT ON one BEGIN\n"                                // 3
            "  UPDATE one SET s = 'z;' WHERE id = NEW.id; -- note; semicolon\n"               // 4
            "END;\n"                                                                          // 5
            "/* block ; comment\n"                                                            // 6
            "*/ INSERT INTO nope VALUES (1);\n",                                              // 7
            "CREATE TABLE one (id INTEGER, s TEXT DEFAULT 'x;\n"                              // 1
            "y');\n"                                                                          // 2
            "CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN\n"                               // 3
            "  UPDATE one SET s = 'z;' WHERE id = NEW.id; RETURN NEW; -- note; semicolon\n"   // 4
            "END $$ LANGUAGE plpgsql;\n"                                                      // 5
            "CREATE TRIGGER t AFTER INSERT ON one FOR EACH ROW EXECUTE FUNCTION f(); /* ;\n"  // 6
            "*/ INSERT INTO nope VALUES (1);\n"));                                            // 7
    write_file(dir / "migrations/0002_broken/down.sql", "DROP TABLE one;\n");
    const std::string before = dump();

    auto r = db({"up"});
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_THAT(r.err, HasSubstr("migrations/0002_broken/up.sql:7:")) << r.describe();
    EXPECT_THAT(r.err, HasSubstr(no_such_table_nope())) << r.describe();
    EXPECT_EQ(dump(), before);
}

TEST_P(FailureTest, SqlxFile) {
    apply_base("sqlx");
    write_file(dir / "migrations/0002_broken.up.sql", third_statement_missing_table);
    write_file(dir / "migrations/0002_broken.down.sql", "DROP TABLE two;\nDROP TABLE one;\n");
    const std::string before = dump();

    auto r = db({"up"});
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_THAT(r.err, HasSubstr("migrations/0002_broken.up.sql:7:")) << r.describe();
    EXPECT_THAT(r.err, HasSubstr(no_such_table_nope())) << r.describe();
    EXPECT_EQ(dump(), before);
}

TEST_P(FailureTest, DbmateLineCountsFromTheTopOfTheFile) {
    apply_base("dbmate");
    write_file(dir / "db/0002_broken.sql",
               "-- a migration in dbmate's format\n"  // 1
               "\n"                                   // 2
               "-- migrate:up\n"                      // 3
               "CREATE TABLE one (id INTEGER);\n"     // 4
               "CREATE TABLE two (id INTEGER);\n"     // 5
               "\n"                                   // 6
               "INSERT INTO nope VALUES (1);\n"       // 7
               "\n"                                   // 8
               "-- migrate:down\n"                    // 9
               "DROP TABLE two;\n"                    // 10
               "DROP TABLE one;\n");                  // 11
    const std::string before = dump();

    auto r = db({"--dir", "db", "up"});
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_THAT(r.err, HasSubstr("db/0002_broken.sql:7:")) << r.describe();
    EXPECT_THAT(r.err, HasSubstr(no_such_table_nope())) << r.describe();
    EXPECT_EQ(dump(), before);
}

TEST_P(FailureTest, DbmateDownSectionLineCountsFromTheTopOfTheFile) {
    write_file(dir / "db/0001_pair.sql",
               "-- migrate:up\n"                   // 1
               "CREATE TABLE one (id INTEGER);\n"  // 2
               "CREATE TABLE two (id INTEGER);\n"  // 3
               "\n"                                // 4
               "-- migrate:down\n"                 // 5
               "DROP TABLE two;\n"                 // 6
               "DROP TABLE one;\n"                 // 7
               "\n"                                // 8
               "DROP TABLE nope;\n");              // 9
    auto up = db({"--dir", "db", "up"});
    ASSERT_EQ(up.exit_code, 0) << up.describe();
    const std::string before = dump();

    auto r = db({"--dir", "db", "down"});
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_THAT(r.err, HasSubstr("db/0001_pair.sql:9:")) << r.describe();
    EXPECT_THAT(r.err,
                HasSubstr(database->per_backend("no such table: nope",
                                                "table \"nope\" does not exist (SQLSTATE 42P01)")))
        << r.describe();
    EXPECT_EQ(dump(), before);
}

TEST_P(FailureTest, DieselDownScriptFailure) {
    apply_base();
    write_file(dir / "migrations/0002_pair/up.sql",
               "CREATE TABLE one (id INTEGER);\nCREATE TABLE two (id INTEGER);\n");
    write_file(dir / "migrations/0002_pair/down.sql",
               "DROP TABLE two;\n"  // 1
               "DROP TABLE one;\n"  // 2
               "DELETE FROM\n"      // 3
               "  nope;\n");        // 4
    ASSERT_EQ(db({"up"}).exit_code, 0);
    const std::string before = dump();

    auto r = db({"down"});
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    // PostgreSQL's error position is the table's name, on the statement's second line.
    EXPECT_THAT(r.err, HasSubstr(database->per_backend("migrations/0002_pair/down.sql:3:",
                                                       "migrations/0002_pair/down.sql:4:")))
        << r.describe();
    EXPECT_THAT(r.err, HasSubstr(no_such_table_nope())) << r.describe();
    EXPECT_EQ(dump(), before);
    EXPECT_EQ(status_of("0002"), "applied");
}

TEST_P(FailureTest, EarlierMigrationsOfTheRunStayApplied) {
    apply_base();
    write_file(dir / "migrations/0002_good/up.sql", "CREATE TABLE good (id INTEGER);\n");
    write_file(dir / "migrations/0002_good/down.sql", "DROP TABLE good;\n");
    write_file(dir / "migrations/0003_broken/up.sql", third_statement_missing_table);
    write_file(dir / "migrations/0003_broken/down.sql", "DROP TABLE two;\nDROP TABLE one;\n");

    auto r = db({"up"});
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_THAT(r.out, HasSubstr("applied 0002_good"));
    EXPECT_THAT(r.err, HasSubstr("migrations/0003_broken/up.sql:7:")) << r.describe();
    EXPECT_TRUE(has_table("good"));
    EXPECT_FALSE(has_table("one"));
    EXPECT_FALSE(has_table("two"));
    EXPECT_EQ(status_of("0002"), "applied");
    EXPECT_EQ(status_of("0003"), "pending");
}

TEST_P(FailureTest, SingleTransactionRollsBackTheWholeRun) {
    apply_base();
    write_file(dir / "migrations/0002_good/up.sql", "CREATE TABLE good (id INTEGER);\n");
    write_file(dir / "migrations/0002_good/down.sql", "DROP TABLE good;\n");
    write_file(dir / "migrations/0003_broken/up.sql", third_statement_missing_table);
    write_file(dir / "migrations/0003_broken/down.sql", "DROP TABLE two;\nDROP TABLE one;\n");
    const std::string before = dump();

    auto r = db({"up", "--single-transaction"});
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_THAT(r.out, Not(HasSubstr("applied 0002_good"))) << "it was rolled back\n"
                                                            << r.describe();
    EXPECT_THAT(r.err, HasSubstr("migrations/0003_broken/up.sql:7:")) << r.describe();
    EXPECT_THAT(r.err, HasSubstr(no_such_table_nope())) << r.describe();
    EXPECT_EQ(dump(), before);
    EXPECT_EQ(status_of("0002"), "pending");
    EXPECT_EQ(status_of("0003"), "pending");
}

// A COMMIT in a migration's own transaction would commit its first half and
// leave the rest to fail alone: refused before it runs, naming its line.
TEST_P(FailureTest, CommitInsideTheMigrationsTransactionIsRefused) {
    apply_base();
    write_file(dir / "migrations/0002_commits/up.sql",
               "CREATE TABLE one (id INTEGER);\n"    // 1
               "-- done with the first part\n"       // 2
               "COMMIT;\n"                           // 3
               "CREATE TABLE two (id INTEGER);\n");  // 4
    write_file(dir / "migrations/0002_commits/down.sql", "DROP TABLE two;\nDROP TABLE one;\n");
    const std::string before = dump();

    auto r = db({"up"});
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_THAT(r.err, HasSubstr("migrations/0002_commits/up.sql:3: error: migration 0002_commits "
                                 "failed, rolled back: COMMIT inside a migration that runs in a "
                                 "transaction"))
        << r.describe();
    EXPECT_EQ(dump(), before);
    EXPECT_EQ(status_of("0002"), "pending");

    // Outside a transaction the script manages its own.
    write_file(dir / "migrations/0002_commits/up.sql",
               "-- strata:no-transaction\nBEGIN;\nCREATE TABLE one (id INTEGER);\nCOMMIT;\n"
               "CREATE TABLE two (id INTEGER);\n");
    auto own = db({"up"});
    EXPECT_EQ(own.exit_code, 0) << own.describe();
    EXPECT_TRUE(has_table("two"));
}

INSTANTIATE_TEST_SUITE_P(Backends, FailureTest, ::testing::ValuesIn(strata::test::all_backends),
                         strata::test::backend_name());

}  // namespace
