#include "migrations/internal/lint.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

strata::migration migration_with(const std::string& up, bool in_transaction = true) {
    strata::migration m{*strata::migration_version::parse("0002", strata::version_rule::text),
                        "rebuild",
                        {up, "0002_rebuild/up.sql", 1}};
    m.run_in_transaction = in_transaction;
    return m;
}

TEST(Lint, ForeignKeysOffInATransactionIsWarnedAboutInEverySpelling) {
    for (const char* statement :
         {"PRAGMA foreign_keys = OFF;", "pragma foreign_keys=off;", "PRAGMA foreign_keys = 0",
          "PRAGMA main.foreign_keys = false;", "PRAGMA foreign_keys('no');",
          "PRAGMA \"foreign_keys\" = OFF;", "/* rebuild */ PRAGMA foreign_keys = OFF; -- why"}) {
        const auto found = strata::lint_migration(
            migration_with(std::string("CREATE TABLE t (x INTEGER);\n") + statement + "\n"));
        ASSERT_EQ(found.size(), 1u) << statement;
        EXPECT_EQ(found[0].level, strata::severity::warning);
        EXPECT_EQ(found[0].kind, "foreign-keys-off");
        EXPECT_EQ(found[0].version, "0002");
        EXPECT_EQ(found[0].where.file, "0002_rebuild/up.sql");
        EXPECT_EQ(found[0].where.line, 2) << statement;
    }
}

TEST(Lint, WhatDoesNotTurnForeignKeysOffIsNotWarnedAbout) {
    for (const char* up : {"PRAGMA foreign_keys = ON;", "PRAGMA foreign_key_check;",
                           "PRAGMA defer_foreign_keys = ON;",
                           "INSERT INTO notes VALUES ('PRAGMA foreign_keys = OFF');",
                           "-- PRAGMA foreign_keys = OFF;\nSELECT 1;"})
        EXPECT_TRUE(strata::lint_migration(migration_with(up)).empty()) << up;
}

TEST(Lint, OutsideATransactionForeignKeysOffWorksAndIsNotWarnedAbout) {
    EXPECT_TRUE(
        strata::lint_migration(migration_with("PRAGMA foreign_keys = OFF;\n", false)).empty());
}

}  // namespace
