// Histories as real projects hold them. Down scripts: `up` never needs one,
// `down` and `redo` refuse a migration without one by name, the build's
// check grandfathers an older history (`--reversible-from`), and sqlx's
// plain files are one-way by design through every command, with no flag.
// Transactions: sqlx's `-- no-transaction`, and scripts that open their own.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <SQLiteCpp/Database.h>

#include "backend_test.hpp"
#include "postgres.hpp"

namespace fs = std::filesystem;
using strata::test::backend;
using strata::test::process_result;
using strata::test::write_file;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

class ReversibilityTest : public strata::test::backend_test<> {
  protected:
    ReversibilityTest() : backend_test("strata-e2e-reversibility") {}

    void diesel(const std::string& folder, const std::string& up, const std::string& down) {
        write_file(dir / "migrations" / folder / "up.sql", up);
        write_file(dir / "migrations" / folder / "down.sql", down);
    }

    // `check` on a scratch database of the test's backend.
    process_result check(std::vector<std::string> args) const {
        args.insert(args.begin(), "check");
        if (database->kind() == backend::postgres)
            args.insert(args.begin(), {"--backends", "postgres", "--postgres-url",
                                       strata::test::postgres_server_url()});
        else
            args.insert(args.begin(), {"--backends", "sqlite"});
        return strata(args);
    }

    // A history of the kind real projects have: old down scripts that say
    // SQLite cannot drop a column, one that fails, one that forgets an index.
    void write_old_history() {
        diesel("2020-01-01-000000_users", "CREATE TABLE users (id INTEGER PRIMARY KEY);\n",
               "DROP TABLE users;\n");
        diesel("2020-02-01-000000_nickname", "ALTER TABLE users ADD COLUMN nickname TEXT;\n",
               "-- SQLite can't drop columns\n");
        diesel("2020-03-01-000000_posts", "CREATE TABLE posts (id INTEGER PRIMARY KEY);\n",
               "DROP TABLE post;\n");
        diesel("2020-04-01-000000_posts_index", "CREATE INDEX posts_id ON posts (id);\n",
               "SELECT 1;\n");
        diesel("2020-05-01-000000_tags", "CREATE TABLE tags (id INTEGER PRIMARY KEY);\n",
               "DROP TABLE tags;\n");
    }
};

TEST_P(ReversibilityTest, UpNeverNeedsADownScriptDownAndRedoRefuseByName) {
    diesel("2020-01-01-000000_users", "CREATE TABLE users (id INTEGER PRIMARY KEY);\n",
           "DROP TABLE users;\n");
    diesel("2020-02-01-000000_nickname", "ALTER TABLE users ADD COLUMN nickname TEXT;\n",
           "-- SQLite can't drop columns\n");
    const auto up = db({"up"});
    ASSERT_EQ(up.exit_code, 0) << up.describe();
    EXPECT_EQ(db({"status", "--exit-code"}).exit_code, 0);
    const auto before = database->dump();
    for (const auto& args : std::vector<std::vector<std::string>>{{"down"}, {"redo"}}) {
        const auto r = db(args);
        EXPECT_EQ(r.exit_code, 1) << r.describe();
        EXPECT_THAT(r.err, HasSubstr("migrations/2020-02-01-000000_nickname/up.sql: error: cannot "
                                     "revert 20200201000000_nickname: it has no down script"));
        EXPECT_EQ(database->dump(), before);
    }
}

