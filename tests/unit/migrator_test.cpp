#include "strata/migrator.hpp"

#include <sqlite3.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "migrations/checksum.hpp"
#include "process.hpp"
#include "strata/error.hpp"
#include "strata/sqlite/database.hpp"
#include "strata/tracking.hpp"

namespace {

namespace fs = std::filesystem;
using strata::test::write_file;

// The tests' sets are in sqlx's layout: versions are numbers.
strata::migration_version v(const char* text) {
    return *strata::migration_version::parse(text, strata::version_rule::number);
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// A migration directory and a SQLite file in a fresh temporary directory.
class MigratorTest : public ::testing::Test {
  protected:
    fs::path dir() const { return tmp_ / "migrations"; }
    std::string db_path() const { return (tmp_ / "app.db").string(); }

    void add_sqlx(const std::string& stem, const std::string& up, const std::string& down) {
        write_file(dir() / (stem + ".up.sql"), up);
        write_file(dir() / (stem + ".down.sql"), down);
    }

    // Three migrations, the second outside a transaction: its statements on
    // lines 2 and 3 succeed, the one on line 4 fails on a table nobody
    // created, and line 5 would create a third table.
    void add_stopping_set() {
        add_sqlx("1_users", "CREATE TABLE users (id INTEGER);\n", "DROP TABLE users;\n");
        add_sqlx("2_split",
                 "-- strata:no-transaction\n"        // 1
                 "CREATE TABLE a (x INTEGER);\n"     // 2
                 "CREATE TABLE b (x INTEGER);\n"     // 3
                 "INSERT INTO nosuch VALUES (1);\n"  // 4
                 "CREATE TABLE c (x INTEGER);\n",    // 5
                 "DROP TABLE c;\nDROP TABLE b;\nDROP TABLE a;\n");
        add_sqlx("3_tags", "CREATE TABLE tags (x INTEGER);\n", "DROP TABLE tags;\n");
    }

    // The standard three: users, posts, tags.
    void add_three() {
        add_sqlx("1_users", "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n",
                 "DROP TABLE users;\n");
        add_sqlx("2_posts",
                 "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users);\n"
                 "CREATE INDEX posts_user ON posts (user_id);\n",
                 "DROP INDEX posts_user;\nDROP TABLE posts;\n");
        add_sqlx("3_tags", "CREATE TABLE tags (name TEXT NOT NULL);\n", "DROP TABLE tags;\n");
    }

    const strata::migration_set& read() {
        set_ = std::make_unique<strata::migration_set>(strata::read_migration_set(dir()));
        return *set_;
    }

    strata::sqlite_database& db() {
        if (!db_)
            db_ = std::make_unique<strata::sqlite_database>(db_path());
        return *db_;
    }

    // Reopens the file from scratch, as the next process would.
    void reopen() {
        db_.reset();
        db();
    }

    // The message of a call that must refuse (exit 1) before running anything.
    template <class Call>
    static std::string refusal(Call&& call) {
        try {
            call();
            ADD_FAILURE() << "expected strata::error";
        } catch (const strata::migration_error& e) {
            ADD_FAILURE() << "ran a migration: " << e.what();
        } catch (const strata::error& e) {
            EXPECT_EQ(e.kind(), strata::error_kind::check);
            return e.what();
        }
        return {};
    }

    // The error of a call that must fail running a migration.
    template <class Call>
    static std::optional<strata::migration_error> failure(Call&& call) {
        try {
            call();
            ADD_FAILURE() << "expected strata::migration_error";
        } catch (const strata::migration_error& e) {
            return e;
        }
        return std::nullopt;
    }

    strata::migrator make(const strata::migration_set& set, strata::migrator_options options = {}) {
        return strata::migrator(db(), set, std::move(options));
    }

    // Everything in sqlite_schema, read through a separate connection so that
    // only committed state is seen.
    std::vector<std::string> schema() const {
        SQLite::Database check(db_path(), SQLite::OPEN_READONLY);
        SQLite::Statement q(check,
                            "SELECT type || ' ' || name || ' ' || coalesce(sql, '') "
                            "FROM sqlite_schema ORDER BY type, name");
        std::vector<std::string> out;
        while (q.executeStep())
            out.push_back(q.getColumn(0).getString());
        return out;
    }

    std::vector<std::string> user_tables() const {
        SQLite::Database check(db_path(), SQLite::OPEN_READONLY);
        SQLite::Statement q(check,
                            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT "
                            "LIKE 'sqlite_%' AND name <> '_strata_migrations' ORDER BY name");
        std::vector<std::string> out;
        while (q.executeStep())
            out.push_back(q.getColumn(0).getString());
        return out;
    }

    // "version name state statements_done" of every tracking row, by version.
    std::vector<std::string> tracking() const {
        SQLite::Database check(db_path(), SQLite::OPEN_READONLY);
        if (!check.tableExists("_strata_migrations"))
            return {};
        SQLite::Statement q(check,
                            "SELECT version || ' ' || name || ' ' || state || ' ' || "
                            "statements_done FROM _strata_migrations ORDER BY CAST(version AS "
                            "INTEGER)");
        std::vector<std::string> out;
        while (q.executeStep())
            out.push_back(q.getColumn(0).getString());
        return out;
    }

    static std::vector<std::string> describe(const strata::run_report& report) {
        std::vector<std::string> out;
        for (const auto& s : report.steps)
            out.push_back(std::string(s.dir == strata::direction::up ? "up " : "down ") +
                          s.m->id());
        return out;
    }

    static std::vector<std::string> describe(const std::vector<strata::status_row>& rows) {
        std::vector<std::string> out;
        for (const auto& r : rows)
            out.push_back(std::string(strata::to_string(r.status)) + " " + r.version);
        return out;
    }

    strata::test::scratch_directory tmp_;
    std::unique_ptr<strata::migration_set> set_;
    std::unique_ptr<strata::sqlite_database> db_;
};

using strings = std::vector<std::string>;

// ---------------------------------------------------------------- up

TEST_F(MigratorTest, UpAppliesInOrderAndRecords) {
    add_three();
    const auto& set = read();
    ASSERT_TRUE(set.ok());
    const std::string before = strata::utc_timestamp();

    strings started;
    strata::migrator_options options;
    options.on_start = [&](const strata::migration& m, strata::direction d) {
        started.push_back((d == strata::direction::up ? "up " : "down ") + m.id());
    };
    auto m = make(set, options);
    auto report = m.up();
    const std::string after = strata::utc_timestamp();

    EXPECT_EQ(describe(report), (strings{"up 1_users", "up 2_posts", "up 3_tags"}));
    EXPECT_EQ(started, (strings{"up 1_users", "up 2_posts", "up 3_tags"}));
    EXPECT_EQ(user_tables(), (strings{"posts", "tags", "users"}));
    EXPECT_EQ(tracking(), (strings{"1 users applied 0", "2 posts applied 0", "3 tags applied 0"}));
    EXPECT_EQ(describe(m.status()), (strings{"applied 1", "applied 2", "applied 3"}));

    reopen();  // `m` refers to the closed connection from here on
    auto rows = db().applied_migrations();
    ASSERT_EQ(rows.size(), 3u);
    const std::regex iso(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)");
    const strings names{"users", "posts", "tags"};
    for (std::size_t i = 0; i < rows.size(); ++i) {
        SCOPED_TRACE(i);
        EXPECT_EQ(rows[i].version, std::to_string(i + 1));
        EXPECT_EQ(rows[i].name, names[i]);
        EXPECT_EQ(rows[i].checksum, set.migrations[i].checksum);
        EXPECT_EQ(rows[i].checksum, strata::sha256_hex(set.migrations[i].up.sql));
        EXPECT_TRUE(std::regex_match(rows[i].applied_at, iso)) << rows[i].applied_at;
        EXPECT_LE(before, rows[i].applied_at);
        EXPECT_LE(rows[i].applied_at, after);
        EXPECT_EQ(rows[i].state, strata::record_state::applied);
        EXPECT_GE(rows[i].execution_ms, 0);
    }
}

TEST_F(MigratorTest, SecondUpDoesNothing) {
    add_three();
    auto m = make(read());
    m.up();
    const auto schema_before = schema();
    auto report = m.up();
    EXPECT_TRUE(report.steps.empty());
    EXPECT_EQ(schema(), schema_before);
}

TEST_F(MigratorTest, UpAppliesOnlyPendingInNumericOrder) {
    for (int i : {10, 2, 1, 28, 9})
        add_sqlx(std::to_string(i) + "_t" + std::to_string(i),
                 "CREATE TABLE t" + std::to_string(i) + " (x INTEGER);\n",
                 "DROP TABLE t" + std::to_string(i) + ";\n");
    auto m = make(read());
    strata::up_options to;
    to.to = v("2");
    EXPECT_EQ(describe(m.up(to)), (strings{"up 1_t1", "up 2_t2"}));
    EXPECT_EQ(describe(m.up()), (strings{"up 9_t9", "up 10_t10", "up 28_t28"}));
}

TEST_F(MigratorTest, UpToStopsAtTheVersion) {
    add_three();
    auto m = make(read());
    strata::up_options options;
    options.to = v("2");
    EXPECT_EQ(describe(m.up(options)), (strings{"up 1_users", "up 2_posts"}));
    EXPECT_EQ(describe(m.status()), (strings{"applied 1", "applied 2", "pending 3"}));
    EXPECT_EQ(user_tables(), (strings{"posts", "users"}));
}

TEST_F(MigratorTest, UpToUnknownVersionIsAUsageError) {
    add_three();
    auto m = make(read());
    strata::up_options options;
    options.to = v("7");
    try {
        m.up(options);
        FAIL() << "expected strata::error";
    } catch (const strata::error& e) {
        EXPECT_EQ(e.kind(), strata::error_kind::usage);
    }
    EXPECT_TRUE(user_tables().empty());
}

TEST_F(MigratorTest, DryRunChangesNothing) {
    add_three();
    auto m = make(read());
    strata::up_options options;
    options.dry_run = true;
    EXPECT_EQ(describe(m.up(options)), (strings{"up 1_users", "up 2_posts", "up 3_tags"}));
    EXPECT_TRUE(schema().empty());
}

TEST_F(MigratorTest, DieselVersionsAreStoredAsDigits) {
    write_file(dir() / "2025-01-20-120000_create_users/up.sql",
               "CREATE TABLE users (id INTEGER);\n");
    write_file(dir() / "2025-01-20-120000_create_users/down.sql", "DROP TABLE users;\n");
    write_file(dir() / "00000000000000_diesel_initial_setup/up.sql",
               "CREATE TABLE s (x INTEGER);\n");
    write_file(dir() / "00000000000000_diesel_initial_setup/down.sql", "DROP TABLE s;\n");
    auto m = make(read());
    EXPECT_EQ(describe(m.up()), (strings{"up 00000000000000_diesel_initial_setup",
                                         "up 20250120120000_create_users"}));
    auto rows = db().applied_migrations();
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].version, "00000000000000");
    EXPECT_EQ(rows[1].version, "20250120120000");
    EXPECT_EQ(rows[1].name, "create_users");
}

