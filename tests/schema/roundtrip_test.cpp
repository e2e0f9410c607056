// The round trip (check_roundtrip, run_checks): down scripts that run but do
// not restore the schema are caught, each with its migration, file and the
// difference; a correct set passes; several wrong migrations are all reported.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "process.hpp"
#include "schema_test_support.hpp"
#include "strata/migration_set.hpp"
#include "tooling/checks/checks.hpp"
#include "wrong_downs.hpp"

namespace fs = std::filesystem;
namespace wd = strata::test::wrong_downs;
using strata::test::scratch_directory;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

namespace {

std::string describe(const strata::diagnostics& found) {
    std::string out;
    for (const auto& d : found) {
        out += d.kind + " " + d.version + " " + strata::format_location(d.where) + ": " +
               d.message + "\n" + strata::format_changes(d.changes, "    ");
    }
    return out.empty() ? "(no findings)\n" : out;
}

void expect_findings(const strata::diagnostics& found,
                     const std::vector<wd::expected_finding>& expected, const fs::path& dir) {
    ASSERT_EQ(found.size(), expected.size()) << describe(found);
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const auto& d = found[i];
        const auto& e = expected[i];
        SCOPED_TRACE("finding " + std::to_string(i) + ": " + e.kind + " " + e.file);
        EXPECT_EQ(d.level, strata::severity::error);
        EXPECT_EQ(d.kind, e.kind);
        EXPECT_EQ(d.version, e.version);
        EXPECT_EQ(d.where.file, (dir / e.file).generic_string());
        EXPECT_EQ(d.where.line, e.line);
        EXPECT_THAT(d.message, StartsWith(e.message));
        ASSERT_EQ(d.changes.size(), e.changes.size()) << describe(found);
        for (std::size_t k = 0; k < e.changes.size(); ++k) {
            EXPECT_EQ(d.changes[k].object_kind, e.changes[k].object_kind);
            EXPECT_EQ(d.changes[k].object, e.changes[k].object);
            EXPECT_EQ(d.changes[k].attribute, e.changes[k].attribute);
            EXPECT_EQ(d.changes[k].before, e.changes[k].before);
            EXPECT_EQ(d.changes[k].after, e.changes[k].after);
        }
    }
}

strata::diagnostics without_kind(strata::diagnostics found, const std::string& kind) {
    found.erase(
        std::remove_if(found.begin(), found.end(), [&](const auto& d) { return d.kind == kind; }),
        found.end());
    return found;
}

std::vector<wd::expected_finding> roundtrip_only(std::vector<wd::expected_finding> expected) {
    expected.erase(std::remove_if(expected.begin(), expected.end(),
                                  [](const auto& e) { return e.kind != "roundtrip"; }),
                   expected.end());
    return expected;
}

class WrongDowns : public ::testing::TestWithParam<wd::migration_set_files> {};

TEST_P(WrongDowns, AreCaughtWithTheMigrationAndTheDifference) {
    const auto& set_files = GetParam();
    scratch_directory dir("strata-schema-roundtrip");
    wd::write_set(dir.path(), set_files);
    const auto set = strata::read_migration_set(dir.path());

    strata::check_options options;
    options.roundtrip = true;
    const auto result = strata::run_checks(set, options);
    EXPECT_FALSE(result.ok());
    expect_findings(without_kind(result.findings, "ignored"), set_files.expected, dir.path());

    // check_roundtrip alone reports the round-trip findings.
    const auto roundtrip_set = strata::read_migration_set(dir.path());
    if (!roundtrip_set.ok())
        return;
    expect_findings(strata::check_roundtrip(roundtrip_set), roundtrip_only(set_files.expected),
                    dir.path());
    // Shared among workers, each migration in another one's share: the same
    // findings, in the same order.
    for (const std::size_t workers : {2, 3}) {
        SCOPED_TRACE(std::to_string(workers) + " workers");
        expect_findings(strata::check_roundtrip(roundtrip_set, {}, workers),
                        roundtrip_only(set_files.expected), dir.path());
    }
}

