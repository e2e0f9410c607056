#include "tooling/scaffold.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <string>
#include <vector>

#include "process.hpp"
#include "strata/error.hpp"
#include "strata/migration_set.hpp"

namespace {

namespace fs = std::filesystem;
using strata::test::read_file;
using strata::test::scratch_directory;
using strata::test::write_file;

// 2025-01-20 12:00:00 UTC.
std::chrono::system_clock::time_point jan_20_noon() {
    return std::chrono::system_clock::from_time_t(1737374400);
}

std::vector<fs::path> paths(std::initializer_list<fs::path> list) {
    return list;
}

std::vector<std::string> entries_of(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir))
        names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

void expect_usage_error(const fs::path& dir, const std::string& name) {
    try {
        strata::scaffold_migration(dir, name);
        ADD_FAILURE() << "expected strata::error for name '" << name << "'";
    } catch (const strata::error& e) {
        EXPECT_EQ(e.kind(), strata::error_kind::usage) << name;
    }
}

TEST(Scaffold, TheTestClockIsRight) {
    const std::time_t t = std::chrono::system_clock::to_time_t(jan_20_noon());
    std::tm utc{};
    gmtime_r(&t, &utc);
    EXPECT_EQ(utc.tm_year + 1900, 2025);
    EXPECT_EQ(utc.tm_mon + 1, 1);
    EXPECT_EQ(utc.tm_mday, 20);
    EXPECT_EQ(utc.tm_hour, 12);
    EXPECT_EQ(utc.tm_min, 0);
}

TEST(Scaffold, DieselIsTheDefaultForANewSet) {
    scratch_directory dir;
    const fs::path set = dir / "migrations";  // created by the call
    auto created = strata::scaffold_migration(set, "create_users", {}, jan_20_noon());
    EXPECT_EQ(created, paths({set / "2025-01-20-120000_create_users/up.sql",
                              set / "2025-01-20-120000_create_users/down.sql"}));
    EXPECT_TRUE(fs::is_regular_file(created[0]));
    EXPECT_TRUE(fs::is_regular_file(created[1]));
    EXPECT_NE(read_file(created[0]).find("create_users"), std::string::npos);
    EXPECT_EQ(entries_of(set), (std::vector<std::string>{"2025-01-20-120000_create_users"}));

    auto read = strata::read_migration_set(set);
    ASSERT_TRUE(read.layout.has_value());
    EXPECT_EQ(*read.layout, strata::layout::diesel);
    ASSERT_EQ(read.migrations.size(), 1u);
    EXPECT_EQ(read.migrations[0].version.str(), "20250120120000");
    EXPECT_EQ(read.migrations[0].name, "create_users");
}

TEST(Scaffold, Sqlx) {
    scratch_directory dir;
    strata::scaffold_options options;
    options.layout = strata::layout::sqlx;
    auto created = strata::scaffold_migration(dir.path(), "add_email", options, jan_20_noon());
    EXPECT_EQ(created, paths({dir / "20250120120000_add_email.up.sql",
                              dir / "20250120120000_add_email.down.sql"}));
    EXPECT_EQ(entries_of(dir.path()),
              (std::vector<std::string>{"20250120120000_add_email.down.sql",
                                        "20250120120000_add_email.up.sql"}));
    auto read = strata::read_migration_set(dir.path());
    ASSERT_TRUE(read.layout.has_value());
    EXPECT_EQ(*read.layout, strata::layout::sqlx);
}

TEST(Scaffold, Dbmate) {
    scratch_directory dir;
    strata::scaffold_options options;
    options.layout = strata::layout::dbmate;
    auto created = strata::scaffold_migration(dir.path(), "add_email", options, jan_20_noon());
    EXPECT_EQ(created, paths({dir / "20250120120000_add_email.sql"}));
    const std::string text = read_file(created[0]);
    const auto up = text.find("-- migrate:up\n");
    const auto down = text.find("-- migrate:down\n");
    EXPECT_EQ(up, 0u) << text;
    ASSERT_NE(down, std::string::npos) << text;
    EXPECT_LT(up, down);

    auto read = strata::read_migration_set(dir.path());
    ASSERT_TRUE(read.layout.has_value());
    EXPECT_EQ(*read.layout, strata::layout::dbmate);
    ASSERT_EQ(read.migrations.size(), 1u);
    EXPECT_EQ(read.migrations[0].name, "add_email");
}