TEST_F(MigratorTest, ConstructorRejectsAnInvalidSet) {
    write_file(dir() / "1_a.sql", "-- strata:nope\nCREATE TABLE a (x INTEGER);\n");
    const auto& set = read();
    try {
        strata::migrator m(db(), set);
        FAIL() << "expected strata::error";
    } catch (const strata::error& e) {
        EXPECT_EQ(e.kind(), strata::error_kind::check);
        EXPECT_EQ(e.where().file, (dir() / "1_a.sql").generic_string());
    }
}

TEST_F(MigratorTest, CustomTrackingTable) {
    add_three();
    const auto& set = read();
    strata::sqlite_options options;
    options.tracking_table = "schema_history";
    strata::sqlite_database custom(db_path(), options);
    strata::migrator m(custom, set);
    m.up();
    SQLite::Database check(db_path(), SQLite::OPEN_READONLY);
    EXPECT_TRUE(check.tableExists("schema_history"));
    EXPECT_FALSE(check.tableExists("_strata_migrations"));
    EXPECT_EQ(check.execAndGet("SELECT count(*) FROM schema_history").getInt(), 3);
}

// ---------------------------------------------------------------- failures

TEST_F(MigratorTest, FailingStatementPointsAtItsLineAndRollsBack) {
    add_sqlx("1_users", "CREATE TABLE users (id INTEGER);\n", "DROP TABLE users;\n");
    add_sqlx("2_bad",
             "-- Two tables, then a mistake.\n"  // 1
             "CREATE TABLE a (x INTEGER);\n"     // 2
             "\n"                                // 3
             "CREATE TABLE b (y INTEGER);\n"     // 4
             "INSERT INTO nosuch VALUES (1);\n"  // 5
             "CREATE TABLE c (z INTEGER);\n",    // 6
             "DROP TABLE c;\nDROP TABLE b;\nDROP TABLE a;\n");
    auto m = make(read());
    strata::up_options first;
    first.to = v("1");
    m.up(first);
    const auto schema_before = schema();
    const auto tracking_before = tracking();
    ASSERT_EQ(tracking_before, (strings{"1 users applied 0"}));

    const auto e = failure([&] { m.up(); });
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->kind(), strata::error_kind::check);
    EXPECT_EQ(e->version(), "2");
    EXPECT_EQ(e->where().file, (dir() / "2_bad.up.sql").generic_string());
    EXPECT_EQ(e->where().line, 5);
    EXPECT_EQ(e->database_message(), "no such table: nosuch");
    EXPECT_TRUE(contains(e->what(), "no such table: nosuch")) << e->what();
    EXPECT_TRUE(contains(e->what(), "2_bad")) << e->what();
    EXPECT_EQ(schema(), schema_before);
    EXPECT_EQ(tracking(), tracking_before);
    EXPECT_EQ(describe(m.status()), (strings{"applied 1", "pending 2"}));
}