INSTANTIATE_TEST_SUITE_P(Sets, WrongDowns,
                         ::testing::Values(wd::forgets_index(), wd::other_default(),
                                           wd::other_type(), wd::loses_foreign_key(),
                                           wd::loses_trigger(), wd::drops_wrong_table(),
                                           wd::comment_only_down(), wd::failing_down(),
                                           wd::leaves_seed_data(), wd::several_wrong()),
                         [](const auto& param_info) { return param_info.param.name; });

TEST(Roundtrip, WithoutRoundtripOptionOnlyTheLintAndApplyRun) {
    scratch_directory dir("strata-schema-roundtrip");
    wd::write_set(dir.path(), wd::other_default());
    const auto result = strata::run_checks(strata::read_migration_set(dir.path()));
    EXPECT_TRUE(result.ok()) << describe(result.findings);
    ASSERT_TRUE(result.final_schema.has_value());
    EXPECT_EQ(result.final_schema->tables.size(), 1u);
}

TEST(Roundtrip, CorrectSetPasses) {
    scratch_directory dir("strata-schema-roundtrip");
    wd::write_set(dir.path(), wd::correct_set());
    const auto set = strata::read_migration_set(dir.path());
    ASSERT_TRUE(set.ok()) << describe(set.diagnostics);
    EXPECT_THAT(describe(strata::check_roundtrip(set)), "(no findings)\n");
    strata::check_options options;
    options.roundtrip = true;
    const auto result = strata::run_checks(set, options);
    EXPECT_TRUE(result.ok()) << describe(result.findings);
    EXPECT_THAT(result.findings, IsEmpty()) << describe(result.findings);
    ASSERT_TRUE(result.final_schema.has_value());
    const std::string dump = strata::dump_sql(*result.final_schema);
    EXPECT_THAT(dump, HasSubstr("    FOREIGN KEY (author_id) REFERENCES users (id) ON DELETE "
                                "CASCADE\n"));
    EXPECT_THAT(dump, HasSubstr("\nCREATE TRIGGER users_touch "));
}

TEST(Roundtrip, ReferenceMigrationsPass) {
    const auto set = strata::read_migration_set(std::string(STRATA_SOURCE_DIR) + "/migrations");
    ASSERT_TRUE(set.ok()) << describe(set.diagnostics);
    ASSERT_GE(set.migrations.size(), 5u);
    EXPECT_EQ(describe(strata::check_roundtrip(set)), "(no findings)\n");
    strata::check_options options;
    options.roundtrip = true;
    const auto result = strata::run_checks(set, options);
    EXPECT_TRUE(result.ok()) << describe(result.findings);
}

// A down script that restores an equivalent schema, spelled differently
// (another CREATE TABLE text, another object order), is correct.
TEST(Roundtrip, EquivalentButDifferentlySpelledRestoreIsCorrect) {
    scratch_directory dir("strata-schema-roundtrip");
    wd::write_set(dir.path(),
                  {"Equivalent",
                   {wd::users(),
                    {"0002_theme", "ALTER TABLE users DROP COLUMN theme;\n",
                     "alter table users add column theme text not null default ('light');\n"},
                    {"0003_rebuild",
                     "CREATE TABLE users_new (id INTEGER, email TEXT NOT NULL, age INTEGER, "
                     "extra TEXT, PRIMARY KEY (id));\n"
                     "INSERT INTO users_new (id, email, age) SELECT id, email, age FROM users;\n"
                     "DROP TABLE users;\nALTER TABLE users_new RENAME TO users;\n",
                     "CREATE TABLE \"old users\" ([id] integer primary key, `email` text not "
                     "null, age integer /* years */);\n"
                     "INSERT INTO \"old users\" SELECT id, email, age FROM users;\n"
                     "DROP TABLE users;\n"
                     "ALTER TABLE \"old users\" RENAME TO users;\n"}},
                   {}});
    const auto set = strata::read_migration_set(dir.path());
    ASSERT_TRUE(set.ok()) << describe(set.diagnostics);
    EXPECT_EQ(describe(strata::check_roundtrip(set)), "(no findings)\n");
}

