// What the scratch database finds wrong with its content after a migration:
// rows that break foreign keys or CHECK constraints, let in by a PRAGMA that
// switched enforcement off. Each finding names the migration that let it in.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "process.hpp"
#include "strata/migration_set.hpp"
#include "tooling/checks/checks.hpp"

using strata::test::scratch_directory;
using strata::test::write_file;
using ::testing::HasSubstr;

namespace {

class ScratchChecks : public ::testing::Test {
  protected:
    scratch_directory dir{"strata-scratch-checks"};

    void add(const std::string& id, const std::string& up, const std::string& down) {
        write_file(dir / id / "up.sql", up);
        write_file(dir / id / "down.sql", down);
    }

    strata::diagnostics findings_of_kind(const std::string& kind) {
        const auto result = strata::run_checks(strata::read_migration_set(dir.path()));
        strata::diagnostics found;
        for (const auto& d : result.findings)
            if (d.kind == kind)
                found.push_back(d);
        return found;
    }

    void add_users_and_posts() {
        add("0001_users",
            "CREATE TABLE users (id INTEGER PRIMARY KEY);\n"
            "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users);\n"
            "INSERT INTO users VALUES (1);\n",
            "DROP TABLE posts;\nDROP TABLE users;\n");
    }
};

TEST_F(ScratchChecks, OrphanLetInWithForeignKeysOffIsReportedAtItsMigration) {
    add_users_and_posts();
    add("0002_orphan",
        "-- strata:no-transaction\n"
        "PRAGMA foreign_keys = OFF;\n"
        "INSERT INTO posts VALUES (7, 42);\n"
        "PRAGMA foreign_keys = ON;\n",
        "DELETE FROM posts;\n");
    // A later migration cleans up: the violation still existed in between.
    add("0003_cleanup", "DELETE FROM posts WHERE user_id = 42;\n", "SELECT 1;\n");
    const auto found = findings_of_kind("foreign-key");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].level, strata::severity::error);
    EXPECT_EQ(found[0].version, "0002");
    EXPECT_EQ(found[0].where.file, (dir / "0002_orphan/up.sql").generic_string());
    EXPECT_THAT(found[0].message, HasSubstr("after migration 0002_orphan"));
    EXPECT_THAT(found[0].message, HasSubstr("posts row 7 references users"));
}

TEST_F(ScratchChecks, CheckConstraintBypassedIsReportedByIntegrityCheck) {
    add("0001_prices", "CREATE TABLE prices (amount INTEGER CHECK (amount >= 0));\n",
        "DROP TABLE prices;\n");
    add("0002_bypass",
        "PRAGMA ignore_check_constraints = ON;\n"
        "INSERT INTO prices VALUES (-5);\n",
        "DELETE FROM prices;\n");
    const auto found = findings_of_kind("integrity");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].version, "0002");
    EXPECT_THAT(found[0].message, HasSubstr("CHECK constraint failed in prices"));
}

TEST_F(ScratchChecks, EnforcementLeftOffIsCheckedAfterTheMigrationsThatFollow) {
    add("0001_prices",
        "PRAGMA ignore_check_constraints = ON;\n"
        "CREATE TABLE prices (amount INTEGER CHECK (amount >= 0));\n",
        "DROP TABLE prices;\n");
    add("0002_negative", "INSERT INTO prices VALUES (-5);\n", "DELETE FROM prices;\n");
    add("0003_fixed", "UPDATE prices SET amount = 0;\n", "SELECT 1;\n");
    const auto found = findings_of_kind("integrity");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].version, "0002");
}

TEST_F(ScratchChecks, ViolationsOfTheFinalSchemaAreReportedAtTheLastMigration) {
    add_users_and_posts();
    add("0002_orphan",
        "-- strata:no-transaction\n"
        "PRAGMA foreign_keys = OFF;\n"
        "INSERT INTO posts VALUES (7, 42);\n",
        "DELETE FROM posts;\n");
    const auto found = findings_of_kind("foreign-key");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].version, "0002");
}

TEST_F(ScratchChecks, ForeignKeysOffInsideATransactionIsWarnedAbout) {
    add_users_and_posts();
    add("0002_rebuild",
        "-- rebuild posts\n"
        "PRAGMA foreign_keys = OFF;\n"
        "CREATE TABLE posts_new (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users);\n"
        "DROP TABLE posts;\n"
        "ALTER TABLE posts_new RENAME TO posts;\n",
        "SELECT 1;\n");
    const auto result = strata::run_checks(strata::read_migration_set(dir.path()));
    EXPECT_TRUE(result.ok());  // a warning does not fail the build
    const auto found = findings_of_kind("foreign-keys-off");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].level, strata::severity::warning);
    EXPECT_EQ(found[0].where.line, 2);
    EXPECT_THAT(found[0].message, HasSubstr("strata:no-transaction"));
}

TEST_F(ScratchChecks, ACleanSetHasNoViolations) {
    add_users_and_posts();
    add("0002_post", "INSERT INTO posts VALUES (1, 1);\n", "DELETE FROM posts;\n");
    const auto result = strata::run_checks(strata::read_migration_set(dir.path()));
    EXPECT_TRUE(result.findings.empty());
}

}  // namespace