TEST_F(MigratorTest, RuntimeFailurePointsAtTheStatementStart) {
    add_sqlx("1_bad",
             "CREATE TABLE a (x INTEGER NOT NULL);\n"  // 1
             "INSERT INTO a VALUES (1);\n"             // 2
             "-- and now a NULL\n"                     // 3
             "INSERT INTO a\n"                         // 4
             "  VALUES (NULL);\n",                     // 5
             "DROP TABLE a;\n");
    auto m = make(read());
    const auto e = failure([&] { m.up(); });
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->version(), "1");
    EXPECT_EQ(e->where().file, (dir() / "1_bad.up.sql").generic_string());
    EXPECT_EQ(e->where().line, 4);
    EXPECT_EQ(e->database_message(), "NOT NULL constraint failed: a.x");
    EXPECT_TRUE(user_tables().empty());
    EXPECT_TRUE(tracking().empty());
}

TEST_F(MigratorTest, DbmateFailureLineCountsFromTheFileStart) {
    write_file(dir() / "20250120120000_bad.sql",
               "-- A dbmate migration.\n"       // 1
               "-- migrate:up\n"                // 2
               "CREATE TABLE a (x INTEGER);\n"  // 3
               "CREATE TABLE b (x INTEGER);\n"  // 4
               "SELECT * FROM nowhere;\n"       // 5
               "\n"                             // 6
               "-- migrate:down\n"              // 7
               "DROP TABLE b;\n"                // 8
               "DROP TABLE a;\n");              // 9
    auto m = make(read());
    const auto e = failure([&] { m.up(); });
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->where().file, (dir() / "20250120120000_bad.sql").generic_string());
    EXPECT_EQ(e->where().line, 5);
    EXPECT_EQ(e->database_message(), "no such table: nowhere");
    EXPECT_TRUE(user_tables().empty());
}

TEST_F(MigratorTest, DbmateDownFailureLineCountsFromTheFileStart) {
    write_file(dir() / "20250120120000_t.sql",
               "-- migrate:up\n"                // 1
               "CREATE TABLE t (x INTEGER);\n"  // 2
               "-- migrate:down\n"              // 3
               "DROP TABLE t;\n"                // 4
               "DROP TABLE t_missing;\n");      // 5
    auto m = make(read());
    m.up();
    const auto e = failure([&] { m.down(); });
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->where().line, 5);
    EXPECT_EQ(e->database_message(), "no such table: t_missing");
    EXPECT_EQ(user_tables(), (strings{"t"}));
    EXPECT_EQ(tracking(), (strings{"20250120120000 t applied 0"}));
}

TEST_F(MigratorTest, SingleTransactionRollsBackEverything) {
    add_sqlx("1_users", "CREATE TABLE users (id INTEGER);\n", "DROP TABLE users;\n");
    add_sqlx("2_posts", "CREATE TABLE posts (id INTEGER);\n", "DROP TABLE posts;\n");
    add_sqlx("3_bad", "CREATE TABLE c (x INTEGER);\nCREATE TABLE d (x INTEGER);\nBOGUS;\n",
             "DROP TABLE d;\nDROP TABLE c;\n");
    db().ensure_tracking_table();
    const auto schema_before = schema();
    auto m = make(read());
    strata::up_options options;
    options.single_transaction = true;
    const auto e = failure([&] { m.up(options); });
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->version(), "3");
    EXPECT_EQ(e->where().file, (dir() / "3_bad.up.sql").generic_string());
    EXPECT_EQ(e->where().line, 3);
    EXPECT_EQ(schema(), schema_before);
    EXPECT_TRUE(tracking().empty());
    EXPECT_EQ(describe(m.status()), (strings{"pending 1", "pending 2", "pending 3"}));
}

TEST_F(MigratorTest, SingleTransactionAppliesAll) {
    add_three();
    auto m = make(read());
    strata::up_options options;
    options.single_transaction = true;
    EXPECT_EQ(describe(m.up(options)), (strings{"up 1_users", "up 2_posts", "up 3_tags"}));
    EXPECT_EQ(tracking(), (strings{"1 users applied 0", "2 posts applied 0", "3 tags applied 0"}));
    EXPECT_EQ(user_tables(), (strings{"posts", "tags", "users"}));
}

TEST_F(MigratorTest, SingleTransactionRefusesANoTransactionMigration) {
    add_sqlx("1_users", "CREATE TABLE users (id INTEGER);\n", "DROP TABLE users;\n");
    add_sqlx("2_vacuum", "-- strata:no-transaction\nVACUUM;\n", "SELECT 1;\n");
    auto m = make(read());
    strata::up_options options;
    options.single_transaction = true;
    try {
        m.up(options);
        FAIL() << "expected strata::error";
    } catch (const strata::error& e) {
        EXPECT_EQ(e.kind(), strata::error_kind::usage);
        EXPECT_EQ(e.where().file, (dir() / "2_vacuum.up.sql").generic_string());
    }
    EXPECT_TRUE(user_tables().empty());
}

