#include "strata/migration_set.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <string>
#include <vector>

#include "migrations/checksum.hpp"
#include "process.hpp"
#include "strata/error.hpp"

namespace {

namespace fs = std::filesystem;
using strata::test::scratch_directory;
using strata::test::write_file;

std::string shown(const fs::path& p) {
    return p.generic_string();
}

std::vector<strata::diagnostic> of_level(const strata::migration_set& set, strata::severity level) {
    std::vector<strata::diagnostic> out;
    for (const auto& d : set.diagnostics)
        if (d.level == level)
            out.push_back(d);
    return out;
}

std::vector<strata::diagnostic> errors(const strata::migration_set& set) {
    return of_level(set, strata::severity::error);
}

std::vector<strata::diagnostic> notes(const strata::migration_set& set) {
    return of_level(set, strata::severity::note);
}

std::string dump(const strata::migration_set& set) {
    std::string out;
    for (const auto& d : set.diagnostics)
        out += "\n  " + std::string(d.level == strata::severity::error ? "error " : "note ") +
               d.kind + " " + strata::format_location(d.where) + ": " + d.message;
    return out;
}

// The set's missing-down findings: not errors of the set, but the check's.
const strata::diagnostics& missing_downs(const strata::migration_set& set) {
    return set.missing_downs;
}

std::vector<std::string> versions_of(const strata::migration_set& set) {
    std::vector<std::string> out;
    for (const auto& m : set.migrations)
        out.push_back(m.version.str());
    return out;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// ---------------------------------------------------------------- diesel

TEST(MigrationSetDiesel, DashedVersions) {
    scratch_directory dir;
    write_file(dir / "2025-01-20-120000_create_users/up.sql",
               "CREATE TABLE users (id INTEGER PRIMARY KEY);\n");
    write_file(dir / "2025-01-20-120000_create_users/down.sql", "DROP TABLE users;\n");
    write_file(dir / "2025-01-21-093000_add_email/up.sql", "ALTER TABLE users ADD email TEXT;\n");
    write_file(dir / "2025-01-21-093000_add_email/down.sql",
               "ALTER TABLE users DROP COLUMN email;\n");

    auto set = strata::read_migration_set(dir.path());
    ASSERT_TRUE(set.ok()) << dump(set);
    EXPECT_TRUE(set.diagnostics.empty()) << dump(set);
    ASSERT_TRUE(set.layout.has_value());
    EXPECT_EQ(*set.layout, strata::layout::diesel);
    EXPECT_EQ(set.directory, dir.path());
    ASSERT_EQ(set.migrations.size(), 2u);

    const auto& first = set.migrations[0];
    EXPECT_EQ(first.version.str(), "20250120120000");
    EXPECT_EQ(first.name, "create_users");
    EXPECT_EQ(first.id(), "20250120120000_create_users");
    EXPECT_EQ(first.up.sql, "CREATE TABLE users (id INTEGER PRIMARY KEY);\n");
    EXPECT_EQ(first.up.file, shown(dir / "2025-01-20-120000_create_users/up.sql"));
    EXPECT_EQ(first.up.first_line, 1);
    ASSERT_TRUE(first.down.has_value());
    EXPECT_EQ(first.down->sql, "DROP TABLE users;\n");
    EXPECT_EQ(first.down->file, shown(dir / "2025-01-20-120000_create_users/down.sql"));
    EXPECT_EQ(first.down->first_line, 1);
    EXPECT_TRUE(first.run_in_transaction);
    EXPECT_EQ(first.reversal, strata::reversal::script);
    EXPECT_EQ(first.checksum, strata::sha256_hex("CREATE TABLE users (id INTEGER PRIMARY KEY);\n"));

    EXPECT_EQ(set.migrations[1].version.str(), "20250121093000");
    EXPECT_EQ(set.migrations[1].name, "add_email");
}

TEST(MigrationSetDiesel, PlainVersionsAndInitialSetup) {
    scratch_directory dir;
    write_file(dir / "20250120120000_create_users/up.sql", "CREATE TABLE users (id INTEGER);\n");
    write_file(dir / "20250120120000_create_users/down.sql", "DROP TABLE users;\n");
    write_file(
        dir / "00000000000000_diesel_initial_setup/up.sql",
        "-- This file was automatically created by Diesel\nCREATE TABLE setup (x INTEGER);\n");
    write_file(dir / "00000000000000_diesel_initial_setup/down.sql", "DROP TABLE setup;\n");

    auto set = strata::read_migration_set(dir.path());
    ASSERT_TRUE(set.ok()) << dump(set);
    ASSERT_EQ(set.migrations.size(), 2u);
    EXPECT_EQ(set.migrations[0].version.str(), "00000000000000");
    EXPECT_EQ(set.migrations[0].name, "diesel_initial_setup");
    EXPECT_EQ(set.migrations[1].version.str(), "20250120120000");
    EXPECT_EQ(set.migrations[1].name, "create_users");
    EXPECT_EQ(*set.layout, strata::layout::diesel);
}

TEST(MigrationSetDiesel, DirectoryNameWithSpaces) {
    scratch_directory dir;
    write_file(dir / "2025-01-20-120000_create users table/up.sql",
               "CREATE TABLE u (x INTEGER);\n");
    write_file(dir / "2025-01-20-120000_create users table/down.sql", "DROP TABLE u;\n");

    auto set = strata::read_migration_set(dir.path());
    ASSERT_TRUE(set.ok()) << dump(set);
    ASSERT_EQ(set.migrations.size(), 1u);
    EXPECT_EQ(set.migrations[0].version.str(), "20250120120000");
    EXPECT_EQ(set.migrations[0].name, "create users table");
    EXPECT_EQ(set.migrations[0].up.file,
              shown(dir / "2025-01-20-120000_create users table/up.sql"));
}

// Applying needs no down script: the set is valid, and the check is where a
// missing one fails the build.
TEST(MigrationSetDiesel, MissingDownIsAFindingOfTheCheckNotAnError) {
    scratch_directory dir;
    write_file(dir / "2025-01-20-120000_create_users/up.sql", "CREATE TABLE users (id INTEGER);\n");

    auto set = strata::read_migration_set(dir.path());
    EXPECT_TRUE(set.ok()) << dump(set);
    ASSERT_EQ(set.migrations.size(), 1u);
    EXPECT_EQ(set.migrations[0].reversal, strata::reversal::missing);
    EXPECT_FALSE(set.migrations[0].down.has_value());
    auto found = missing_downs(set);
    ASSERT_EQ(found.size(), 1u) << dump(set);
    EXPECT_EQ(found[0].kind, "missing-down");
    EXPECT_EQ(found[0].version, "20250120120000");
    EXPECT_EQ(found[0].where.file, shown(dir / "2025-01-20-120000_create_users/up.sql"));
    EXPECT_TRUE(contains(found[0].message, shown(dir / "2025-01-20-120000_create_users/down.sql")))
        << found[0].message;
}

TEST(MigrationSetDiesel, CommentOnlyDownCountsAsMissing) {
    scratch_directory dir;
    write_file(dir / "2025-01-20-120000_add_column/up.sql", "ALTER TABLE t ADD c INTEGER;\n");
    write_file(dir / "2025-01-20-120000_add_column/down.sql",
               "-- SQLite can't drop columns\n\n   \n");

    auto set = strata::read_migration_set(dir.path());
    EXPECT_TRUE(set.ok()) << dump(set);
    EXPECT_EQ(set.migrations[0].reversal, strata::reversal::missing);
    auto found = missing_downs(set);
    ASSERT_EQ(found.size(), 1u) << dump(set);
    EXPECT_EQ(found[0].kind, "missing-down");
    EXPECT_EQ(found[0].version, "20250120120000");
    EXPECT_EQ(found[0].where.file, shown(dir / "2025-01-20-120000_add_column/down.sql"));
    EXPECT_EQ(found[0].where.line, 1);
}

TEST(MigrationSetDiesel, DirectoryWithoutUpSqlIsAnError) {
    scratch_directory dir;
    write_file(dir / "2025-01-20-120000_x/down.sql", "DROP TABLE x;\n");

    auto set = strata::read_migration_set(dir.path());
    auto found = errors(set);
    ASSERT_EQ(found.size(), 1u) << dump(set);
    EXPECT_EQ(found[0].kind, "layout");
    EXPECT_EQ(found[0].where.file, shown(dir / "2025-01-20-120000_x"));
    EXPECT_TRUE(set.migrations.empty());
}

TEST(MigrationSetDiesel, DirectoryNameWithoutAVersionIsAnError) {
    scratch_directory dir;
    write_file(dir / "--_x/up.sql", "CREATE TABLE x (y INTEGER);\n");
    write_file(dir / "--_x/down.sql", "DROP TABLE x;\n");

    auto set = strata::read_migration_set(dir.path());
    auto found = errors(set);
    ASSERT_EQ(found.size(), 1u) << dump(set);
    EXPECT_EQ(found[0].kind, "layout");
    EXPECT_EQ(found[0].where.file, shown(dir / "--_x"));
    EXPECT_TRUE(set.migrations.empty());
}

// diesel's version is the folder name up to the first '_', or the whole
// name, dashes removed, whatever its characters (2.3 writes hexadecimal
// suffixes): real projects have folders like these.
TEST(MigrationSetDiesel, VersionsAreWhatDieselMakesOfTheFolderName) {
    scratch_directory dir;
    for (const char* name : {"2025_", "2025-08-06-fix-entry-point", "2025-11-19-091444-00a0_x",
                             "2024-09-4_v0.15.1", "init_schema"}) {
        write_file(dir / name / "up.sql", "SELECT 1;\n");
        write_file(dir / name / "down.sql", "SELECT 1;\n");
    }

    auto set = strata::read_migration_set(dir.path());
    ASSERT_TRUE(set.ok()) << dump(set);
    EXPECT_EQ(versions_of(set),
              (std::vector<std::string>{"2024094", "2025", "20250806fixentrypoint",
                                        "2025111909144400a0", "init"}));
    EXPECT_EQ(set.migrations[0].name, "v0.15.1");
    EXPECT_EQ(set.migrations[1].name, "");
    EXPECT_EQ(set.migrations[1].id(), "2025");
    EXPECT_EQ(set.migrations[2].id(), "20250806fixentrypoint");
    EXPECT_EQ(set.migrations[4].name, "schema");
}

TEST(MigrationSetDiesel, DirectoryWithoutVersionIsIgnoredWithANote) {
    scratch_directory dir;
    write_file(dir / "docs/notes.txt", "hello\n");
    write_file(dir / "1_a/up.sql", "CREATE TABLE a (x INTEGER);\n");
    write_file(dir / "1_a/down.sql", "DROP TABLE a;\n");

    auto set = strata::read_migration_set(dir.path());
    ASSERT_TRUE(set.ok()) << dump(set);
    EXPECT_EQ(set.migrations.size(), 1u);
    auto found = notes(set);
    ASSERT_EQ(found.size(), 1u) << dump(set);
    EXPECT_EQ(found[0].kind, "ignored");
    EXPECT_EQ(found[0].where.file, shown(dir / "docs"));
}

TEST(MigrationSetDiesel, MetadataRunInTransactionFalse) {
    scratch_directory dir;
    write_file(dir / "2025-01-20-120000_index/up.sql", "CREATE INDEX i ON t (x);\n");
    write_file(dir / "2025-01-20-120000_index/down.sql", "DROP INDEX i;\n");
    write_file(dir / "2025-01-20-120000_index/metadata.toml", "run_in_transaction = false\n");

    auto set = strata::read_migration_set(dir.path());
    ASSERT_TRUE(set.ok()) << dump(set);
    ASSERT_EQ(set.migrations.size(), 1u);
    EXPECT_FALSE(set.migrations[0].run_in_transaction);
}

// diesel's TomlMetadata has `#[serde(default)] run_in_transaction: bool`: a
// file that parses without the key means false.
TEST(MigrationSetDiesel, MetadataWithoutTheKeyRunsOutsideATransaction) {
    scratch_directory dir;
    write_file(dir / "1_a/up.sql", "CREATE INDEX i ON t (x);\n");
    write_file(dir / "1_a/down.sql", "DROP INDEX i;\n");
    write_file(dir / "1_a/metadata.toml", "# nothing here\n");

    auto set = strata::read_migration_set(dir.path());
    ASSERT_TRUE(set.ok()) << dump(set);
    EXPECT_FALSE(set.migrations[0].run_in_transaction);
    auto found = notes(set);
    ASSERT_EQ(found.size(), 1u) << dump(set);
    EXPECT_EQ(found[0].where.file, shown(dir / "1_a/metadata.toml"));
}

TEST(MigrationSetDiesel, MetadataRunInTransactionTrueWithComments) {
    scratch_directory dir;
    write_file(dir / "2025-01-20-120000_index/up.sql", "CREATE INDEX i ON t (x);\n");
    write_file(dir / "2025-01-20-120000_index/down.sql", "DROP INDEX i;\n");
    write_file(dir / "2025-01-20-120000_index/metadata.toml",
               "# diesel metadata\r\n\r\nrun_in_transaction = true # the default\r\n"
               "other_key = \"ignored\"\r\n");

    auto set = strata::read_migration_set(dir.path());
    ASSERT_TRUE(set.ok()) << dump(set);
    ASSERT_EQ(set.migrations.size(), 1u);
    EXPECT_TRUE(set.migrations[0].run_in_transaction);
}

TEST(MigrationSetDiesel, MetadataFalseWithoutTrailingNewlineAndSpacing) {
    scratch_directory dir;
    write_file(dir / "1_index/up.sql", "CREATE INDEX i ON t (x);\n");
    write_file(dir / "1_index/down.sql", "DROP INDEX i;\n");
    write_file(dir / "1_index/metadata.toml", "  run_in_transaction=false");

    auto set = strata::read_migration_set(dir.path());
    ASSERT_TRUE(set.ok()) << dump(set);
    ASSERT_EQ(set.migrations.size(), 1u);
    EXPECT_FALSE(set.migrations[0].run_in_transaction);
}

TEST(MigrationSetDiesel, MetadataMalformedLineIsAnErrorWithItsLine) {
    scratch_directory dir;
    write_file(dir / "2025-01-20-120000_index/up.sql", "CREATE INDEX i ON t (x);\n");
    write_file(dir / "2025-01-20-120000_index/down.sql", "DROP INDEX i;\n");
    write_file(dir / "2025-01-20-120000_index/metadata.toml",
               "# comment\n\nrun_in_transaction false\n");

    auto set = strata::read_migration_set(dir.path());
    auto found = errors(set);
    ASSERT_EQ(found.size(), 1u) << dump(set);
    EXPECT_EQ(found[0].kind, "layout");
    EXPECT_EQ(found[0].where.file, shown(dir / "2025-01-20-120000_index/metadata.toml"));
    EXPECT_EQ(found[0].where.line, 3);
}

TEST(MigrationSetDiesel, MetadataBadValueIsAnErrorWithItsLine) {
    scratch_directory dir;
    write_file(dir / "2025-01-20-120000_index/up.sql", "CREATE INDEX i ON t (x);\n");
    write_file(dir / "2025-01-20-120000_index/down.sql", "DROP INDEX i;\n");
    write_file(dir / "2025-01-20-120000_index/metadata.toml", "run_in_transaction = no\n");

    auto set = strata::read_migration_set(dir.path());
    auto found = errors(set);
    ASSERT_EQ(found.size(), 1u) << dump(set);
    EXPECT_EQ(found[0].kind, "layout");
    EXPECT_EQ(found[0].where.file, shown(dir / "2025-01-20-120000_index/metadata.toml"));
    EXPECT_EQ(found[0].where.line, 1);
    EXPECT_TRUE(contains(found[0].message, "no")) << found[0].message;
}

// ---------------------------------------------------------------- sqlx

// sqlx's simple layout has no down scripts by design: nothing is missing.
TEST(MigrationSetSqlx, SimpleFileIsOneWay) {
    scratch_directory dir;
    write_file(dir / "20250120120000_create_users.sql", "CREATE TABLE users (id INTEGER);\n");

    auto set = strata::read_migration_set(dir.path());
    ASSERT_TRUE(set.ok()) << dump(set);
    EXPECT_TRUE(set.diagnostics.empty()) << dump(set);
    EXPECT_TRUE(missing_downs(set).empty());
    ASSERT_EQ(set.migrations.size(), 1u);
    const auto& m = set.migrations[0];
    EXPECT_EQ(m.version.str(), "20250120120000");
    EXPECT_EQ(m.name, "create_users");
    EXPECT_EQ(m.up.sql, "CREATE TABLE users (id INTEGER);\n");
    EXPECT_EQ(m.up.file, shown(dir / "20250120120000_create_users.sql"));
    EXPECT_EQ(m.reversal, strata::reversal::one_way);
    EXPECT_FALSE(m.down.has_value());
    EXPECT_EQ(*set.layout, strata::layout::sqlx);
}

TEST(MigrationSetSqlx, SimpleFileMarkedIrreversible) {
    scratch_directory dir;
    write_file(dir / "20250120120000_drop_legacy.sql",
               "-- strata:irreversible\nDROP TABLE legacy;\n");

    auto set = strata::read_migration_set(dir.path());
    ASSERT_TRUE(set.ok()) << dump(set);
    EXPECT_TRUE(set.diagnostics.empty()) << dump(set);
    ASSERT_EQ(set.migrations.size(), 1u);
    EXPECT_EQ(set.migrations[0].reversal, strata::reversal::irreversible);
    EXPECT_FALSE(set.migrations[0].down.has_value());
    EXPECT_TRUE(set.migrations[0].run_in_transaction);
}

TEST(MigrationSetSqlx, ReversiblePair) {
    scratch_directory dir;
    write_file(dir / "20250120120000_create_users.up.sql", "CREATE TABLE users (id INTEGER);\n");
    write_file(dir / "20250120120000_create_users.down.sql", "DROP TABLE users;\n");
    write_file(dir / "20250121000000_posts.up.sql", "CREATE TABLE posts (id INTEGER);\n");
    write_file(dir / "20250121000000_posts.down.sql", "DROP TABLE posts;\n");

    auto set = strata::read_migration_set(dir.path());
    ASSERT_TRUE(set.ok()) << dump(set);
    EXPECT_TRUE(set.diagnostics.empty()) << dump(set);
    EXPECT_EQ(*set.layout, strata::layout::sqlx);
    ASSERT_EQ(set.migrations.size(), 2u);
    const auto& m = set.migrations[0];
    EXPECT_EQ(m.version.str(), "20250120120000");
    EXPECT_EQ(m.name, "create_users");
    EXPECT_EQ(m.up.file, shown(dir / "20250120120000_create_users.up.sql"));
    ASSERT_TRUE(m.down.has_value());
    EXPECT_EQ(m.down->file, shown(dir / "20250120120000_create_users.down.sql"));
    EXPECT_EQ(m.down->sql, "DROP TABLE users;\n");
    EXPECT_EQ(m.reversal, strata::reversal::script);
    EXPECT_EQ(set.migrations[1].name, "posts");
}

TEST(MigrationSetSqlx, SimpleAndReversibleMayMix) {
    scratch_directory dir;
    write_file(dir / "1_a.up.sql", "CREATE TABLE a (x INTEGER);\n");
    write_file(dir / "1_a.down.sql", "DROP TABLE a;\n");
    write_file(dir / "2_b.sql", "CREATE TABLE b (x INTEGER);\n");
    write_file(dir / "3_c.up.sql", "CREATE TABLE c (x INTEGER);\n");

    auto set = strata::read_migration_set(dir.path());
    ASSERT_TRUE(set.ok()) << dump(set);
    EXPECT_EQ(*set.layout, strata::layout::sqlx);
    EXPECT_EQ(versions_of(set), (std::vector<std::string>{"1", "2", "3"}));
    EXPECT_EQ(set.migrations[0].reversal, strata::reversal::script);
    EXPECT_EQ(set.migrations[1].reversal, strata::reversal::one_way);
    // A reversible file without its down script is missing one, and the hint
    // names a file the reader accepts beside it.
    EXPECT_EQ(set.migrations[2].reversal, strata::reversal::missing);
    ASSERT_EQ(missing_downs(set).size(), 1u);
    EXPECT_EQ(missing_downs(set)[0].version, "3");
    EXPECT_TRUE(contains(missing_downs(set)[0].message, "add " + shown(dir / "3_c.down.sql")))
        << missing_downs(set)[0].message;
}

TEST(MigrationSetSqlx, CommentOnlyDownCountsAsMissing) {
    scratch_directory dir;
    write_file(dir / "3_add_column.up.sql", "ALTER TABLE t ADD c INTEGER;\n");
    write_file(dir / "3_add_column.down.sql", "\n-- SQLite can't drop columns\n");

    auto set = strata::read_migration_set(dir.path());
    EXPECT_TRUE(set.ok()) << dump(set);
    auto found = missing_downs(set);
    ASSERT_EQ(found.size(), 1u) << dump(set);
    EXPECT_EQ(found[0].kind, "missing-down");
    EXPECT_EQ(found[0].version, "3");
    EXPECT_EQ(found[0].where.file, shown(dir / "3_add_column.down.sql"));
}

TEST(MigrationSetSqlx, DownWithoutUpIsAnError) {
    scratch_directory dir;
    write_file(dir / "5_orphan.down.sql", "DROP TABLE t;\n");

    auto set = strata::read_migration_set(dir.path());
    auto found = errors(set);
    ASSERT_EQ(found.size(), 1u) << dump(set);
    EXPECT_EQ(found[0].kind, "layout");
    EXPECT_EQ(found[0].where.file, shown(dir / "5_orphan.down.sql"));
    EXPECT_TRUE(set.migrations.empty());
}

// diesel and sqlx run an up script of comments only as a no-op; so does Strata.
TEST(MigrationSetSqlx, CommentOnlyUpIsANoOp) {
    scratch_directory dir;
    write_file(dir / "1_todo.up.sql", "-- nothing yet\n/* later */\n;\n");
    write_file(dir / "1_todo.down.sql", "-- nothing to undo\n");

    auto set = strata::read_migration_set(dir.path());
    ASSERT_TRUE(set.ok()) << dump(set);
    EXPECT_TRUE(set.diagnostics.empty()) << dump(set);
    ASSERT_EQ(set.migrations.size(), 1u);
    EXPECT_TRUE(set.migrations[0].is_no_op());
    // Nothing to revert, so its comment-only down script is no missing one.
    EXPECT_EQ(set.migrations[0].reversal, strata::reversal::nothing);
    EXPECT_TRUE(missing_downs(set).empty());
}

// sqlx runs an empty file (it refuses nothing); diesel refuses an empty up.sql.
TEST(MigrationSetSqlx, ZeroByteFileIsANoOp) {
    scratch_directory dir;
    write_file(dir / "1_todo.sql", "");

    auto set = strata::read_migration_set(dir.path());
    ASSERT_TRUE(set.ok()) << dump(set);
    ASSERT_EQ(set.migrations.size(), 1u);
    EXPECT_TRUE(set.migrations[0].is_no_op());
}

TEST(MigrationSetDiesel, EmptyUpIsAnError) {
    scratch_directory dir;
    write_file(dir / "1_todo/up.sql", "");
    write_file(dir / "1_todo/down.sql", "SELECT 1;\n");

    auto set = strata::read_migration_set(dir.path());
    auto found = errors(set);
    ASSERT_EQ(found.size(), 1u) << dump(set);
    EXPECT_EQ(found[0].kind, "empty-up");
    EXPECT_EQ(found[0].where.file, shown(dir / "1_todo/up.sql"));
}

TEST(MigrationSetDiesel, BlankOrCommentOnlyUpIsANoOp) {
    scratch_directory dir;
    write_file(dir / "0_blank/up.sql", "\n  \n");
    write_file(dir / "1_todo/up.sql", "-- Your SQL goes here\n");
    write_file(dir / "1_todo/down.sql", "-- This file should undo anything in `up.sql`\n");

    auto set = strata::read_migration_set(dir.path());
    ASSERT_TRUE(set.ok()) << dump(set);
    ASSERT_EQ(set.migrations.size(), 2u);
    for (const auto& m : set.migrations) {
        EXPECT_TRUE(m.is_no_op()) << m.id();
        EXPECT_EQ(m.reversal, strata::reversal::nothing) << m.id();
    }
    EXPECT_TRUE(missing_downs(set).empty());
}

// ---------------------------------------------------------------- dbmate

TEST(MigrationSetDbmate, SectionsAndLines) {
    scratch_directory dir;
    write_file(dir / "20250120120000_create_users.sql",
               "-- migrate:up\n"                     // 1
               "CREATE TABLE users (id INTEGER);\n"  // 2
               "\n"                                  // 3
               "-- migrate:down\n"                   // 4
               "DROP TABLE users;\n");               // 5

    auto set = strata::read_migration_set(dir.path());
    ASSERT_TRUE(set.ok()) << dump(set);
    EXPECT_TRUE(set.diagnostics.empty()) << dump(set);
    ASSERT_TRUE(set.layout.has_value());
    EXPECT_EQ(*set.layout, strata::layout::dbmate);
    ASSERT_EQ(set.migrations.size(), 1u);
    const auto& m = set.migrations[0];
    const std::string file = shown(dir / "20250120120000_create_users.sql");
    EXPECT_EQ(m.version.str(), "20250120120000");
    EXPECT_EQ(m.name, "create_users");
    EXPECT_EQ(m.up.sql, "CREATE TABLE users (id INTEGER);\n\n");
    EXPECT_EQ(m.up.file, file);
    EXPECT_EQ(m.up.first_line, 2);
    ASSERT_TRUE(m.down.has_value());
    EXPECT_EQ(m.down->sql, "DROP TABLE users;\n");
    EXPECT_EQ(m.down->file, file);
    EXPECT_EQ(m.down->first_line, 5);
    EXPECT_TRUE(m.run_in_transaction);
    EXPECT_EQ(m.reversal, strata::reversal::script);
    EXPECT_EQ(m.checksum, strata::sha256_hex("CREATE TABLE users (id INTEGER);\n\n"));
}

TEST(MigrationSetDbmate, FirstLineFollowsTheMarkerAfterLeadingComments) {
    scratch_directory dir;
    write_file(dir / "20250120120000_x.sql",
               "-- written by hand\n"  // 1
               "\n"                    // 2
               "-- migrate:up\n"       // 3
               "CREATE TABLE x (y INTEGER);\n"
               "-- migrate:down\n"  // 5
               "DROP TABLE x;\n");

    auto set = strata::read_migration_set(dir.path());
    ASSERT_TRUE(set.ok()) << dump(set);
    ASSERT_EQ(set.migrations.size(), 1u);
    EXPECT_EQ(set.migrations[0].up.first_line, 4);
    EXPECT_EQ(set.migrations[0].up.sql, "CREATE TABLE x (y INTEGER);\n");
    EXPECT_EQ(set.migrations[0].down->first_line, 6);
}

TEST(MigrationSetDbmate, TransactionFalseOnTheUpMarker) {
    scratch_directory dir;
    write_file(dir / "20250120120000_index.sql",
               "-- migrate:up transaction:false\n"
               "CREATE INDEX i ON t (x);\n"
               "-- migrate:down\n"
               "DROP INDEX i;\n");

    auto set = strata::read_migration_set(dir.path());
    ASSERT_TRUE(set.ok()) << dump(set);
    ASSERT_EQ(set.migrations.size(), 1u);
    EXPECT_FALSE(set.migrations[0].run_in_transaction);
    EXPECT_EQ(set.migrations[0].up.sql, "CREATE INDEX i ON t (x);\n");
    EXPECT_EQ(set.migrations[0].up.first_line, 2);
}

TEST(MigrationSetDbmate, TransactionFalseOnTheDownMarker) {
    scratch_directory dir;
    write_file(dir / "20250120120000_index.sql",
               "-- migrate:up\n"
               "CREATE INDEX i ON t (x);\n"
               "-- migrate:down transaction:false\n"
               "DROP INDEX i;\n");

    // dbmate's options are a section's: the down script's alone.
    auto set = strata::read_migration_set(dir.path());
    ASSERT_TRUE(set.ok()) << dump(set);
    ASSERT_EQ(set.migrations.size(), 1u);
    EXPECT_TRUE(set.migrations[0].run_in_transaction);
    EXPECT_FALSE(set.migrations[0].revert_in_transaction);
}

// sqlx's `-- no-transaction` is a file's: on a down script, the revert's
// alone, so that a failing up script still rolls back.
TEST(MigrationSetSqlx, NoTransactionIsAFilesOwn) {
    scratch_directory dir;
    write_file(dir / "1_a.up.sql", "CREATE TABLE a (x INTEGER);\n");
    write_file(dir / "1_a.down.sql", "-- no-transaction\nDROP TABLE a;\n");
    write_file(dir / "2_b.up.sql", "-- no-transaction\nCREATE TABLE b (x INTEGER);\n");
    write_file(dir / "2_b.down.sql", "DROP TABLE b;\n");
    write_file(dir / "3_c.up.sql", "CREATE TABLE c (x INTEGER);\n");
    write_file(dir / "3_c.down.sql", "BEGIN;\nDROP TABLE c;\nCOMMIT;\n");
    // Strata's own directive is the migration's, in either script.
    write_file(dir / "4_d.up.sql", "CREATE TABLE d (x INTEGER);\n");
    write_file(dir / "4_d.down.sql", "-- strata:no-transaction\nDROP TABLE d;\n");

    auto set = strata::read_migration_set(dir.path());
    ASSERT_TRUE(set.ok()) << dump(set);
    ASSERT_EQ(set.migrations.size(), 4u);
    std::vector<std::pair<bool, bool>> seen;
    for (const auto& m : set.migrations)
        seen.emplace_back(m.run_in_transaction, m.revert_in_transaction);
    EXPECT_EQ(seen, (std::vector<std::pair<bool, bool>>{
                        {true, false}, {false, true}, {true, false}, {false, false}}));
}

TEST(MigrationSetDbmate, TransactionTrueIsTheDefault) {
    scratch_directory dir;
    write_file(dir / "20250120120000_t.sql",
               "-- migrate:up transaction:true\n"
               "CREATE TABLE t (x INTEGER);\n"
               "-- migrate:down\n"
               "DROP TABLE t;\n");

    auto set = strata::read_migration_set(dir.path());
    ASSERT_TRUE(set.ok()) << dump(set);
    ASSERT_EQ(set.migrations.size(), 1u);
    EXPECT_TRUE(set.migrations[0].run_in_transaction);
}

TEST(MigrationSetDbmate, UnknownMarkerOptionIsAnError) {
    scratch_directory dir;
    write_file(dir / "20250120120000_t.sql",
               "-- migrate:up transaction:maybe\n"
               "CREATE TABLE t (x INTEGER);\n"
               "-- migrate:down\n"
               "DROP TABLE t;\n");

    auto set = strata::read_migration_set(dir.path());
    auto found = errors(set);
    ASSERT_EQ(found.size(), 1u) << dump(set);
    EXPECT_EQ(found[0].kind, "layout");
    EXPECT_EQ(found[0].where.file, shown(dir / "20250120120000_t.sql"));
    EXPECT_EQ(found[0].where.line, 1);
}

TEST(MigrationSetDbmate, NoDownSectionIsMissingDown) {
    scratch_directory dir;
    write_file(dir / "20250120120000_t.sql", "-- migrate:up\nCREATE TABLE t (x INTEGER);\n");

    auto set = strata::read_migration_set(dir.path());
    EXPECT_TRUE(set.ok()) << dump(set);
    auto found = missing_downs(set);
    ASSERT_EQ(found.size(), 1u) << dump(set);
    EXPECT_EQ(found[0].kind, "missing-down");
    EXPECT_TRUE(contains(found[0].message, "add a '-- migrate:down' section to " +
                                               shown(dir / "20250120120000_t.sql")))
        << found[0].message;
    EXPECT_EQ(found[0].version, "20250120120000");
    EXPECT_EQ(found[0].where.file, shown(dir / "20250120120000_t.sql"));
    EXPECT_EQ(*set.layout, strata::layout::dbmate);
}

TEST(MigrationSetDbmate, CommentOnlyDownSectionIsMissingDown) {
    scratch_directory dir;
    write_file(dir / "20250120120000_t.sql",
               "-- migrate:up\n"
               "ALTER TABLE t ADD c INTEGER;\n"
               "\n"
               "-- migrate:down\n"                 // 4
               "-- SQLite can't drop columns\n");  // 5

    auto set = strata::read_migration_set(dir.path());
    auto found = missing_downs(set);
    ASSERT_EQ(found.size(), 1u) << dump(set);
    EXPECT_EQ(found[0].kind, "missing-down");
    EXPECT_EQ(found[0].where.file, shown(dir / "20250120120000_t.sql"));
    EXPECT_EQ(found[0].where.line, 5);
}

// `dbmate new` writes empty sections, and dbmate applies such a file as it is.
TEST(MigrationSetDbmate, EmptyUpSectionIsANoOp) {
    scratch_directory dir;
    write_file(dir / "20250120120000_t.sql", "-- migrate:up\n\n\n-- migrate:down\n\n");

    auto set = strata::read_migration_set(dir.path());
    ASSERT_TRUE(set.ok()) << dump(set);
    ASSERT_EQ(set.migrations.size(), 1u);
    EXPECT_TRUE(set.migrations[0].is_no_op());
    EXPECT_EQ(set.migrations[0].reversal, strata::reversal::nothing);
    EXPECT_TRUE(missing_downs(set).empty());
}

// dbmate's markers start their line (`(?m)^--\s*migrate:down`): an indented
// one is a comment of the up section, whose statements then run on up, as
// dbmate runs them (a real project has three such files).
TEST(MigrationSetDbmate, IndentedMarkerIsACommentAsDbmateReadsIt) {
    scratch_directory dir;
    write_file(dir / "20250120120000_t.sql",
               "-- migrate:up\n"
               "CREATE TABLE t (x INTEGER);\n"
               "  -- migrate:down\n"
               "DROP TABLE old_t;\n");

    auto set = strata::read_migration_set(dir.path());
    ASSERT_TRUE(set.ok()) << dump(set);
    ASSERT_EQ(set.migrations.size(), 1u);
    EXPECT_EQ(set.migrations[0].up.sql,
              "CREATE TABLE t (x INTEGER);\n  -- migrate:down\nDROP TABLE old_t;\n");
    EXPECT_EQ(set.migrations[0].reversal, strata::reversal::missing);
}

TEST(MigrationSetDbmate, DownBeforeUpIsAnError) {
    scratch_directory dir;
    write_file(dir / "20250120120000_t.sql",
               "-- migrate:down\n"
               "DROP TABLE t;\n"
               "-- migrate:up\n"
               "CREATE TABLE t (x INTEGER);\n");

    auto set = strata::read_migration_set(dir.path());
    auto found = errors(set);
    ASSERT_FALSE(found.empty()) << dump(set);
    EXPECT_EQ(found[0].kind, "layout");
    EXPECT_EQ(found[0].where.file, shown(dir / "20250120120000_t.sql"));
    EXPECT_TRUE(set.migrations.empty());
}

TEST(MigrationSetDbmate, StatementBeforeUpIsAnError) {
    scratch_directory dir;
    write_file(dir / "20250120120000_t.sql",
               "-- header\n"
               "CREATE TABLE stray (x INTEGER);\n"  // 2
               "-- migrate:up\n"
               "CREATE TABLE t (x INTEGER);\n"
               "-- migrate:down\n"
               "DROP TABLE t;\n");

    auto set = strata::read_migration_set(dir.path());
    auto found = errors(set);
    ASSERT_EQ(found.size(), 1u) << dump(set);
    EXPECT_EQ(found[0].kind, "layout");
    EXPECT_EQ(found[0].where.file, shown(dir / "20250120120000_t.sql"));
    EXPECT_EQ(found[0].where.line, 2);
}

TEST(MigrationSetDbmate, DirectiveErrorsPointIntoTheFile) {
    scratch_directory dir;
    write_file(dir / "20250120120000_t.sql",
               "-- migrate:up\n"
               "-- strata:no-transaction\n"
               "-- strata:foo\n"  // 3
               "CREATE TABLE t (x INTEGER);\n"
               "-- migrate:down\n"
               "DROP TABLE t;\n");

    auto set = strata::read_migration_set(dir.path());
    auto found = errors(set);
    ASSERT_EQ(found.size(), 1u) << dump(set);
    EXPECT_EQ(found[0].kind, "directive");
    EXPECT_EQ(found[0].where.file, shown(dir / "20250120120000_t.sql"));
    EXPECT_EQ(found[0].where.line, 3);
}

TEST(MigrationSetDbmate, DownMarkerWithoutUpMarkerIsAnError) {
    // A misspelt up marker must not turn the file into one big up script that
    // also runs the down section.
    scratch_directory dir;
    write_file(dir / "20250120120000_t.sql",
               "-- migrate:Up\n"
               "CREATE TABLE t (x INTEGER);\n"
               "-- migrate:down\n"
               "DROP TABLE t;\n");

    auto set = strata::read_migration_set(dir.path());
    auto found = errors(set);
    ASSERT_EQ(found.size(), 1u) << dump(set);
    EXPECT_EQ(found[0].kind, "layout");
    EXPECT_EQ(found[0].where.file, shown(dir / "20250120120000_t.sql"));
    EXPECT_TRUE(set.migrations.empty());
}

TEST(MigrationSetDbmate, DirectiveAtTheTopOfTheFileCounts) {
    // The leading comment of a dbmate migration is the top of its file.
    scratch_directory dir;
    write_file(dir / "20250120120000_index.sql",
               "-- strata:no-transaction\n"
               "-- migrate:up\n"
               "CREATE INDEX i ON t (x);\n"
               "-- migrate:down\n"
               "DROP INDEX i;\n");

    auto set = strata::read_migration_set(dir.path());
    ASSERT_TRUE(set.ok()) << dump(set);
    ASSERT_EQ(set.migrations.size(), 1u);
    EXPECT_FALSE(set.migrations[0].run_in_transaction);
}

TEST(MigrationSetDbmate, UnknownDirectiveAtTheTopOfTheFileIsAnError) {
    scratch_directory dir;
    write_file(dir / "20250120120000_index.sql",
               "-- strata:no-transactoin\n"
               "-- migrate:up\n"
               "CREATE INDEX i ON t (x);\n"
               "-- migrate:down\n"
               "DROP INDEX i;\n");

    auto set = strata::read_migration_set(dir.path());
    auto found = errors(set);
    ASSERT_EQ(found.size(), 1u) << dump(set);
    EXPECT_EQ(found[0].kind, "directive");
    EXPECT_EQ(found[0].where.file, shown(dir / "20250120120000_index.sql"));
    EXPECT_EQ(found[0].where.line, 1);
}

// ---------------------------------------------------------------- ordering

TEST(MigrationSetOrder, UnpaddedVersionsSortNumerically) {
    scratch_directory dir;
    std::vector<std::string> expected;
    for (int i = 1; i <= 28; ++i) {
        write_file(dir / (std::to_string(i) + "_m" + std::to_string(i) + ".up.sql"),
                   "CREATE TABLE t" + std::to_string(i) + " (x INTEGER);\n");
        write_file(dir / (std::to_string(i) + "_m" + std::to_string(i) + ".down.sql"),
                   "DROP TABLE t" + std::to_string(i) + ";\n");
        expected.push_back(std::to_string(i));
    }

    auto set = strata::read_migration_set(dir.path());
    ASSERT_TRUE(set.ok()) << dump(set);
    EXPECT_EQ(versions_of(set), expected);
    EXPECT_EQ(set.migrations[9].name, "m10");
    EXPECT_EQ(set.migrations[27].name, "m28");
}

TEST(MigrationSetOrder, UnpaddedSimpleFilesSortNumerically) {
    scratch_directory dir;
    for (const char* name : {"1_a.sql", "2_b.sql", "3_c.sql", "10_j.sql", "11_k.sql", "20_t.sql",
                             "28_x.sql", "9_i.sql"})
        write_file(dir / name, "SELECT 1;\n");

    auto set = strata::read_migration_set(dir.path());
    ASSERT_TRUE(set.ok()) << dump(set);
    EXPECT_EQ(versions_of(set),
              (std::vector<std::string>{"1", "2", "3", "9", "10", "11", "20", "28"}));
}

TEST(MigrationSetOrder, DashedAndPlainVersionsAreDuplicates) {
    scratch_directory dir;
    write_file(dir / "2025-01-20-120000_a/up.sql", "CREATE TABLE a (x INTEGER);\n");
    write_file(dir / "2025-01-20-120000_a/down.sql", "DROP TABLE a;\n");
    write_file(dir / "20250120120000_b/up.sql", "CREATE TABLE b (x INTEGER);\n");
    write_file(dir / "20250120120000_b/down.sql", "DROP TABLE b;\n");

    auto set = strata::read_migration_set(dir.path());
    auto found = errors(set);
    ASSERT_EQ(found.size(), 1u) << dump(set);
    EXPECT_EQ(found[0].kind, "duplicate-version");
    EXPECT_EQ(found[0].version, "20250120120000");
    const std::string a = shown(dir / "2025-01-20-120000_a/up.sql");
    const std::string b = shown(dir / "20250120120000_b/up.sql");
    ASSERT_TRUE(found[0].where.file == a || found[0].where.file == b) << found[0].where.file;
    const std::string& other = found[0].where.file == a ? b : a;
    EXPECT_TRUE(contains(found[0].message, other)) << found[0].message;
}

TEST(MigrationSetOrder, LeadingZerosMakeDuplicates) {
    scratch_directory dir;
    write_file(dir / "1_a.sql", "-- strata:irreversible\nSELECT 1;\n");
    write_file(dir / "001_b.sql", "-- strata:irreversible\nSELECT 2;\n");

    auto set = strata::read_migration_set(dir.path());
    auto found = errors(set);
    ASSERT_EQ(found.size(), 1u) << dump(set);
    EXPECT_EQ(found[0].kind, "duplicate-version");
    const std::string a = shown(dir / "1_a.sql");
    const std::string b = shown(dir / "001_b.sql");
    ASSERT_TRUE(found[0].where.file == a || found[0].where.file == b) << found[0].where.file;
    EXPECT_TRUE(contains(found[0].message, found[0].where.file == a ? b : a)) << found[0].message;
}

// diesel keeps its versions as text (diesel_migrations' file_based_migrations.rs)
// and orders them as text: an 18-digit version of 2025 comes before a
// 14-digit one of 2026, `2024-03-13_170000_x` (version 20240313) after
// `2024-03-06-170000_y`, and `10` before `2`.
TEST(MigrationSetOrder, DieselVersionsCompareAsText) {
    scratch_directory dir;
    for (const char* name :
         {"2026-01-20-162913_y", "2025-11-19-091444-0000_x", "2024-03-13_170000_sso_cascade",
          "2024-03-06-170000_add_sso_users", "00000000000000_diesel_initial_setup"}) {
        write_file(dir / name / "up.sql", "SELECT 1;\n");
        write_file(dir / name / "down.sql", "SELECT 1;\n");
    }
    auto set = strata::read_migration_set(dir.path());
    ASSERT_TRUE(set.ok()) << dump(set);
    EXPECT_EQ(set.rule(), strata::version_rule::text);
    EXPECT_EQ(versions_of(set),
              (std::vector<std::string>{"00000000000000", "20240306170000", "20240313",
                                        "202511190914440000", "20260120162913"}));
    EXPECT_EQ(set.migrations[2].name, "170000_sso_cascade");
}

TEST(MigrationSetOrder, DieselTellsLeadingZerosApart) {
    scratch_directory dir;
    for (const char* name : {"2_b", "10_c", "1_a", "01_z"}) {
        write_file(dir / name / "up.sql", "SELECT 1;\n");
        write_file(dir / name / "down.sql", "SELECT 1;\n");
    }
    auto set = strata::read_migration_set(dir.path());
    ASSERT_TRUE(set.ok()) << dump(set);
    EXPECT_EQ(versions_of(set), (std::vector<std::string>{"01", "1", "10", "2"}));
    EXPECT_EQ(set.find(*set.parse_version("1"))->name, "a");
    EXPECT_EQ(set.find(*set.parse_version("01"))->name, "z");
}

// sqlx parses versions as i64 (sqlx-core's migrate/source.rs): `01` is `1`.
TEST(MigrationSetOrder, SqlxVersionsAreNumbers) {
    scratch_directory dir;
    for (const char* name : {"2_b.sql", "10_c.sql", "01_a.sql"})
        write_file(dir / name, "SELECT 1;\n");
    auto set = strata::read_migration_set(dir.path());
    ASSERT_TRUE(set.ok()) << dump(set);
    EXPECT_EQ(set.rule(), strata::version_rule::number);
    EXPECT_EQ(versions_of(set), (std::vector<std::string>{"01", "2", "10"}));
    EXPECT_EQ(set.find(*set.parse_version("1"))->name, "a");
}

// dbmate sorts its files by name (pkg/dbmate/migration.go): `10_c.sql` comes
// before `1_a.sql` ('0' < '_'), and `01` and `1` are two versions.
TEST(MigrationSetOrder, DbmateOrdersByFileName) {
    scratch_directory dir;
    for (const char* name : {"2_b.sql", "1_a.sql", "10_c.sql", "01_z.sql", "3.sql"})
        write_file(dir / name, "-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 1;\n");
    auto set = strata::read_migration_set(dir.path());
    ASSERT_TRUE(set.ok()) << dump(set);
    EXPECT_EQ(set.rule(), strata::version_rule::file_name);
    EXPECT_EQ(versions_of(set), (std::vector<std::string>{"01", "10", "1", "2", "3"}));
    EXPECT_EQ(set.migrations[4].name, "");
    EXPECT_EQ(set.find(*set.parse_version("1"))->name, "a");
    EXPECT_TRUE(set.precedes(*set.parse_version("10"), *set.parse_version("1")));
}

TEST(MigrationSetOrder, DbmateVersionsWithOneValueAreDuplicatesWhereverTheySort) {
    scratch_directory dir;
    // "1.sql" < "10_b.sql" < "1_a.sql": the two versions 1 are not neighbours.
    for (const char* name : {"1.sql", "10_b.sql", "1_a.sql"})
        write_file(dir / name, "-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 1;\n");
    auto set = strata::read_migration_set(dir.path());
    auto found = errors(set);
    ASSERT_EQ(found.size(), 1u) << dump(set);
    EXPECT_EQ(found[0].kind, "duplicate-version");
    EXPECT_EQ(found[0].version, "1");
}

// ---------------------------------------------------------------- bad names

class MigrationSetBadName : public ::testing::TestWithParam<const char*> {};

TEST_P(MigrationSetBadName, IsALayoutErrorNamingTheFile) {
    scratch_directory dir;
    write_file(dir / "1_ok.up.sql", "CREATE TABLE ok (x INTEGER);\n");
    write_file(dir / "1_ok.down.sql", "DROP TABLE ok;\n");
    write_file(dir / GetParam(), "CREATE TABLE bad (x INTEGER);\n");

    auto set = strata::read_migration_set(dir.path());
    EXPECT_FALSE(set.ok());
    auto found = errors(set);
    ASSERT_EQ(found.size(), 1u) << dump(set);
    EXPECT_EQ(found[0].kind, "layout");
    EXPECT_EQ(found[0].where.file, shown(dir / GetParam()));
    EXPECT_EQ(versions_of(set), (std::vector<std::string>{"1"}));
}

INSTANTIATE_TEST_SUITE_P(Names, MigrationSetBadName,
                         ::testing::Values("12abc.sql", "1-_x.sql", "2_.sql", "3.sql", "4x_y.sql",
                                           "5--6_z.sql", "8abc.up.sql", "9-_q.down.sql"));

TEST(MigrationSetBadNames, EveryBadNameIsReported) {
    scratch_directory dir;
    write_file(dir / "12abc.sql", "SELECT 1;\n");
    write_file(dir / "1-_x.sql", "SELECT 1;\n");
    write_file(dir / "--_x/up.sql", "SELECT 1;\n");

    auto set = strata::read_migration_set(dir.path());
    std::vector<std::string> files;
    for (const auto& d : errors(set)) {
        EXPECT_EQ(d.kind, "layout") << d.message;
        files.push_back(d.where.file);
    }
    std::sort(files.begin(), files.end());
    std::vector<std::string> expected{shown(dir / "12abc.sql"), shown(dir / "1-_x.sql"),
                                      shown(dir / "--_x")};
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(files, expected) << dump(set);
    EXPECT_TRUE(set.migrations.empty());
}

// ---------------------------------------------------------------- mixed layouts

TEST(MigrationSetLayout, DieselAndSqlxMixedIsAnError) {
    scratch_directory dir;
    write_file(dir / "1_a/up.sql", "CREATE TABLE a (x INTEGER);\n");
    write_file(dir / "1_a/down.sql", "DROP TABLE a;\n");
    write_file(dir / "2_b.up.sql", "CREATE TABLE b (x INTEGER);\n");
    write_file(dir / "2_b.down.sql", "DROP TABLE b;\n");

    auto set = strata::read_migration_set(dir.path());
    auto found = errors(set);
    ASSERT_EQ(found.size(), 1u) << dump(set);
    EXPECT_EQ(found[0].kind, "layout");
    EXPECT_EQ(found[0].where.file, shown(dir.path()));
    EXPECT_TRUE(contains(found[0].message, "diesel")) << found[0].message;
    EXPECT_TRUE(contains(found[0].message, "sqlx")) << found[0].message;
    EXPECT_FALSE(set.layout.has_value());
}

TEST(MigrationSetLayout, SqlxAndDbmateMixedIsAnError) {
    scratch_directory dir;
    write_file(dir / "1_a.up.sql", "CREATE TABLE a (x INTEGER);\n");
    write_file(dir / "1_a.down.sql", "DROP TABLE a;\n");
    write_file(dir / "2_b.sql",
               "-- migrate:up\nCREATE TABLE b (x INTEGER);\n-- migrate:down\nDROP TABLE b;\n");

    auto set = strata::read_migration_set(dir.path());
    auto found = errors(set);
    ASSERT_EQ(found.size(), 1u) << dump(set);
    EXPECT_EQ(found[0].kind, "layout");
    EXPECT_TRUE(contains(found[0].message, "dbmate")) << found[0].message;
    EXPECT_TRUE(contains(found[0].message, "sqlx")) << found[0].message;
    EXPECT_FALSE(set.layout.has_value());
}

// ---------------------------------------------------------------- ignored files

TEST(MigrationSetIgnored, NonMigrationFilesAreIgnored) {
    scratch_directory dir;
    write_file(dir / "README.md", "# migrations\n");
    write_file(dir / "data.sql", "INSERT INTO t VALUES (1);\n");
    write_file(dir / ".keep", "");
    write_file(dir / "20250120120000_create_users.up.sql", "CREATE TABLE users (id INTEGER);\n");
    write_file(dir / "20250120120000_create_users.down.sql", "DROP TABLE users;\n");

    auto set = strata::read_migration_set(dir.path());
    ASSERT_TRUE(set.ok()) << dump(set);
    EXPECT_EQ(versions_of(set), (std::vector<std::string>{"20250120120000"}));
    EXPECT_EQ(*set.layout, strata::layout::sqlx);

    auto found = notes(set);
    std::vector<std::string> files;
    for (const auto& d : found) {
        EXPECT_EQ(d.kind, "ignored");
        EXPECT_EQ(d.level, strata::severity::note);
        files.push_back(d.where.file);
    }
    std::sort(files.begin(), files.end());
    EXPECT_EQ(files, (std::vector<std::string>{shown(dir / "README.md"), shown(dir / "data.sql")}))
        << dump(set);
}

TEST(MigrationSetIgnored, OnlyIgnoredFilesMakeAnEmptySet) {
    scratch_directory dir;
    write_file(dir / "README.md", "# nothing yet\n");
    write_file(dir / ".keep", "");

    auto set = strata::read_migration_set(dir.path());
    EXPECT_TRUE(set.ok()) << dump(set);
    EXPECT_TRUE(set.migrations.empty());
    EXPECT_FALSE(set.layout.has_value());
}

// ---------------------------------------------------------------- directives

TEST(MigrationSetDirectives, NoTransactionInTheUpScript) {
    scratch_directory dir;
    write_file(dir / "1_index.up.sql", "-- strata:no-transaction\nCREATE INDEX i ON t (x);\n");
    write_file(dir / "1_index.down.sql", "DROP INDEX i;\n");

    auto set = strata::read_migration_set(dir.path());
    ASSERT_TRUE(set.ok()) << dump(set);
    ASSERT_EQ(set.migrations.size(), 1u);
    EXPECT_FALSE(set.migrations[0].run_in_transaction);
    EXPECT_EQ(set.migrations[0].reversal, strata::reversal::script);
}

TEST(MigrationSetDirectives, NoTransactionInTheDownScript) {
    scratch_directory dir;
    write_file(dir / "1_index.up.sql", "CREATE INDEX i ON t (x);\n");
    write_file(dir / "1_index.down.sql", "-- strata:no-transaction\nDROP INDEX i;\n");

    auto set = strata::read_migration_set(dir.path());
    ASSERT_TRUE(set.ok()) << dump(set);
    ASSERT_EQ(set.migrations.size(), 1u);
    EXPECT_FALSE(set.migrations[0].run_in_transaction);
}

// A script that opens its own transaction runs in it, as the tools run it on
// PostgreSQL (their transaction ends at its COMMIT); a trigger's BEGIN ...
// END and a function body's are no transaction of the script's.
TEST(MigrationSetDirectives, ScriptThatOpensItsOwnTransactionRunsInIt) {
    scratch_directory dir;
    write_file(dir / "1_own.sql", "-- set up\nBEGIN;\nCREATE TABLE a (x INTEGER);\nCOMMIT;\n");
    write_file(dir / "2_start.up.sql",
               "CREATE TABLE b (x INTEGER);\nSTART TRANSACTION;\nDROP TABLE b;\nCOMMIT;\n");
    write_file(dir / "2_start.down.sql", "SELECT 1;\n");
    write_file(dir / "3_trigger.sql",
               "CREATE TRIGGER t AFTER INSERT ON a BEGIN\n    DELETE FROM a;\nEND;\n"
               "CREATE FUNCTION f() RETURNS void AS $$ BEGIN PERFORM 1; END $$ LANGUAGE plpgsql;\n"
               "-- BEGIN; in a comment\nSELECT 'BEGIN;';\n");
    write_file(dir / "4_down.up.sql", "CREATE TABLE d (x INTEGER);\n");
    write_file(dir / "4_down.down.sql", "BEGIN;\nDROP TABLE d;\nCOMMIT;\n");

    auto set = strata::read_migration_set(dir.path());
    ASSERT_TRUE(set.ok()) << dump(set);
    ASSERT_EQ(set.migrations.size(), 4u);
    EXPECT_FALSE(set.migrations[0].run_in_transaction);
    EXPECT_FALSE(set.migrations[1].run_in_transaction);
    EXPECT_TRUE(set.migrations[2].run_in_transaction);
    EXPECT_TRUE(set.migrations[3].run_in_transaction);
    EXPECT_FALSE(set.migrations[3].revert_in_transaction);
}

TEST(MigrationSetDirectives, IrreversibleWinsOverADownScript) {
    scratch_directory dir;
    write_file(dir / "1_drop.up.sql", "-- strata:irreversible\nDROP TABLE legacy;\n");
    write_file(dir / "1_drop.down.sql", "CREATE TABLE legacy (x INTEGER);\n");

    auto set = strata::read_migration_set(dir.path());
    ASSERT_TRUE(set.ok()) << dump(set);
    ASSERT_EQ(set.migrations.size(), 1u);
    EXPECT_EQ(set.migrations[0].reversal, strata::reversal::irreversible);
    EXPECT_FALSE(set.migrations[0].down.has_value());
}

TEST(MigrationSetDirectives, UnknownDirectiveIsAnErrorWithItsLine) {
    scratch_directory dir;
    write_file(dir / "1_a.up.sql", "-- Create a.\n-- strata:foo\nCREATE TABLE a (x INTEGER);\n");
    write_file(dir / "1_a.down.sql", "DROP TABLE a;\n");

    auto set = strata::read_migration_set(dir.path());
    EXPECT_FALSE(set.ok());
    auto found = errors(set);
    ASSERT_EQ(found.size(), 1u) << dump(set);
    EXPECT_EQ(found[0].kind, "directive");
    EXPECT_EQ(found[0].where.file, shown(dir / "1_a.up.sql"));
    EXPECT_EQ(found[0].where.line, 2);
    EXPECT_TRUE(contains(found[0].message, "strata:foo")) << found[0].message;
}

TEST(MigrationSetDirectives, UnknownDirectiveInTheDownScript) {
    scratch_directory dir;
    write_file(dir / "1_a.up.sql", "CREATE TABLE a (x INTEGER);\n");
    write_file(dir / "1_a.down.sql", "-- strata:no-transactions\nDROP TABLE a;\n");

    auto set = strata::read_migration_set(dir.path());
    auto found = errors(set);
    ASSERT_EQ(found.size(), 1u) << dump(set);
    EXPECT_EQ(found[0].kind, "directive");
    EXPECT_EQ(found[0].where.file, shown(dir / "1_a.down.sql"));
    EXPECT_EQ(found[0].where.line, 1);
}

TEST(MigrationSetDirectives, OnlyTheLeadingCommentCounts) {
    scratch_directory dir;
    write_file(dir / "1_a.up.sql",
               "CREATE TABLE a (x INTEGER);\n"
               "-- strata:irreversible\n"
               "-- strata:no-transaction\n"
               "-- strata:foo\n"
               "CREATE TABLE b (x INTEGER);\n");

    auto set = strata::read_migration_set(dir.path());
    EXPECT_TRUE(set.diagnostics.empty()) << dump(set);
    // Not irreversible: the directive came after the first statement.
    ASSERT_EQ(missing_downs(set).size(), 1u) << dump(set);
    ASSERT_EQ(set.migrations.size(), 1u);
    EXPECT_EQ(set.migrations[0].reversal, strata::reversal::missing);
    EXPECT_TRUE(set.migrations[0].run_in_transaction);
}

// ---------------------------------------------------------------- the set

TEST(MigrationSet, EmptyDirectory) {
    scratch_directory dir;
    auto set = strata::read_migration_set(dir.path());
    EXPECT_TRUE(set.ok());
    EXPECT_TRUE(set.diagnostics.empty());
    EXPECT_TRUE(set.migrations.empty());
    EXPECT_FALSE(set.layout.has_value());
}

TEST(MigrationSet, MissingDirectoryThrowsUsage) {
    scratch_directory dir;
    try {
        strata::read_migration_set(dir / "nope");
        FAIL() << "expected strata::error";
    } catch (const strata::error& e) {
        EXPECT_EQ(e.kind(), strata::error_kind::usage);
        EXPECT_TRUE(contains(e.what(), "nope")) << e.what();
    }
}

TEST(MigrationSet, FileInsteadOfDirectoryThrowsUsage) {
    scratch_directory dir;
    write_file(dir / "file.sql", "SELECT 1;\n");
    try {
        strata::read_migration_set(dir / "file.sql");
        FAIL() << "expected strata::error";
    } catch (const strata::error& e) {
        EXPECT_EQ(e.kind(), strata::error_kind::usage);
    }
}

TEST(MigrationSet, FindByVersion) {
    scratch_directory dir;
    write_file(dir / "2025-01-20-120000_a/up.sql", "CREATE TABLE a (x INTEGER);\n");
    write_file(dir / "2025-01-20-120000_a/down.sql", "DROP TABLE a;\n");
    write_file(dir / "2025-01-21-120000_b/up.sql", "CREATE TABLE b (x INTEGER);\n");
    write_file(dir / "2025-01-21-120000_b/down.sql", "DROP TABLE b;\n");

    auto set = strata::read_migration_set(dir.path());
    ASSERT_TRUE(set.ok()) << dump(set);
    const auto* b =
        set.find(*strata::migration_version::parse("20250121120000", strata::version_rule::text));
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(b->name, "b");
    const auto* a = set.find(
        *strata::migration_version::parse("2025-01-20-120000", strata::version_rule::text));
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->name, "a");
    EXPECT_EQ(
        set.find(*strata::migration_version::parse("20250122120000", strata::version_rule::text)),
        nullptr);
}

TEST(MigrationSet, ThrowIfInvalidThrowsTheFirstError) {
    scratch_directory dir;
    write_file(dir / "README.md", "notes\n");
    write_file(dir / "1_a.sql", "-- strata:nope\nCREATE TABLE a (x INTEGER);\n");

    auto set = strata::read_migration_set(dir.path());
    try {
        strata::throw_if_invalid(set);
        FAIL() << "expected strata::error";
    } catch (const strata::error& e) {
        EXPECT_EQ(e.kind(), strata::error_kind::check);
        EXPECT_EQ(e.where().file, shown(dir / "1_a.sql"));
    }
}

TEST(MigrationSet, ThrowIfInvalidAcceptsNotes) {
    scratch_directory dir;
    write_file(dir / "README.md", "notes\n");
    write_file(dir / "1_a.sql", "-- strata:irreversible\nCREATE TABLE a (x INTEGER);\n");

    auto set = strata::read_migration_set(dir.path());
    EXPECT_NO_THROW(strata::throw_if_invalid(set));
}

TEST(MigrationSet, ProblemsAreCollectedNotThrown) {
    scratch_directory dir;
    write_file(dir / "1_a.up.sql", "CREATE TABLE a (x INTEGER);\n");  // missing down
    write_file(dir / "2_b.up.sql", "SELECT 1;\n");
    write_file(dir / "2_b.down.sql", "-- strata:nope\nSELECT 1;\n");  // directive
    write_file(dir / "3_c.up.sql", "-- strata:nope\nSELECT 1;\n");    // directive
    write_file(dir / "3_c.down.sql", "SELECT 1;\n");
    write_file(dir / "3_d.up.sql", "SELECT 1;\n");  // duplicate
    write_file(dir / "3_d.down.sql", "SELECT 1;\n");

    auto set = strata::read_migration_set(dir.path());
    std::vector<std::string> kinds;
    for (const auto& d : errors(set))
        kinds.push_back(d.kind);
    std::sort(kinds.begin(), kinds.end());
    EXPECT_EQ(kinds, (std::vector<std::string>{"directive", "directive", "duplicate-version"}))
        << dump(set);
    ASSERT_EQ(missing_downs(set).size(), 1u);
    EXPECT_EQ(missing_downs(set)[0].version, "1");
}

// ---------------------------------------------------------------- bad files

TEST(MigrationSetBadFiles, ByteOrderMarkIsStrippedAndLeavesTheChecksumAlone) {
    scratch_directory bom;
    scratch_directory plain;
    write_file(bom / "1_a.up.sql",
               "\xEF\xBB\xBF-- strata:no-transaction\nCREATE TABLE a (x INTEGER);\n");
    write_file(bom / "1_a.down.sql",
               "\xEF\xBB\xBF"
               "DROP TABLE a;\n");
    write_file(plain / "1_a.up.sql", "-- strata:no-transaction\nCREATE TABLE a (x INTEGER);\n");
    write_file(plain / "1_a.down.sql", "DROP TABLE a;\n");

    const auto with = strata::read_migration_set(bom.path());
    const auto without = strata::read_migration_set(plain.path());
    ASSERT_TRUE(with.ok()) << dump(with);
    ASSERT_EQ(with.migrations.size(), 1u);
    EXPECT_EQ(with.migrations[0].up.sql.substr(0, 2), "--");
    EXPECT_FALSE(with.migrations[0].run_in_transaction) << "the directive after the BOM was lost";
    EXPECT_EQ(with.migrations[0].down->sql, "DROP TABLE a;\n");
    EXPECT_EQ(with.migrations[0].checksum, without.migrations[0].checksum);
}

TEST(MigrationSetBadFiles, ByteOrderMarkBeforeADbmateMarker) {
    scratch_directory dir;
    write_file(
        dir / "1_a.sql",
        "\xEF\xBB\xBF-- migrate:up\nCREATE TABLE a (x INTEGER);\n-- migrate:down\nDROP TABLE a;\n");
    const auto set = strata::read_migration_set(dir.path());
    ASSERT_TRUE(set.ok()) << dump(set);
    EXPECT_EQ(set.migrations[0].up.first_line, 2);
}

TEST(MigrationSetBadFiles, NotUtf8NamesTheLineAndColumn) {
    scratch_directory dir;
    write_file(dir / "1_a.up.sql", "CREATE TABLE a (x TEXT);\nINSERT INTO a VALUES ('caf\xE9');\n");
    write_file(dir / "1_a.down.sql", "DROP TABLE a;\n");
    const auto set = strata::read_migration_set(dir.path());
    const auto found = errors(set);
    ASSERT_EQ(found.size(), 1u) << dump(set);
    EXPECT_EQ(found[0].kind, "layout");
    EXPECT_EQ(found[0].where.file, shown(dir / "1_a.up.sql"));
    EXPECT_EQ(found[0].where.line, 2);
    EXPECT_EQ(found[0].message,
              "file is not valid UTF-8: byte 0xe9 at column 27; save it as UTF-8");
    EXPECT_TRUE(set.migrations.empty());
}

TEST(MigrationSetBadFiles, MalformedUtf8Sequences) {
    // Truncated, overlong, surrogate, past U+10FFFF, a stray continuation byte.
    for (const std::string bad : {"\xC3", "\xE2\x82", "\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80",
                                  "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\x80", "\xFF"}) {
        scratch_directory dir;
        write_file(dir / "1_a.sql", "-- strata:irreversible\nSELECT '" + bad + "';\n");
        const auto found = errors(strata::read_migration_set(dir.path()));
        ASSERT_EQ(found.size(), 1u);
        EXPECT_EQ(found[0].where.line, 2);
        EXPECT_TRUE(contains(found[0].message, "not valid UTF-8")) << found[0].message;
        EXPECT_TRUE(contains(found[0].message, "column 9")) << found[0].message;
    }
}

TEST(MigrationSetBadFiles, WellFormedUtf8IsAccepted) {
    scratch_directory dir;
    write_file(
        dir / "1_a.sql",
        "-- strata:irreversible\nSELECT 'caf\xC3\xA9 \xE2\x82\xAC \xED\x9F\xBF \xF0\x9F\x98\x80 "
        "\xF4\x8F\xBF\xBF';\n");
    const auto set = strata::read_migration_set(dir.path());
    EXPECT_TRUE(set.ok()) << dump(set);
}

TEST(MigrationSetBadFiles, Utf16AndNulBytesAreRefused) {
    scratch_directory dir;
    write_file(dir / "1_a.sql", std::string("\xFF\xFES\0E\0L\0", 8));
    write_file(dir / "2_b.sql", std::string("-- strata:irreversible\nSELECT 1;\n\0", 35));
    const auto found = errors(strata::read_migration_set(dir.path()));
    ASSERT_EQ(found.size(), 2u);
    EXPECT_EQ(found[0].message, "file is UTF-16 text; save it as UTF-8");
    EXPECT_EQ(found[1].where.line, 3);
    EXPECT_TRUE(contains(found[1].message, "NUL byte")) << found[1].message;
}

TEST(MigrationSetBadFiles, FileOverTheSizeLimitIsRefusedUnread) {
    scratch_directory dir;
    write_file(dir / "1_a.sql",
               "-- strata:irreversible\n" + std::string(2000, ' ') + "SELECT 1;\n");
    strata::read_options options;
    options.max_file_size = 1024 * 1024;
    EXPECT_TRUE(strata::read_migration_set(dir.path(), options).ok());
    options.max_file_size = 1024;
    const auto found = errors(strata::read_migration_set(dir.path(), options));
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].where.file, shown(dir / "1_a.sql"));
    EXPECT_TRUE(contains(found[0].message, "file is larger than")) << found[0].message;
}