TEST(Scaffold, FollowsTheLayoutOfTheSet) {
    scratch_directory dir;
    write_file(dir / "20240101000000_first.sql",
               "-- migrate:up\nCREATE TABLE a (x INTEGER);\n-- migrate:down\nDROP TABLE a;\n");
    auto created = strata::scaffold_migration(dir.path(), "second", {}, jan_20_noon());
    EXPECT_EQ(created, paths({dir / "20250120120000_second.sql"}));
}

TEST(Scaffold, SequentialNumbering) {
    scratch_directory dir;
    strata::scaffold_options options;
    options.layout = strata::layout::sqlx;
    options.sequential = true;
    auto first = strata::scaffold_migration(dir.path(), "first", options, jan_20_noon());
    EXPECT_EQ(first, paths({dir / "0001_first.up.sql", dir / "0001_first.down.sql"}));
    auto second = strata::scaffold_migration(dir.path(), "second", options, jan_20_noon());
    EXPECT_EQ(second, paths({dir / "0002_second.up.sql", dir / "0002_second.down.sql"}));
    // A sequential set keeps counting without being told.
    options.sequential = false;
    auto third = strata::scaffold_migration(dir.path(), "third", options, jan_20_noon());
    EXPECT_EQ(third, paths({dir / "0003_third.up.sql", dir / "0003_third.down.sql"}));
}

TEST(Scaffold, SequentialContinuesUnpaddedNumbers) {
    scratch_directory dir;
    for (int i = 1; i <= 9; ++i)
        write_file(dir / (std::to_string(i) + "_m.sql"), "-- strata:irreversible\nSELECT 1;\n");
    strata::scaffold_options options;
    options.sequential = true;
    auto created = strata::scaffold_migration(dir.path(), "tenth", options, jan_20_noon());
    EXPECT_EQ(created, paths({dir / "10_tenth.up.sql", dir / "10_tenth.down.sql"}));
}

TEST(Scaffold, SequentialBeyondSixtyFourBits) {
    scratch_directory dir;
    const std::string big = "99999999999999999999999";  // 23 digits
    write_file(dir / (big + "_m.sql"), "-- strata:irreversible\nSELECT 1;\n");
    strata::scaffold_options options;
    options.sequential = true;
    auto created = strata::scaffold_migration(dir.path(), "next", options, jan_20_noon());
    EXPECT_EQ(created, paths({dir / "100000000000000000000000_next.up.sql",
                              dir / "100000000000000000000000_next.down.sql"}));
}

TEST(Scaffold, SequentialDiesel) {
    scratch_directory dir;
    strata::scaffold_options options;
    options.sequential = true;
    auto created = strata::scaffold_migration(dir.path(), "init", options, jan_20_noon());
    EXPECT_EQ(created, paths({dir / "0001_init/up.sql", dir / "0001_init/down.sql"}));
}

TEST(Scaffold, TwoCallsInOneSecondGetIncreasingVersions) {
    scratch_directory dir;
    strata::scaffold_options options;
    options.layout = strata::layout::sqlx;
    auto a = strata::scaffold_migration(dir.path(), "a", options, jan_20_noon());
    auto b = strata::scaffold_migration(dir.path(), "b", options, jan_20_noon());
    EXPECT_EQ(a[0], dir / "20250120120000_a.up.sql");
    EXPECT_EQ(b[0], dir / "20250120120001_b.up.sql");

    auto read = strata::read_migration_set(dir.path());
    ASSERT_EQ(read.migrations.size(), 2u);
    EXPECT_LT(read.migrations[0].version, read.migrations[1].version);
    EXPECT_EQ(read.migrations[1].name, "b");
}