TEST_F(MigratorTest, NoTransactionMigrationSucceeds) {
    add_sqlx("1_users", "CREATE TABLE users (id INTEGER, name TEXT);\n", "DROP TABLE users;\n");
    add_sqlx("2_index",
             "-- strata:no-transaction\nCREATE INDEX users_name ON users (name);\nVACUUM;\n",
             "DROP INDEX users_name;\n");
    auto m = make(read());
    EXPECT_EQ(describe(m.up()), (strings{"up 1_users", "up 2_index"}));
    EXPECT_EQ(tracking(), (strings{"1 users applied 0", "2 index applied 2"}));
    EXPECT_EQ(describe(m.status()), (strings{"applied 1", "applied 2"}));
    EXPECT_EQ(describe(m.down()), (strings{"down 2_index"}));
    EXPECT_EQ(tracking(), (strings{"1 users applied 0"}));
}

TEST_F(MigratorTest, NoTransactionMigrationFailingInItsFirstStatementStaysPending) {
    add_sqlx("1_split",
             "-- strata:no-transaction\n"
             "INSERT INTO nosuch VALUES (1);\n"
             "CREATE TABLE a (x INTEGER);\n",
             "DROP TABLE a;\n");
    const auto& set = read();
    auto m = make(set);
    EXPECT_THROW(m.up(), strata::migration_error);
    EXPECT_EQ(user_tables(), strings{});
    EXPECT_EQ(tracking(), strings{});
    reopen();
    EXPECT_EQ(describe(strata::compute_status(set, db().applied_migrations())),
              (strings{"pending 1"}));
}

TEST_F(MigratorTest, FailedNoTransactionMigrationIsPartialAndBlocksUp) {
    add_stopping_set();
    const auto& set = read();
    ASSERT_FALSE(set.migrations[1].run_in_transaction);
    auto m = make(set);
    const auto e = failure([&] { m.up(); });
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->version(), "2");
    EXPECT_EQ(e->where().file, (dir() / "2_split.up.sql").generic_string());
    EXPECT_EQ(e->where().line, 4);
    EXPECT_EQ(e->database_message(), "no such table: nosuch");
    // What ran outside a transaction stays; what followed never ran.
    EXPECT_EQ(user_tables(), (strings{"a", "b", "users"}));
    EXPECT_EQ(tracking(), (strings{"1 users applied 0", "2 split running 2"}));

    reopen();
    auto rows = strata::compute_status(set, db().applied_migrations());
    EXPECT_EQ(describe(rows), (strings{"applied 1", "partial 2", "pending 3"}));
    ASSERT_TRUE(rows[1].record.has_value());
    EXPECT_EQ(rows[1].record->statements_done, 2);
    EXPECT_EQ(rows[1].record->state, strata::record_state::running);

    auto again = make(set);
    const std::string refused = refusal([&] { again.up(); });
    EXPECT_TRUE(contains(refused, "partial")) << refused;
    EXPECT_TRUE(contains(refused, "2_split")) << refused;
    EXPECT_EQ(user_tables(), (strings{"a", "b", "users"}));
    // Even allow_modified and ignore_missing do not cover a partial run.
    strata::up_options lenient;
    lenient.allow_modified = true;
    lenient.ignore_missing = true;
    EXPECT_THROW(again.up(lenient), strata::error);
    EXPECT_EQ(user_tables(), (strings{"a", "b", "users"}));
    // Nor can it be reverted.
    EXPECT_THROW(again.down(), strata::error);
    EXPECT_EQ(tracking(), (strings{"1 users applied 0", "2 split running 2"}));
}

// The partial run of FailedNoTransactionMigrationIsPartialAndBlocksUp: two
// statements done, the third (line 4) failed on a table nobody created.
class ResumeTest : public MigratorTest {
  protected:
    void SetUp() override {
        add_stopping_set();
        auto m = make(read());
        EXPECT_THROW(m.up(), strata::migration_error);
        ASSERT_EQ(tracking(), (strings{"1 users applied 0", "2 split running 2"}));
    }

    strata::up_options resume() const {
        strata::up_options options;
        options.resume = true;
        return options;
    }
};

TEST_F(ResumeTest, UpNamesTheStatementWhereItStopped) {
    reopen();
    auto m = make(read());
    const std::string refused = refusal([&] { m.up(); });
    const std::string where = (dir() / "2_split.up.sql").generic_string() + ":4";
    EXPECT_TRUE(contains(refused, "stopped after 2 statement(s): statement 3 (" + where + ")"))
        << refused;
    EXPECT_TRUE(contains(refused, "then resume it from there")) << refused;
    EXPECT_EQ(tracking(), (strings{"1 users applied 0", "2 split running 2"}));
}

TEST_F(ResumeTest, ContinuesAfterTheLastFinishedStatement) {
    // The user repairs what statement 3 needs; statements 1 and 2 must not run
    // again (they would fail: the tables exist).
    db().connection().exec("CREATE TABLE nosuch (x INTEGER)");
    reopen();
    auto m = make(read());
    const auto report = m.up(resume());
    ASSERT_EQ(report.steps.size(), 2u);
    EXPECT_EQ(report.steps[0].m->name, "split");
    EXPECT_EQ(report.steps[1].m->name, "tags");
    EXPECT_EQ(user_tables(), (strings{"a", "b", "c", "nosuch", "tags", "users"}));
    EXPECT_EQ(tracking(), (strings{"1 users applied 0", "2 split applied 4", "3 tags applied 0"}));
    EXPECT_EQ(db().connection().execAndGet("SELECT count(*) FROM nosuch").getInt(), 1);
}

TEST_F(ResumeTest, FailingAgainKeepsThePartialRecord) {
    reopen();
    auto m = make(read());
    EXPECT_THROW(m.up(resume()), strata::migration_error);
    EXPECT_EQ(user_tables(), (strings{"a", "b", "users"}));
    EXPECT_EQ(tracking(), (strings{"1 users applied 0", "2 split running 2"}));
}

TEST_F(ResumeTest, RefusesAFileThatChangedSinceItStopped) {
    write_file(dir() / "2_split.up.sql",
               "-- strata:no-transaction\n"
               "CREATE TABLE a (x INTEGER);\n"
               "CREATE TABLE b (x INTEGER);\n"
               "CREATE TABLE c (x INTEGER);\n");
    reopen();
    auto m = make(read());
    const std::string refused = refusal([&] { m.up(resume()); });
    EXPECT_TRUE(contains(refused, "its up script changed since")) << refused;
    EXPECT_TRUE(contains(refused, "restore the file")) << refused;
    EXPECT_EQ(user_tables(), (strings{"a", "b", "users"}));
    EXPECT_EQ(tracking(), (strings{"1 users applied 0", "2 split running 2"}));
}