// The engine's option behind REVERSIBLE_FROM and --reversible-from: an older
// history's missing, failing and non-restoring down scripts are warnings,
// listed; from the version on, errors.
TEST(Roundtrip, ReversibleFromMakesOlderFindingsWarnings) {
    scratch_directory dir("strata-schema-roundtrip");
    wd::write_set(
        dir.path(),
        {"History",
         {{"0001_users", "CREATE TABLE users (id INTEGER PRIMARY KEY);\n", "DROP TABLE users;\n"},
          {"0002_nickname", "ALTER TABLE users ADD COLUMN nickname TEXT;\n",
           "-- SQLite can't drop columns\n"},
          {"0003_posts", "CREATE TABLE posts (id INTEGER PRIMARY KEY);\n", "DROP TABLE post;\n"},
          {"0004_index", "CREATE INDEX posts_id ON posts (id);\n", "SELECT 1;\n"},
          {"0005_tags", "CREATE TABLE tags (id INTEGER PRIMARY KEY);\n", std::nullopt}},
         {}});
    const auto set = strata::read_migration_set(dir.path());
    strata::check_options options;
    options.roundtrip = true;
    options.reversible_from = set.parse_version("0005");
    const auto result = strata::run_checks(set, options);
    std::vector<std::string> seen;
    for (const auto& d : result.findings)
        seen.push_back(std::string(strata::to_string(d.level)) + " " + d.kind + " " + d.version);
    EXPECT_EQ(seen,
              (std::vector<std::string>{"warning missing-down 0002", "error missing-down 0005",
                                        "warning roundtrip 0003", "warning roundtrip 0004"}))
        << describe(result.findings);
    EXPECT_FALSE(result.ok());

    // A version that names no migration counts by the set's rule, and a
    // note says where the rule begins (a typo could grandfather too much).
    options.reversible_from = set.parse_version("0006");
    const auto later = strata::run_checks(set, options);
    EXPECT_TRUE(later.ok());
    ASSERT_FALSE(later.findings.empty());
    EXPECT_EQ(later.findings[0].kind, "reversible-from");
    EXPECT_EQ(later.findings[0].message,
              "reversible-from version 0006 comes after every "
              "migration; none is held to the round trip yet");

    options.allow_irreversible = true;
    options.reversible_from = set.parse_version("0003");
    const auto allowed = strata::run_checks(set, options);
    seen.clear();
    for (const auto& d : allowed.findings)
        seen.push_back(std::string(strata::to_string(d.level)) + " " + d.kind + " " + d.version);
    EXPECT_EQ(seen, (std::vector<std::string>{"error roundtrip 0003", "error roundtrip 0004"}));
}

// A column with two foreign keys to one table (its REFERENCES and a table
// FOREIGN KEY with another action), as a real project's rebuilt table has:
// a migration that leaves that table alone restores it exactly, and one that
// loses a key is told which.
TEST(Roundtrip, TwoForeignKeysOnOneColumnPairUpByTheirActions) {
    scratch_directory dir("strata-schema-roundtrip");
    // tags first: rebuilding it moves it after users in sqlite_schema, so
    // that the round trip compares users too.
    const std::string tables =
        "CREATE TABLE tags (id INTEGER PRIMARY KEY);\n"
        "CREATE TABLE medias (id INTEGER PRIMARY KEY);\n"
        "CREATE TABLE users (\n    id INTEGER PRIMARY KEY,\n"
        "    avatar_id INTEGER REFERENCES medias(id) ON DELETE CASCADE,\n"
        "    FOREIGN KEY (avatar_id) REFERENCES medias(id) ON DELETE SET NULL\n);\n";
    const auto rebuild_tags = [](const std::string& columns) {
        return "CREATE TABLE tags2 (" + columns +
               ");\nINSERT INTO tags2 (id) SELECT id FROM tags;\n" +
               "DROP TABLE tags;\nALTER TABLE tags2 RENAME TO tags;\n";
    };
    wd::write_set(
        dir.path(),
        {"TwoKeys",
         {{"0001_tables", tables, "DROP TABLE users;\nDROP TABLE medias;\nDROP TABLE tags;\n"},
          {"0002_tag_label", rebuild_tags("id INTEGER PRIMARY KEY, label TEXT"),
           rebuild_tags("id INTEGER PRIMARY KEY")},
          {"0003_users_nickname",
           "CREATE TABLE users2 (id INTEGER PRIMARY KEY, avatar_id INTEGER REFERENCES medias(id) "
           "ON DELETE CASCADE, nickname TEXT, FOREIGN KEY (avatar_id) REFERENCES medias(id) ON "
           "DELETE SET NULL);\n"
           "INSERT INTO users2 (id, avatar_id) SELECT id, avatar_id FROM users;\n"
           "DROP TABLE users;\nALTER TABLE users2 RENAME TO users;\n",
           "CREATE TABLE users2 (id INTEGER PRIMARY KEY, avatar_id INTEGER REFERENCES medias(id) "
           "ON DELETE SET NULL);\n"
           "INSERT INTO users2 (id, avatar_id) SELECT id, avatar_id FROM users;\n"
           "DROP TABLE users;\nALTER TABLE users2 RENAME TO users;\n"}},
         {}});
    const auto set = strata::read_migration_set(dir.path());
    ASSERT_TRUE(set.ok()) << describe(set.diagnostics);
    const auto found = strata::check_roundtrip(set);
    ASSERT_EQ(found.size(), 1u) << describe(found);
    EXPECT_EQ(found[0].version, "0003");
    ASSERT_EQ(found[0].changes.size(), 1u) << describe(found);
    EXPECT_EQ(found[0].changes[0].attribute, "foreign key (avatar_id) -> medias");
    EXPECT_EQ(found[0].changes[0].before, "(avatar_id) REFERENCES medias (id) ON DELETE CASCADE");
    EXPECT_EQ(found[0].changes[0].after, "");
}

