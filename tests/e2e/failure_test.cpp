// A migration failing part way: the exit code, the file:line of the failing
// statement with SQLite's own message, and a database left exactly as before.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "process.hpp"

namespace fs = std::filesystem;
using strata::test::process_result;
using strata::test::process_spec;
using strata::test::scratch_directory;
using strata::test::write_file;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

class FailureTest : public ::testing::Test {
  protected:
    scratch_directory dir{"strata-e2e-failure"};

    process_result db(const std::vector<std::string>& args) const {
        process_spec spec;
        spec.argv = {STRATA_EXE, "--url", "sqlite:test.db"};
        spec.argv.insert(spec.argv.end(), args.begin(), args.end());
        spec.cwd = dir.path();
        spec.env["DATABASE_URL"] = std::nullopt;
        return strata::test::run_process(spec);
    }

    static std::string value(const SQLite::Column& c) {
        if (c.isNull())
            return "NULL";
        if (c.isInteger())
            return "i:" + c.getString();
        if (c.isFloat())
            return "f:" + c.getString();
        if (c.isBlob())
            return "b:" + c.getString();
        return "t:'" + c.getString() + "'";
    }

    // The schema, the full tracking table and the rows of every other table.
    std::string dump() const {
        SQLite::Database d((dir / "test.db").string(), SQLite::OPEN_READONLY);
        std::ostringstream out;
        std::vector<std::string> tables;
        SQLite::Statement schema(d,
                                 "SELECT type,name,tbl_name,sql FROM sqlite_schema ORDER BY 1,2");
        while (schema.executeStep()) {
            for (int i = 0; i < 4; ++i)
                out << value(schema.getColumn(i)) << "|";
            out << "\n";
            if (schema.getColumn(0).getString() == "table")
                tables.push_back(schema.getColumn(1).getString());
        }
        for (const auto& table : tables) {
            out << "== " << table << "\n";
            SQLite::Statement rows(d, "SELECT * FROM \"" + table + "\" ORDER BY 1");
            while (rows.executeStep()) {
                for (int i = 0; i < rows.getColumnCount(); ++i)
                    out << rows.getColumnName(i) << "=" << value(rows.getColumn(i)) << "|";
                out << "\n";
            }
        }
        return out.str();
    }

    bool has_table(const std::string& name) const {
        SQLite::Database d((dir / "test.db").string(), SQLite::OPEN_READONLY);
        return d.tableExists(name);
    }

    std::string status_of(const std::string& version) const {
        auto r = db({"status", "--json"});
        EXPECT_EQ(r.exit_code, 0) << r.describe();
        for (const auto& row : nlohmann::json::parse(r.out))
            if (row.at("version") == version)
                return row.at("status");
        return "<absent>";
    }