TEST_F(ResumeTest, NothingToResumeIsAnOrdinaryUp) {
    add_sqlx("4_more", "CREATE TABLE more (x INTEGER);\n", "DROP TABLE more;\n");
    write_file(dir() / "2_split.up.sql", "-- strata:no-transaction\nCREATE TABLE a (x INTEGER);\n");
    db().connection().exec("DELETE FROM _strata_migrations WHERE version = '2'");
    db().connection().exec("DROP TABLE a; DROP TABLE b");
    reopen();
    auto m = make(read());
    EXPECT_EQ(m.up(resume()).steps.size(), 3u);
    EXPECT_EQ(user_tables(), (strings{"a", "more", "tags", "users"}));
}

TEST_F(ResumeTest, EveryStatementFinishedButUnrecordedIsNamedAndResumeRecordsIt) {
    // Killed between the last statement and the final record.
    db().connection().exec("UPDATE _strata_migrations SET statements_done = 4 WHERE version = '2'");
    reopen();
    auto m = make(read());
    const std::string refused = refusal([&] { m.up(); });
    EXPECT_TRUE(contains(refused, "all 4 of its statements finished")) << refused;
    m.up(resume());  // runs none of them again: statement 3 would fail
    EXPECT_EQ(user_tables(), (strings{"a", "b", "tags", "users"}));
    EXPECT_EQ(tracking(), (strings{"1 users applied 0", "2 split applied 4", "3 tags applied 0"}));
}

TEST_F(ResumeTest, RefusesAMigrationThatNowRunsInATransaction) {
    write_file(dir() / "2_split.up.sql",
               "CREATE TABLE a (x INTEGER);\n"
               "CREATE TABLE b (x INTEGER);\n"
               "INSERT INTO nosuch VALUES (1);\n"
               "CREATE TABLE c (x INTEGER);\n");
    reopen();
    auto m = make(read());
    const std::string refused = refusal([&] { m.up(resume()); });
    EXPECT_TRUE(contains(refused, "and now runs in one")) << refused;
    EXPECT_EQ(tracking(), (strings{"1 users applied 0", "2 split running 2"}));
}

TEST_F(MigratorTest, ScriptsOwnTransactionIsRolledBackWithItsProgress) {
    add_sqlx("1_own",
             "-- strata:no-transaction\n"
             "BEGIN;\n"
             "CREATE TABLE a (x INTEGER);\n"
             "INSERT INTO nosuch VALUES (1);\n"
             "COMMIT;\n",
             "DROP TABLE a;\n");
    auto m = make(read());
    const auto e = failure([&] { m.up(); });
    ASSERT_TRUE(e.has_value());
    EXPECT_TRUE(contains(e->what(), "after 0 statement(s)")) << e->what();
    // The connection is out of the script's transaction, which took its
    // table and its progress with it: the migration is simply pending.
    EXPECT_TRUE(sqlite3_get_autocommit(db().connection().getHandle()));
    EXPECT_EQ(user_tables(), strings{});
    EXPECT_EQ(tracking(), strings{});
}

TEST_F(MigratorTest, DeferredForeignKeyFailsItsStatementOutsideATransaction) {
    add_sqlx("1_users", "CREATE TABLE users (id INTEGER PRIMARY KEY);\n", "DROP TABLE users;\n");
    add_sqlx("2_posts",
             "-- strata:no-transaction\n"
             "CREATE TABLE posts (id INTEGER, user_id INTEGER REFERENCES users "
             "DEFERRABLE INITIALLY DEFERRED);\n"
             "INSERT INTO posts VALUES (1, 42);\n",
             "DROP TABLE posts;\n");
    auto m = make(read());
    const auto e = failure([&] { m.up(); });
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->where().line, 3);
    EXPECT_EQ(e->database_message(), "FOREIGN KEY constraint failed");
    EXPECT_EQ(tracking(), (strings{"1 users applied 0", "2 posts running 1"}));
    EXPECT_EQ(db().connection().execAndGet("SELECT count(*) FROM posts").getInt(), 0);
}

TEST_F(MigratorTest, NoTransactionStatementCommitsWithItsProgress) {
    // SQLite runs each statement with its progress record in one transaction:
    // when recording fails, the statement is undone too, so a crash between
    // the two cannot make a resume run it twice.
    strata::script s{"CREATE TABLE one (x INTEGER);\nCREATE TABLE two (x INTEGER);\n", "split.sql",
                     1};
    EXPECT_THROW(db().execute(s,
                              [](int finished) {
                                  if (finished == 2)
                                      throw std::runtime_error("recording failed");
                              }),
                 std::runtime_error);
    EXPECT_EQ(user_tables(), strings{"one"});
}

TEST_F(MigratorTest, StatementLocationsCountAsExecuteDoes) {
    strata::script s{
        "-- header\n"                                     // 10
        "CREATE TABLE t (x INTEGER);\n"                   // 11
        ";\n"                                             // 12
        "CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN\n"  // 13
        "  SELECT 1; SELECT 2;\n"                         // 14
        "END;\n"                                          // 15
        "/* a comment; with a semicolon */\n"             // 16
        "INSERT INTO t VALUES (1);\n",                    // 17
        "s.sql", 10};
    EXPECT_EQ(db().statement_location(s, 0)->line, 11);
    EXPECT_EQ(db().statement_location(s, 1)->line, 13);
    EXPECT_EQ(db().statement_location(s, 2)->line, 17);
    EXPECT_FALSE(db().statement_location(s, 3).has_value());
    // Resuming at the INSERT runs only the INSERT: the table must exist.
    db().connection().exec("CREATE TABLE t (x INTEGER)");
    int last = 0;
    db().execute(
        s, [&](int finished) { last = finished; }, 2);
    EXPECT_EQ(last, 3);
    EXPECT_EQ(db().connection().execAndGet("SELECT count(*) FROM t").getInt(), 1);
}