TEST(Snapshot, MatchingSnapshotPassesAndDriftIsReported) {
    scratch_directory dir("strata-schema-roundtrip");
    wd::write_set(dir / "migrations", wd::correct_set());
    const auto set = strata::read_migration_set(dir / "migrations");
    const auto schema = strata::scratch_schema(set);
    strata::test::write_file(dir / "schema.sql", strata::dump_sql(schema));

    strata::check_options options;
    options.snapshot = dir / "schema.sql";
    auto result = strata::run_checks(set, options);
    EXPECT_TRUE(result.ok()) << describe(result.findings);

    // A snapshot that says posts.title is NOT NULL: drift.
    std::string old = strata::dump_sql(schema);
    const std::string title = "    title TEXT,\n";
    ASSERT_NE(old.find(title), std::string::npos) << old;
    old.replace(old.find(title), title.size(), "    title TEXT NOT NULL,\n");
    strata::test::write_file(dir / "schema.sql", old);
    result = strata::run_checks(set, options);
    ASSERT_EQ(result.findings.size(), 1u) << describe(result.findings);
    const auto& d = result.findings[0];
    EXPECT_EQ(d.kind, "drift");
    EXPECT_EQ(d.where.file, (dir / "schema.sql").generic_string());
    EXPECT_THAT(d.message, HasSubstr("differs from the snapshot"));
    ASSERT_EQ(d.changes.size(), 1u) << describe(result.findings);
    EXPECT_EQ(d.changes[0].object_kind, "table");
    EXPECT_EQ(d.changes[0].object, "posts");
    EXPECT_EQ(d.changes[0].attribute, "column title: not null");
    EXPECT_EQ(d.changes[0].before, "yes");
    EXPECT_EQ(d.changes[0].after, "no");
}

TEST(Snapshot, EquivalentButNonCanonicalSnapshotIsReportedAsSuch) {
    scratch_directory dir("strata-schema-roundtrip");
    wd::write_set(dir / "migrations", {"One", {wd::users()}, {}});
    const auto set = strata::read_migration_set(dir / "migrations");
    strata::test::write_file(dir / "schema.sql", wd::users().up);
    const auto found = strata::check_snapshot(strata::scratch_schema(set), dir / "schema.sql");
    ASSERT_EQ(found.size(), 1u) << describe(found);
    EXPECT_EQ(found[0].kind, "drift");
    EXPECT_THAT(found[0].message, HasSubstr("not in canonical form"));
    EXPECT_THAT(found[0].changes, IsEmpty());
}

}  // namespace