TEST_P(ReversibilityTest, ReversibleFromGrandfathersTheOlderHistory) {
    write_old_history();
    // Without it, every finding of the history fails the build.
    const auto strict = check({"--roundtrip", "--json"});
    EXPECT_EQ(strict.exit_code, 1) << strict.describe();
    auto findings = nlohmann::json::parse(strict.out);
    std::vector<std::string> seen;
    for (const auto& f : findings)
        seen.push_back(f.at("severity").get<std::string>() + " " + f.at("kind").get<std::string>() +
                       " " + f.at("version").get<std::string>());
    EXPECT_EQ(seen, (std::vector<std::string>{"error missing-down 20200201000000",
                                              "error roundtrip 20200301000000",
                                              "error roundtrip 20200401000000"}));

    // From 2020-05-01 on: the three are listed as warnings, and pass.
    const auto lenient = check({"--roundtrip", "--reversible-from", "2020-05-01-000000"});
    EXPECT_EQ(lenient.exit_code, 0) << lenient.describe();
    EXPECT_THAT(lenient.err,
                HasSubstr("migrations/2020-02-01-000000_nickname/down.sql:1: warning: down script "
                          "holds no SQL statement"));
    EXPECT_THAT(lenient.err, HasSubstr("warning: down script of 20200301000000_posts fails"));
    EXPECT_THAT(lenient.err,
                HasSubstr("warning: down script of 20200401000000_posts_index does not restore"));
    EXPECT_THAT(lenient.err, HasSubstr("older than 20200501000000, the reversible-from version"));

    // A version between two migrations counts by diesel's rule, and a note
    // says where the rule begins: a typo must not grandfather silently.
    const auto between = check({"--roundtrip", "--reversible-from", "2020-04-15"});
    EXPECT_EQ(between.exit_code, 0) << between.describe();
    EXPECT_THAT(between.err, HasSubstr("note: reversible-from version 20200415 names no "
                                       "migration; the first held to the round trip is "
                                       "20200501000000_tags"));

    // The rule holds for what comes after: a new migration's missing down fails.
    diesel("2020-06-01-000000_tag_label", "ALTER TABLE tags ADD COLUMN label TEXT;\n", "\n");
    const auto later = check({"--reversible-from", "2020-05-01-000000"});
    EXPECT_EQ(later.exit_code, 1) << later.describe();
    EXPECT_THAT(later.err, HasSubstr("migrations/2020-06-01-000000_tag_label/down.sql:1: error: "
                                     "down script holds no SQL statement"));
    EXPECT_THAT(later.err, HasSubstr("warning: down script holds no SQL statement"));
}