TEST_F(MigratorTest, NoTransactionMigrationCannotLeaveForeignKeysOff) {
    // The SQLite table-rebuild recipe turns foreign keys off outside a
    // transaction; the connection must get them back afterwards.
    add_sqlx("1_users", "CREATE TABLE users (id INTEGER PRIMARY KEY);\n", "DROP TABLE users;\n");
    add_sqlx("2_rebuild",
             "-- strata:no-transaction\n"
             "PRAGMA foreign_keys = OFF;\n"
             "CREATE TABLE users_new (id INTEGER PRIMARY KEY, name TEXT);\n"
             "INSERT INTO users_new (id) SELECT id FROM users;\n"
             "DROP TABLE users;\n"
             "ALTER TABLE users_new RENAME TO users;\n",
             "SELECT 1;\n");
    auto m = make(read());
    ASSERT_EQ(db().connection().execAndGet("PRAGMA foreign_keys").getInt(), 1);
    m.up();
    EXPECT_EQ(db().connection().execAndGet("PRAGMA foreign_keys").getInt(), 1);
    EXPECT_EQ(tracking(), (strings{"1 users applied 0", "2 rebuild applied 5"}));
}

TEST_F(MigratorTest, StatusOnAFreshDatabaseWritesNothing) {
    add_three();
    auto m = make(read());
    EXPECT_EQ(describe(m.status()), (strings{"pending 1", "pending 2", "pending 3"}));
    EXPECT_TRUE(schema().empty());
}

// ---------------------------------------------------------------- down and redo

TEST_F(MigratorTest, DownRevertsTheLatest) {
    add_three();
    auto m = make(read());
    m.up();
    EXPECT_EQ(describe(m.down()), (strings{"down 3_tags"}));
    EXPECT_EQ(user_tables(), (strings{"posts", "users"}));
    EXPECT_EQ(tracking(), (strings{"1 users applied 0", "2 posts applied 0"}));
    EXPECT_EQ(describe(m.status()), (strings{"applied 1", "applied 2", "pending 3"}));
}

TEST_F(MigratorTest, DownSteps) {
    add_three();
    auto m = make(read());
    m.up();
    strata::down_options options;
    options.steps = 2;
    EXPECT_EQ(describe(m.down(options)), (strings{"down 3_tags", "down 2_posts"}));
    EXPECT_EQ(user_tables(), (strings{"users"}));
    EXPECT_EQ(tracking(), (strings{"1 users applied 0"}));
}

TEST_F(MigratorTest, DownTo) {
    add_three();
    auto m = make(read());
    m.up();
    strata::down_options options;
    options.to = v("1");
    EXPECT_EQ(describe(m.down(options)), (strings{"down 3_tags", "down 2_posts"}));
    EXPECT_EQ(user_tables(), (strings{"users"}));
    EXPECT_EQ(tracking(), (strings{"1 users applied 0"}));
    // Nothing is applied after 1 any more.
    EXPECT_TRUE(m.down(options).steps.empty());
}

TEST_F(MigratorTest, DownToZeroRevertsEverything) {
    add_three();
    auto m = make(read());
    m.up();
    strata::down_options options;
    options.to = v("0");
    EXPECT_EQ(describe(m.down(options)), (strings{"down 3_tags", "down 2_posts", "down 1_users"}));
    EXPECT_TRUE(user_tables().empty());
    EXPECT_TRUE(tracking().empty());
}

TEST_F(MigratorTest, DownToUnknownVersionIsAUsageError) {
    add_three();
    auto m = make(read());
    m.up();
    strata::down_options options;
    options.to = v("5");
    try {
        m.down(options);
        FAIL() << "expected strata::error";
    } catch (const strata::error& e) {
        EXPECT_EQ(e.kind(), strata::error_kind::usage);
    }
    EXPECT_EQ(user_tables(), (strings{"posts", "tags", "users"}));
}

TEST_F(MigratorTest, DownAll) {
    add_three();
    auto m = make(read());
    m.up();
    strata::down_options options;
    options.all = true;
    EXPECT_EQ(describe(m.down(options)), (strings{"down 3_tags", "down 2_posts", "down 1_users"}));
    EXPECT_TRUE(user_tables().empty());
    EXPECT_TRUE(tracking().empty());
    EXPECT_EQ(describe(m.status()), (strings{"pending 1", "pending 2", "pending 3"}));
    // Applies again from scratch.
    EXPECT_EQ(describe(m.up()), (strings{"up 1_users", "up 2_posts", "up 3_tags"}));
}

TEST_F(MigratorTest, DownWithNothingAppliedDoesNothing) {
    add_three();
    auto m = make(read());
    EXPECT_TRUE(m.down().steps.empty());
}

TEST_F(MigratorTest, DownDryRunChangesNothing) {
    add_three();
    auto m = make(read());
    m.up();
    const auto before = schema();
    strata::down_options options;
    options.all = true;
    options.dry_run = true;
    EXPECT_EQ(describe(m.down(options)), (strings{"down 3_tags", "down 2_posts", "down 1_users"}));
    EXPECT_EQ(schema(), before);
}

TEST_F(MigratorTest, FailingDownRollsBack) {
    add_sqlx("1_users", "CREATE TABLE users (id INTEGER);\n", "DROP TABLE users;\n");
    add_sqlx("2_posts", "CREATE TABLE posts (id INTEGER);\n",
             "DROP TABLE posts;\nDROP TABLE not_there;\n");
    auto m = make(read());
    m.up();
    const auto before = schema();
    const auto e = failure([&] { m.down(); });
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->version(), "2");
    EXPECT_EQ(e->where().file, (dir() / "2_posts.down.sql").generic_string());
    EXPECT_EQ(e->where().line, 2);
    EXPECT_EQ(e->database_message(), "no such table: not_there");
    EXPECT_EQ(schema(), before);
    EXPECT_EQ(tracking(), (strings{"1 users applied 0", "2 posts applied 0"}));
}

TEST_F(MigratorTest, Redo) {
    add_three();
    auto m = make(read());
    m.up();
    EXPECT_EQ(describe(m.redo()), (strings{"down 3_tags", "up 3_tags"}));
    EXPECT_EQ(user_tables(), (strings{"posts", "tags", "users"}));
    EXPECT_EQ(tracking(), (strings{"1 users applied 0", "2 posts applied 0", "3 tags applied 0"}));
}