TEST(Scaffold, TwoDieselCallsInOneSecondGetIncreasingVersions) {
    scratch_directory dir;
    auto a = strata::scaffold_migration(dir.path(), "a", {}, jan_20_noon());
    auto b = strata::scaffold_migration(dir.path(), "b", {}, jan_20_noon());
    EXPECT_EQ(a[0], dir / "2025-01-20-120000_a/up.sql");
    EXPECT_EQ(b[0], dir / "2025-01-20-120001_b/up.sql");
}

TEST(Scaffold, TwoCallsWithTheRealClock) {
    scratch_directory dir;
    auto a = strata::scaffold_migration(dir.path(), "a");
    auto b = strata::scaffold_migration(dir.path(), "b");
    auto read = strata::read_migration_set(dir.path());
    ASSERT_EQ(read.migrations.size(), 2u);
    EXPECT_EQ(read.migrations[0].name, "a");
    EXPECT_EQ(read.migrations[1].name, "b");
    EXPECT_LT(read.migrations[0].version, read.migrations[1].version);
}

TEST(Scaffold, VersionIsLaterThanAnExistingFutureOne) {
    scratch_directory dir;
    write_file(dir / "20250120120005_later/up.sql", "SELECT 1;\n");
    write_file(dir / "20250120120005_later/down.sql", "SELECT 1;\n");
    auto created = strata::scaffold_migration(dir.path(), "next", {}, jan_20_noon());
    EXPECT_EQ(created[0], dir / "2025-01-20-120006_next/up.sql");
}

// A version of 8 digits is a date, not a count: diesel's `2024-03-13_x`.
TEST(Scaffold, DateOnlyDieselVersionGetsATimestampAfterIt) {
    scratch_directory dir;
    write_file(dir / "2024-03-06-170000_a/up.sql", "SELECT 1;\n");
    write_file(dir / "2024-03-13_170000_b/up.sql", "SELECT 1;\n");
    auto created = strata::scaffold_migration(dir.path(), "c", {}, jan_20_noon());
    EXPECT_EQ(created,
              paths({dir / "2025-01-20-120000_c/up.sql", dir / "2025-01-20-120000_c/down.sql"}));
}

// dbmate orders by file name: nothing numbered sorts after `9_x.sql`
// (`10_x.sql` and `2025..._x.sql` sort before it), so `new` refuses.
TEST(Scaffold, NoVersionAfterTheLatestInDbmatesOrderIsRefused) {
    scratch_directory dir;
    for (const char* name : {"8_t8.sql", "9_t9.sql"})
        write_file(dir / name, "-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 1;\n");
    try {
        strata::scaffold_migration(dir.path(), "next", {}, jan_20_noon());
        FAIL() << "expected strata::error";
    } catch (const strata::error& e) {
        EXPECT_EQ(e.kind(), strata::error_kind::usage);
        EXPECT_NE(std::string(e.what()).find("no new version sorts after 9"), std::string::npos)
            << e.what();
        EXPECT_NE(std::string(e.what()).find("dbmate's order"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(fs::exists(dir / "10_next.sql"));
}

// sqlx-cli's `migrate add` follows the set's newest migration.
TEST(Scaffold, PlainSqlxSetGetsAPlainFile) {
    scratch_directory dir;
    write_file(dir / "20250101000000_a.sql", "SELECT 1;\n");
    auto created = strata::scaffold_migration(dir.path(), "b", {}, jan_20_noon());
    EXPECT_EQ(created, paths({dir / "20250120120000_b.sql"}));
}

TEST(Scaffold, BadNamesAreUsageErrors) {
    scratch_directory dir;
    for (const char* name : {"a/b", "..", "", "a b", "x.sql", "a\\b", "-- x"})
        expect_usage_error(dir.path(), name);
    EXPECT_TRUE(entries_of(dir.path()).empty());
}

TEST(Scaffold, DashesAndDigitsAreFine) {
    scratch_directory dir;
    strata::scaffold_options options;
    options.layout = strata::layout::sqlx;
    auto created = strata::scaffold_migration(dir.path(), "Add-users_2", options, jan_20_noon());
    EXPECT_EQ(created[0], dir / "20250120120000_Add-users_2.up.sql");
}

}  // namespace