TEST_P(ReversibilityTest, AdoptAndBaselineSuggestTheReversibleFromVersion) {
    write_old_history();
    if (database->kind() == backend::sqlite)  // a database built by hand exists
        SQLite::Database((dir / "test.db").string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    for (const char* t : {"users", "posts", "tags"})
        database->exec("CREATE TABLE " + std::string(t) + " (id INTEGER PRIMARY KEY)");
    database->exec("ALTER TABLE users ADD COLUMN nickname TEXT");
    database->exec("CREATE INDEX posts_id ON posts (id)");
    std::vector<std::string> args = {"baseline", "--version", "2020-03-01-000000"};
    if (database->kind() == backend::postgres)
        args.insert(args.begin(), {"--postgres-url", strata::test::postgres_server_url()});
    // The tables of 0004 and 0005 exist already: baseline up to 0003 sees
    // drift, which --force accepts; the hint names the first migration after.
    args.push_back("--force");
    const auto r = db(args);
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_THAT(r.out, HasSubstr("hint: 1 of them have no down script; to hold only the "
                                 "migrations after these to the round trip, give "
                                 "add_migrations(... REVERSIBLE_FROM 20200401000000)"));
}

// sqlx's simple layout: plain `<v>_<name>.sql` files, one-way by design.
TEST_P(ReversibilityTest, PlainSqlxSetWorksThroughEveryCommandWithoutAFlag) {
    write_file(dir / "migrations/20240101000000_users.sql",
               "CREATE TABLE users (id INTEGER PRIMARY KEY);\n");
    write_file(dir / "migrations/20240102000000_posts.sql",
               "CREATE TABLE posts (id INTEGER PRIMARY KEY);\n");
    const auto up = db({"up"});
    ASSERT_EQ(up.exit_code, 0) << up.describe();
    EXPECT_EQ(db({"status", "--exit-code"}).exit_code, 0);
    EXPECT_EQ(db({"schema"}).exit_code, 0);
    const auto roundtrip = check({"--roundtrip"});
    EXPECT_EQ(roundtrip.exit_code, 0) << roundtrip.describe();
    EXPECT_THAT(roundtrip.err, Not(HasSubstr("down")));
    const auto before = database->dump();
    for (const auto& args : std::vector<std::vector<std::string>>{{"down"}, {"redo"}}) {
        const auto r = db(args);
        EXPECT_EQ(r.exit_code, 1) << r.describe();
        EXPECT_THAT(r.err, HasSubstr("cannot revert 20240102000000_posts: it is a plain sqlx "
                                     "migration (20240102000000_posts.sql), which is one-way"));
    }
    EXPECT_EQ(database->dump(), before);
    // `new` writes another plain file, as `sqlx migrate add` does here.
    const auto created = strata({"new", "tags"});
    ASSERT_EQ(created.exit_code, 0) << created.describe();
    EXPECT_THAT(created.out, HasSubstr("_tags.sql\n"));
    EXPECT_THAT(created.out, Not(HasSubstr(".up.sql")));
}

// sqlx lets plain and reversible files mix: the plain ones are one-way, the
// reversible ones are checked.
TEST_P(ReversibilityTest, MixedSqlxSetChecksOnlyItsReversibleFiles) {
    write_file(dir / "migrations/1_users.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY);\n");
    write_file(dir / "migrations/2_posts.up.sql", "CREATE TABLE posts (id INTEGER PRIMARY KEY);\n");
    write_file(dir / "migrations/2_posts.down.sql", "DROP TABLE post;\n");
    write_file(dir / "migrations/3_tags.up.sql", "CREATE TABLE tags (id INTEGER PRIMARY KEY);\n");
    const auto r = check({"--roundtrip"});
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_THAT(r.err,
                HasSubstr("migrations/2_posts.down.sql:1: error: down script of 2_posts fails"));
    EXPECT_THAT(r.err, HasSubstr("migrations/3_tags.up.sql: error: migration 3_tags has no down "
                                 "script; add migrations/3_tags.down.sql"));
    EXPECT_THAT(r.err, Not(HasSubstr("1_users")));
    const auto up = db({"up"});
    ASSERT_EQ(up.exit_code, 0) << up.describe();
    const auto down = db({"down"});
    EXPECT_EQ(down.exit_code, 1) << down.describe();
    EXPECT_THAT(down.err, HasSubstr("cannot revert 3_tags: it has no down script"));
}

// sqlx's own first line `-- no-transaction` (sqlx-core's migrate/source.rs):
// the statement that refuses a transaction block runs.
TEST_P(ReversibilityTest, SqlxNoTransactionDirectiveIsHonoured) {
    write_file(dir / "migrations/1_items.sql",
               "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT);\n");
    write_file(dir / "migrations/2_maintenance.sql",
               database->per_backend("-- no-transaction\nVACUUM;\n",
                                     "-- no-transaction\nCREATE INDEX CONCURRENTLY items_name ON "
                                     "items (name);\n"));
    const auto up = db({"up"});
    ASSERT_EQ(up.exit_code, 0) << up.describe();
    EXPECT_THAT(up.out, HasSubstr("applied 2_maintenance"));
    EXPECT_EQ(db({"status", "--exit-code"}).exit_code, 0);
}

// sqlx's `-- no-transaction` on a down script is that file's: a failing up
// script still rolls back whole, as sqlx rolls it back.
TEST_P(ReversibilityTest, DownScriptsNoTransactionLeavesTheUpInItsTransaction) {
    write_file(dir / "migrations/1_a.up.sql",
               "CREATE TABLE a (id INTEGER);\nCREATE TABLE a (id INTEGER);\n");
    write_file(dir / "migrations/1_a.down.sql", "-- no-transaction\nDROP TABLE a;\n");
    const auto up = db({"up"});
    EXPECT_EQ(up.exit_code, 1) << up.describe();
    EXPECT_THAT(up.err, HasSubstr("migration 1_a failed, rolled back"));
    EXPECT_EQ(status_of("1"), "pending");
    EXPECT_FALSE(database->has_table("a"));
}

// A script with its own `BEGIN; ... COMMIT;` (a real sqlx project has two):
// sqlx, diesel and dbmate run it on PostgreSQL, where their transaction ends
// at its COMMIT. Strata runs it in its own transaction, on both backends.
TEST_P(ReversibilityTest, ScriptThatOpensItsOwnTransactionRuns) {
    write_file(dir / "migrations/1_items.sql", "CREATE TABLE items (id INTEGER PRIMARY KEY);\n");
    write_file(dir / "migrations/2_soa.sql",
               "BEGIN;\nCREATE TABLE soa (id INTEGER PRIMARY KEY);\nINSERT INTO soa VALUES (1);\n"
               "COMMIT;\n");
    write_file(
        dir / "migrations/3_broken.sql",
        "BEGIN;\nCREATE TABLE half (id INTEGER);\nINSERT INTO nosuch VALUES (1);\nCOMMIT;\n");
    const auto up = db({"up"});
    EXPECT_EQ(up.exit_code, 1) << up.describe();
    EXPECT_THAT(up.out, HasSubstr("applied 2_soa"));
    EXPECT_THAT(up.err, HasSubstr("migrations/3_broken.sql:3: error: migration 3_broken failed"));
    // The failing one's own transaction took its table with it: it is pending.
    EXPECT_EQ(database->tables(), (std::vector<std::string>{"items", "soa"}));
    EXPECT_EQ(status_of("2"), "applied");
    EXPECT_EQ(status_of("3"), "pending");
}

INSTANTIATE_TEST_SUITE_P(Backends, ReversibilityTest,
                         ::testing::ValuesIn(strata::test::all_backends),
                         strata::test::backend_name());

}  // namespace