TEST_F(MigratorTest, RedoSteps) {
    add_three();
    auto m = make(read());
    m.up();
    EXPECT_EQ(describe(m.redo(2)),
              (strings{"down 3_tags", "down 2_posts", "up 2_posts", "up 3_tags"}));
    EXPECT_EQ(user_tables(), (strings{"posts", "tags", "users"}));
    EXPECT_EQ(describe(m.status()), (strings{"applied 1", "applied 2", "applied 3"}));
}

TEST_F(MigratorTest, IrreversibleRefusesDown) {
    add_sqlx("1_users", "CREATE TABLE users (id INTEGER);\n", "DROP TABLE users;\n");
    write_file(dir() / "2_legacy.sql",
               "-- strata:irreversible\nCREATE TABLE legacy (x INTEGER);\n");
    const auto& set = read();
    ASSERT_TRUE(set.ok());
    ASSERT_EQ(set.migrations[1].reversal, strata::reversal::irreversible);
    auto m = make(set);
    m.up();
    const auto before = schema();
    try {
        m.down();
        FAIL() << "expected strata::error";
    } catch (const strata::error& e) {
        EXPECT_EQ(e.kind(), strata::error_kind::check);
        EXPECT_EQ(e.where().file, (dir() / "2_legacy.sql").generic_string());
        EXPECT_TRUE(contains(e.what(), "irreversible")) << e.what();
    }
    strata::down_options all;
    all.all = true;
    EXPECT_THROW(m.down(all), strata::error);
    EXPECT_THROW(m.redo(), strata::error);
    EXPECT_EQ(schema(), before);
    EXPECT_EQ(tracking(), (strings{"1 users applied 0", "2 legacy applied 0"}));
}

TEST_F(MigratorTest, DownToBelowAnIrreversibleMigrationIsRefusedBeforeAnythingRuns) {
    add_sqlx("1_users", "CREATE TABLE users (id INTEGER);\n", "DROP TABLE users;\n");
    write_file(dir() / "2_legacy.sql",
               "-- strata:irreversible\nCREATE TABLE legacy (x INTEGER);\n");
    add_sqlx("3_tags", "CREATE TABLE tags (x INTEGER);\n", "DROP TABLE tags;\n");
    auto m = make(read());
    m.up();
    strata::down_options options;
    options.to = v("1");
    EXPECT_THROW(m.down(options), strata::error);
    // Not even 3 was reverted: the plan is refused as a whole.
    EXPECT_EQ(user_tables(), (strings{"legacy", "tags", "users"}));
    // Down to 2 only touches 3.
    options.to = v("2");
    EXPECT_EQ(describe(m.down(options)), (strings{"down 3_tags"}));
}

// sqlx's plain files have no down script by design: applying them needs
// nothing, reverting one is refused by name before anything runs.
TEST_F(MigratorTest, OneWaySqlxFileAppliesAndRefusesDown) {
    add_sqlx("1_users", "CREATE TABLE users (id INTEGER);\n", "DROP TABLE users;\n");
    write_file(dir() / "2_legacy.sql", "CREATE TABLE legacy (x INTEGER);\n");
    const auto& set = read();
    ASSERT_TRUE(set.ok());
    auto m = make(set);
    m.up();
    EXPECT_EQ(user_tables(), (strings{"legacy", "users"}));
    try {
        m.down();
        FAIL() << "expected strata::error";
    } catch (const strata::error& e) {
        EXPECT_EQ(e.kind(), strata::error_kind::check);
        EXPECT_TRUE(contains(e.what(), "cannot revert 2_legacy")) << e.what();
        EXPECT_TRUE(contains(e.what(), "2_legacy.sql")) << e.what();
        EXPECT_TRUE(contains(e.what(), "one-way")) << e.what();
    }
    EXPECT_EQ(user_tables(), (strings{"legacy", "users"}));
}

// `up` never needs a down script (diesel and sqlx do not); `down` and
// `redo` refuse the migration that has none, by name.
TEST_F(MigratorTest, MissingDownDoesNotBlockUpButRefusesDown) {
    add_sqlx("1_users", "CREATE TABLE users (id INTEGER);\n", "DROP TABLE users;\n");
    write_file(dir() / "2_posts.up.sql", "CREATE TABLE posts (id INTEGER);\n");
    write_file(dir() / "2_posts.down.sql", "-- SQLite can't drop tables in 1999\n");
    const auto& set = read();
    ASSERT_TRUE(set.ok());
    auto m = make(set);
    EXPECT_EQ(describe(m.up()), (strings{"up 1_users", "up 2_posts"}));
    for (int redo : {0, 1}) {
        try {
            redo ? m.redo() : m.down();
            FAIL() << "expected strata::error";
        } catch (const strata::error& e) {
            EXPECT_EQ(e.kind(), strata::error_kind::check);
            EXPECT_TRUE(contains(e.what(), "cannot revert 2_posts: it has no down script"))
                << e.what();
            EXPECT_EQ(e.where().file, (dir() / "2_posts.up.sql").generic_string());
        }
    }
    EXPECT_EQ(user_tables(), (strings{"posts", "users"}));
}

// diesel and sqlx run an up script of comments only as a no-op: it is
// recorded, and reverting it forgets it.
TEST_F(MigratorTest, NoOpMigrationIsRecordedAndReverted) {
    add_sqlx("1_users", "CREATE TABLE users (id INTEGER);\n", "DROP TABLE users;\n");
    add_sqlx("2_todo", "-- Your SQL goes here\n",
             "-- This file should undo anything in `up.sql`\n");
    add_sqlx("3_tags", "CREATE TABLE tags (x INTEGER);\n", "DROP TABLE tags;\n");
    auto m = make(read());
    EXPECT_EQ(describe(m.up()), (strings{"up 1_users", "up 2_todo", "up 3_tags"}));
    EXPECT_EQ(describe(m.status()), (strings{"applied 1", "applied 2", "applied 3"}));
    EXPECT_EQ(describe(m.redo(2)),
              (strings{"down 3_tags", "down 2_todo", "up 2_todo", "up 3_tags"}));
    strata::down_options all;
    all.all = true;
    EXPECT_EQ(describe(m.down(all)), (strings{"down 3_tags", "down 2_todo", "down 1_users"}));
    EXPECT_EQ(user_tables(), strings{});
}

// ---------------------------------------------------------------- history checks