    // 0001_base, applied: the database the failing migration meets.
    void apply_base(const std::string& layout = "diesel") {
        if (layout == "diesel") {
            write_file(dir / "migrations/0001_base/up.sql",
                       "CREATE TABLE base (id INTEGER PRIMARY KEY, label TEXT);\n"
                       "INSERT INTO base (label) VALUES ('first');\n");
            write_file(dir / "migrations/0001_base/down.sql", "DROP TABLE base;\n");
        } else if (layout == "sqlx") {
            write_file(dir / "migrations/0001_base.up.sql",
                       "CREATE TABLE base (id INTEGER PRIMARY KEY, label TEXT);\n"
                       "INSERT INTO base (label) VALUES ('first');\n");
            write_file(dir / "migrations/0001_base.down.sql", "DROP TABLE base;\n");
        } else {
            write_file(dir / "db/0001_base.sql",
                       "-- migrate:up\n"
                       "CREATE TABLE base (id INTEGER PRIMARY KEY, label TEXT);\n"
                       "INSERT INTO base (label) VALUES ('first');\n"
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

TEST_F(FailureTest, ThirdStatementMissingTableLeavesDatabaseUntouched) {
    apply_base();
    write_file(dir / "migrations/0002_broken/up.sql", third_statement_missing_table);
    write_file(dir / "migrations/0002_broken/down.sql", "DROP TABLE two;\nDROP TABLE one;\n");
    const std::string before = dump();

    auto r = db({"up"});
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_THAT(r.err, HasSubstr("migrations/0002_broken/up.sql:7:")) << r.describe();
    EXPECT_THAT(r.err, HasSubstr("no such table: nope")) << r.describe();
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

TEST_F(FailureTest, ThirdStatementFailingAfterDataChangeRollsBackTheData) {
    apply_base();
    write_file(dir / "migrations/0002_broken/up.sql", third_statement_fails);
    write_file(dir / "migrations/0002_broken/down.sql", "DROP TABLE one;\n");
    const std::string before = dump();

    auto r = db({"up"});
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_THAT(r.err, HasSubstr("migrations/0002_broken/up.sql:7:")) << r.describe();
    EXPECT_THAT(r.err, HasSubstr("no such table: nope")) << r.describe();
    EXPECT_EQ(dump(), before);
    EXPECT_EQ(status_of("0002"), "pending");
}

TEST_F(FailureTest, ThirdStatementSyntaxError) {
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
    EXPECT_THAT(r.err, HasSubstr("near \")\": syntax error")) << r.describe();
    EXPECT_EQ(dump(), before);
    EXPECT_EQ(status_of("0002"), "pending");
}

TEST_F(FailureTest, LineCountsCrlfFiles) {
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
    EXPECT_THAT(r.err, HasSubstr("no such table: nope")) << r.describe();
    EXPECT_EQ(dump(), before);
}

TEST_F(FailureTest, SemicolonsInsideStringsTriggersAndComments) {
    apply_base();
    write_file(dir / "migrations/0002_broken/up.sql",
               "CREATE TABLE one (id INTEGER, s TEXT DEFAULT 'x;\n"                 // 1
               "y');\n"                                                             // 2
               "CREATE TRIGGER one_t AFTER INSERT ON one BEGIN\n"                   // 3
               "  UPDATE one SET s = 'z;' WHERE id = NEW.id; -- note; semicolon\n"  // 4
               "END;\n"                                                             // 5
               "/* block ; comment\n"                                               // 6
               "*/ INSERT INTO nope VALUES (1);\n");                                // 7
    write_file(dir / "migrations/0002_broken/down.sql", "DROP TABLE one;\n");
    const std::string before = dump();

    auto r = db({"up"});
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_THAT(r.err, HasSubstr("migrations/0002_broken/up.sql:7:")) << r.describe();
    EXPECT_THAT(r.err, HasSubstr("no such table: nope")) << r.describe();
    EXPECT_EQ(dump(), before);
}

TEST_F(FailureTest, SqlxFile) {
    apply_base("sqlx");
    write_file(dir / "migrations/0002_broken.up.sql", third_statement_missing_table);
    write_file(dir / "migrations/0002_broken.down.sql", "DROP TABLE two;\nDROP TABLE one;\n");
    const std::string before = dump();

    auto r = db({"up"});
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_THAT(r.err, HasSubstr("migrations/0002_broken.up.sql:7:")) << r.describe();
    EXPECT_THAT(r.err, HasSubstr("no such table: nope")) << r.describe();
    EXPECT_EQ(dump(), before);
}

TEST_F(FailureTest, DbmateLineCountsFromTheTopOfTheFile) {
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
    EXPECT_THAT(r.err, HasSubstr("no such table: nope")) << r.describe();
    EXPECT_EQ(dump(), before);
}

TEST_F(FailureTest, DbmateDownSectionLineCountsFromTheTopOfTheFile) {
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
    EXPECT_THAT(r.err, HasSubstr("no such table: nope")) << r.describe();
    EXPECT_EQ(dump(), before);
}

TEST_F(FailureTest, DieselDownScriptFailure) {
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
    EXPECT_THAT(r.err, HasSubstr("migrations/0002_pair/down.sql:3:")) << r.describe();
    EXPECT_THAT(r.err, HasSubstr("no such table: nope")) << r.describe();
    EXPECT_EQ(dump(), before);
    EXPECT_EQ(status_of("0002"), "applied");
}

TEST_F(FailureTest, EarlierMigrationsOfTheRunStayApplied) {
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

TEST_F(FailureTest, SingleTransactionRollsBackTheWholeRun) {
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
    EXPECT_THAT(r.err, HasSubstr("no such table: nope")) << r.describe();
    EXPECT_EQ(dump(), before);
    EXPECT_EQ(status_of("0002"), "pending");
    EXPECT_EQ(status_of("0003"), "pending");
}

}  // namespace