TEST(MigrationSetBadFiles, FifoAndDirectoryAreNotScripts) {
    scratch_directory dir;
    ASSERT_EQ(::mkfifo((dir / "1_pipe.sql").c_str(), 0644), 0);
    fs::create_directories(dir / "2_odd/up.sql");
    write_file(dir / "2_odd/down.sql", "SELECT 1;\n");
    const auto found = errors(strata::read_migration_set(dir.path()));  // must not block
    ASSERT_EQ(found.size(), 2u);
    EXPECT_EQ(found[0].where.file, shown(dir / "1_pipe.sql"));
    EXPECT_EQ(found[0].message, "not a regular file");
    EXPECT_EQ(found[1].where.file, shown(dir / "2_odd/up.sql"));
    EXPECT_EQ(found[1].message, "not a regular file");
}

TEST(MigrationSetBadFiles, SymlinkLoopsAreReportedByName) {
    scratch_directory dir;
    fs::create_symlink("1_loop", dir / "1_loop");
    fs::create_symlink("2_loop.sql", dir / "2_loop.sql");
    fs::create_symlink("other", dir / "3_there");
    fs::create_symlink("3_there", dir / "other");
    const auto set = strata::read_migration_set(dir.path());
    const auto found = errors(set);
    ASSERT_EQ(found.size(), 3u) << dump(set);
    EXPECT_EQ(found[0].where.file, shown(dir / "1_loop"));
    EXPECT_EQ(found[0].message, "cannot read: too many levels of symbolic links");
    EXPECT_EQ(found[1].where.file, shown(dir / "2_loop.sql"));
    EXPECT_EQ(found[1].message, "cannot read file: too many levels of symbolic links");
    EXPECT_EQ(found[2].where.file, shown(dir / "3_there"));
    EXPECT_EQ(notes(set).size(), 1u) << dump(set);  // `other` is no migration
}

TEST(MigrationSetBadFiles, DirectoryThatIsASymlinkLoopThrowsUsage) {
    scratch_directory dir;
    fs::create_symlink("loop", dir / "loop");
    try {
        strata::read_migration_set(dir / "loop");
        FAIL() << "expected strata::error";
    } catch (const strata::error& e) {
        EXPECT_EQ(e.kind(), strata::error_kind::usage);
        EXPECT_TRUE(contains(e.what(), "cannot read migration directory")) << e.what();
        EXPECT_TRUE(contains(e.what(), "too many levels of symbolic links")) << e.what();
    }
}

}  // namespace