TEST_F(MigratorTest, ModifiedScriptIsReportedAndBlocksUp) {
    add_three();
    {
        auto m = make(read());
        m.up();
    }
    // Change an applied script and add a new migration.
    write_file(dir() / "2_posts.up.sql",
               "CREATE TABLE posts (id INTEGER PRIMARY KEY, body TEXT);\n");
    add_sqlx("4_more", "CREATE TABLE more (x INTEGER);\n", "DROP TABLE more;\n");
    const auto& set = read();
    auto rows = strata::compute_status(set, db().applied_migrations());
    EXPECT_EQ(describe(rows), (strings{"applied 1", "modified 2", "applied 3", "pending 4"}));
    ASSERT_TRUE(rows[1].record.has_value());
    ASSERT_NE(rows[1].local, nullptr);
    EXPECT_NE(rows[1].record->checksum, rows[1].local->checksum);

    auto m = make(set);
    try {
        m.up();
        FAIL() << "expected strata::error";
    } catch (const strata::error& e) {
        EXPECT_EQ(e.kind(), strata::error_kind::check);
        EXPECT_TRUE(contains(e.what(), "modified")) << e.what();
        EXPECT_TRUE(contains(e.what(), "2_posts")) << e.what();
    }
    EXPECT_EQ(user_tables(), (strings{"posts", "tags", "users"}));

    strata::up_options options;
    options.allow_modified = true;
    EXPECT_EQ(describe(m.up(options)), (strings{"up 4_more"}));
    EXPECT_EQ(user_tables(), (strings{"more", "posts", "tags", "users"}));
}

TEST_F(MigratorTest, CrlfCheckoutIsNotModified) {
    add_three();
    {
        auto m = make(read());
        m.up();
    }
    const auto path = dir() / "2_posts.up.sql";
    write_file(path, strata::test::to_crlf(strata::test::read_file(path)));
    const auto& set = read();
    EXPECT_EQ(describe(strata::compute_status(set, db().applied_migrations())),
              (strings{"applied 1", "applied 2", "applied 3"}));
    auto m = make(set);
    EXPECT_NO_THROW(m.up());
}

TEST_F(MigratorTest, MissingMigrationIsReportedAndBlocksUp) {
    add_three();
    {
        auto m = make(read());
        m.up();
    }
    fs::remove(dir() / "2_posts.up.sql");
    fs::remove(dir() / "2_posts.down.sql");
    add_sqlx("4_more", "CREATE TABLE more (x INTEGER);\n", "DROP TABLE more;\n");
    const auto& set = read();
    auto rows = strata::compute_status(set, db().applied_migrations());
    EXPECT_EQ(describe(rows), (strings{"applied 1", "missing 2", "applied 3", "pending 4"}));
    EXPECT_EQ(rows[1].local, nullptr);
    EXPECT_EQ(rows[1].name, "posts");
    ASSERT_TRUE(rows[1].record.has_value());

    auto m = make(set);
    try {
        m.up();
        FAIL() << "expected strata::error";
    } catch (const strata::error& e) {
        EXPECT_EQ(e.kind(), strata::error_kind::check);
        EXPECT_TRUE(contains(e.what(), "missing")) << e.what();
        EXPECT_TRUE(contains(e.what(), "2_posts")) << e.what();
    }
    EXPECT_EQ(user_tables(), (strings{"posts", "tags", "users"}));

    strata::up_options options;
    options.ignore_missing = true;
    EXPECT_EQ(describe(m.up(options)), (strings{"up 4_more"}));

    // Reverting down to it needs its files.
    strata::down_options down;
    down.steps = 3;
    EXPECT_THROW(m.down(down), strata::error);
}

// ---------------------------------------------------------------- compute_status

strata::applied_migration record(const std::string& version, const std::string& name,
                                 const std::string& checksum,
                                 strata::record_state state = strata::record_state::applied) {
    strata::applied_migration r;
    r.version = version;
    r.name = name;
    r.checksum = checksum;
    r.applied_at = "2025-01-20T12:00:00.000Z";
    r.state = state;
    return r;
}

TEST_F(MigratorTest, ComputeStatusSideBySide) {
    add_three();
    const auto& set = read();
    std::vector<strata::applied_migration> records{
        record("1", "users", set.migrations[0].checksum),
        record("3", "tags", "0000"),
        record("2", "posts", set.migrations[1].checksum, strata::record_state::running),
        record("20", "gone", "abcd"),
        record("5", "gone_too", "abcd", strata::record_state::running),
    };
    auto rows = strata::compute_status(set, records);
    EXPECT_EQ(describe(rows),
              (strings{"applied 1", "partial 2", "modified 3", "partial 5", "missing 20"}));
    EXPECT_EQ(rows[0].local, &set.migrations[0]);
    EXPECT_EQ(rows[3].local, nullptr);
    EXPECT_EQ(rows[4].name, "gone");
}

TEST_F(MigratorTest, ComputeStatusMatchesDashedAndPaddedVersions) {
    write_file(dir() / "2025-01-20-120000_a/up.sql", "CREATE TABLE a (x INTEGER);\n");
    write_file(dir() / "2025-01-20-120000_a/down.sql", "DROP TABLE a;\n");
    write_file(dir() / "20250121000000_b/up.sql", "CREATE TABLE b (x INTEGER);\n");
    write_file(dir() / "20250121000000_b/down.sql", "DROP TABLE b;\n");
    const auto& set = read();
    ASSERT_TRUE(set.ok());
    std::vector<strata::applied_migration> records{
        record("20250120120000", "a", set.migrations[0].checksum),
    };
    auto rows = strata::compute_status(set, records);
    EXPECT_EQ(describe(rows), (strings{"applied 20250120120000", "pending 20250121000000"}));
    EXPECT_FALSE(rows[1].record.has_value());
}

TEST_F(MigratorTest, ComputeStatusWithNoRecordsIsAllPending) {
    add_three();
    const auto& set = read();
    EXPECT_EQ(describe(strata::compute_status(set, {})),
              (strings{"pending 1", "pending 2", "pending 3"}));
}

TEST(MigrationStatus, Names) {
    EXPECT_STREQ(strata::to_string(strata::migration_status::applied), "applied");
    EXPECT_STREQ(strata::to_string(strata::migration_status::pending), "pending");
    EXPECT_STREQ(strata::to_string(strata::migration_status::modified), "modified");
    EXPECT_STREQ(strata::to_string(strata::migration_status::missing), "missing");
    EXPECT_STREQ(strata::to_string(strata::migration_status::partial), "partial");
}

}  // namespace
