// `strata check --roundtrip` on PostgreSQL: the wrong down scripts of the
// SQLite suite (tests/schema/wrong_downs.hpp), written for PostgreSQL, and
// PostgreSQL's own ways of getting a down script wrong. Each fails the check
// (exit 1) naming the file and line, with the difference printed; the
// correct set passes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "postgres.hpp"
#include "postgres_cli.hpp"
#include "strata_cli.hpp"

using namespace strata::test;
using ::testing::HasSubstr;

namespace {

struct migration_files {
    std::string id;
    std::string up;
    std::optional<std::string> down;
};

struct wrong_set {
    std::string name;
    std::vector<migration_files> migrations;
    std::string location;              // "<file>:<line>: error: <message start>"
    std::vector<std::string> changes;  // printed below it, in order
};

void PrintTo(const wrong_set& set, std::ostream* os) {
    *os << set.name;
}

const char* const users_up =
    "CREATE TABLE users (\n"
    "    id    integer PRIMARY KEY,\n"
    "    email text    NOT NULL,\n"
    "    age   integer,\n"
    "    theme text    NOT NULL DEFAULT 'light'\n"
    ");\n";

migration_files users() {
    return {"0001_users", users_up, "DROP TABLE users;\n"};
}

std::string wrong_down(const std::string& id) {
    return "migrations/" + id + ".down.sql:1: error: down script of " + id +
           " does not restore the schema from before its up script (before up -> after down):";
}

std::string recreate_posts(const std::string& name, bool foreign_key, bool body) {
    return "CREATE TABLE " + name +
           " (\n"
           "    id        integer PRIMARY KEY,\n"
           "    author_id integer NOT NULL" +
           (foreign_key ? " REFERENCES users (id) ON DELETE CASCADE" : "") +
           ",\n"
           "    title     text" +
           (body ? ",\n    body      text NOT NULL DEFAULT ''" : "") +
           "\n);\n"
           "INSERT INTO " +
           name +
           " (id, author_id, title) SELECT id, author_id, title FROM posts;\n"
           "DROP TABLE posts;\n"
           "ALTER TABLE " +
           name + " RENAME TO posts;\n";
}

const char* const touch_function =
    "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$\n"
    "BEGIN\n"
    "    NEW.updated_at := now();\n"
    "    RETURN NEW;\n"
    "END\n"
    "$$;\n";

const char* const touch_trigger =
    "CREATE TRIGGER users_touch BEFORE UPDATE OF email ON users\n"
    "    FOR EACH ROW EXECUTE FUNCTION touch();\n";

std::vector<wrong_set> sqlite_suite_on_postgres() {
    return {
        {"ForgetsAnIndex",
         {users(),
          {"0002_email_index",
           "ALTER TABLE users ADD COLUMN nickname text;\n"
           "CREATE UNIQUE INDEX users_email ON users (email);\n",
           "ALTER TABLE users DROP COLUMN nickname;\n"}},
         wrong_down("0002_email_index"),
         {"index users_email: added"}},
        {"RestoresAColumnWithAnotherDefault",
         {users(),
          {"0002_drop_theme", "ALTER TABLE users DROP COLUMN theme;\n",
           "ALTER TABLE users ADD COLUMN theme text NOT NULL DEFAULT 'dark';\n"}},
         wrong_down("0002_drop_theme"),
         {"table users: column theme: default 'light'::text -> 'dark'::text"}},
        {"RestoresAColumnWithAnotherType",
         {users(),
          {"0002_drop_theme", "ALTER TABLE users DROP COLUMN theme;\n",
           "ALTER TABLE users ADD COLUMN theme varchar(10) NOT NULL DEFAULT 'light';\n"}},
         wrong_down("0002_drop_theme"),
         {"table users: column theme: type text -> character varying(10)"}},
        {"LosesAForeignKeyInATableRecreation",
         {users(),
          {"0002_posts",
           "CREATE TABLE posts (id integer PRIMARY KEY, author_id integer NOT NULL REFERENCES "
           "users (id) ON DELETE CASCADE, title text);\n",
           "DROP TABLE posts;\n"},
          {"0003_posts_body", recreate_posts("posts_v2", true, true),
           recreate_posts("posts_v1", false, false)}},
         wrong_down("0003_posts_body"),
         // PostgreSQL keeps constraint names through a rename: a difference too.
         {"table posts: primary key name posts_pkey -> posts_v1_pkey",
          "table posts: foreign key (author_id) -> users: removed (author_id) REFERENCES "
          "users(id) ON DELETE CASCADE"}},
        {"RecreatesATableWithoutItsTrigger",
         {users(),
          {"0002_touch",
           std::string("ALTER TABLE users ADD COLUMN updated_at timestamptz;\n") + touch_function +
               touch_trigger,
           "DROP TRIGGER users_touch ON users;\nDROP FUNCTION touch();\n"
           "ALTER TABLE users DROP COLUMN updated_at;\n"},
          {"0003_email_check",
           std::string("ALTER TABLE users RENAME TO users_old;\n"
                       "CREATE TABLE users (LIKE users_old INCLUDING ALL, "
                       "CHECK (email LIKE '%@%'));\n"
                       "INSERT INTO users SELECT * FROM users_old;\n"
                       "DROP TABLE users_old;\n") +
               touch_trigger,
           "ALTER TABLE users RENAME TO users_old;\n"
           "CREATE TABLE users (LIKE users_old INCLUDING ALL);\n"
           "ALTER TABLE users DROP CONSTRAINT users_email_check;\n"
           "INSERT INTO users SELECT * FROM users_old;\n"
           "DROP TABLE users_old;\n"}},
         wrong_down("0003_email_check"),
         {"trigger users_touch on users: removed"}},
        {"DropsTheWrongTable",
         {users(),
          {"0002_audit", "CREATE TABLE audit (id integer PRIMARY KEY, what text NOT NULL);\n",
           "DROP TABLE audit;\n"},
          {"0003_sessions",
           "CREATE TABLE sessions (token text PRIMARY KEY, user_id integer REFERENCES users "
           "(id));\n",
           "DROP TABLE audit;\n"}},
         wrong_down("0003_sessions"),
         {"table audit: removed", "table sessions: added"}},
        {"CommentOnlyDown",
         {users(),
          {"0002_nickname", "ALTER TABLE users ADD COLUMN nickname text;\n",
           "-- ALTER TABLE users DROP COLUMN nickname;\n/* nothing to do */\n"}},
         "migrations/0002_nickname.down.sql:1: error: down script holds no SQL statement, only "
         "comments or whitespace",
         {}},
        {"DownFailsWithAnSqlError",
         {users(),
          {"0002_tags", "CREATE TABLE tags (name text PRIMARY KEY);\n",
           "-- the index went with the table\n"
           "DROP TABLE tags;\n"
           "DROP INDEX tags_name;\n"}},
         "migrations/0002_tags.down.sql:3: error: down script of 0002_tags fails: index "
         "\"tags_name\" does not exist (SQLSTATE 42704)",
         {}},
        {"LeavesSeedDataSoUpFailsAgain",
         {users(),
          {"0002_flags", "CREATE TABLE flags (name text PRIMARY KEY, enabled integer);\n",
           "DROP TABLE flags;\n"},
          {"0003_dark_mode",
           "ALTER TABLE users ADD COLUMN dark integer;\n"
           "INSERT INTO flags (name, enabled) VALUES ('dark_mode', 1);\n",
           "ALTER TABLE users DROP COLUMN dark;\n"}},
         "migrations/0003_dark_mode.up.sql:2: error: up script of 0003_dark_mode fails when "
         "applied again after its down script: duplicate key value violates unique constraint "
         "\"flags_pkey\" (SQLSTATE 23505)",
         {}},
    };
}

std::vector<wrong_set> postgres_own() {
    const migration_files moods = {"0001_moods",
                                   "CREATE TYPE mood AS ENUM ('happy', 'sad');\n"
                                   "CREATE TABLE people (id integer PRIMARY KEY, mood mood);\n",
                                   "DROP TABLE people;\nDROP TYPE mood;\n"};
    const migration_files tickets = {"0001_tickets",
                                     "CREATE TABLE tickets (\n"
                                     "    id    serial PRIMARY KEY,\n"
                                     "    title text NOT NULL,\n"
                                     "    name  varchar(40)\n"
                                     ");\n",
                                     "DROP TABLE tickets;\n"};
    return {
        {"LeavesAnEnumValueBehind",
         {moods,
          {"0002_ecstatic", "ALTER TYPE mood ADD VALUE 'ecstatic';\n",
           "-- PostgreSQL cannot drop an enum value\nSELECT 1;\n"}},
         wrong_down("0002_ecstatic"),
         {"type mood: labels 'happy', 'sad' -> 'happy', 'sad', 'ecstatic'"}},
        {"LeavesAnEnumTypeBehind",
         {moods,
          {"0002_status",
           "CREATE TYPE status AS ENUM ('active', 'gone');\n"
           "ALTER TABLE people ADD COLUMN status status NOT NULL DEFAULT 'active';\n",
           "ALTER TABLE people DROP COLUMN status;\n"}},
         wrong_down("0002_status"),
         {"type status: added"}},
        {"LosesASequencesOwnership",
         {tickets,
          {"0002_code", "ALTER TABLE tickets ADD COLUMN code integer;\n",
           "ALTER TABLE tickets DROP COLUMN code;\n"
           "ALTER SEQUENCE tickets_id_seq OWNED BY NONE;\n"}},
         wrong_down("0002_code"),
         {"sequence tickets_id_seq: owned by tickets.id -> none"}},
        {"LeavesAFunctionBehind",
         {tickets,
          {"0002_slug",
           "CREATE FUNCTION slugify(t text) RETURNS text LANGUAGE sql IMMUTABLE\n"
           "    AS $$ SELECT lower(regexp_replace(t, '[^a-zA-Z0-9]+', '-', 'g')) $$;\n"
           "ALTER TABLE tickets ADD COLUMN slug text GENERATED ALWAYS AS (slugify(title)) "
           "STORED;\n",
           "ALTER TABLE tickets DROP COLUMN slug;\n"}},
         wrong_down("0002_slug"),
         {"function slugify(t text): added"}},
        {"RestoresVarcharAsChar",
         {tickets,
          {"0002_drop_name", "ALTER TABLE tickets DROP COLUMN name;\n",
           "ALTER TABLE tickets ADD COLUMN name char(40);\n"}},
         wrong_down("0002_drop_name"),
         {"table tickets: column name: type character varying(40) -> character(40)"}},
        {"LosesTheDefaultOfASerialColumn",
         {tickets,
          {"0002_identity",
           "ALTER TABLE tickets ALTER COLUMN id DROP DEFAULT;\n"
           "DROP SEQUENCE tickets_id_seq;\n"
           "ALTER TABLE tickets ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY;\n",
           "ALTER TABLE tickets ALTER COLUMN id DROP IDENTITY;\n"
           "CREATE SEQUENCE tickets_id_seq AS integer OWNED BY tickets.id;\n"}},
         wrong_down("0002_identity"),
         {"table tickets: column id: default nextval('tickets_id_seq'::regclass) -> none"}},
        {"RestoresAnIdentityWithAnotherKind",
         {{"0001_events",
           "CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, at "
           "timestamptz);\n",
           "DROP TABLE events;\n"},
          {"0002_manual_ids", "ALTER TABLE events ALTER COLUMN id DROP IDENTITY;\n",
           "ALTER TABLE events ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY;\n"}},
         wrong_down("0002_manual_ids"),
         {"table events: column id: identity ALWAYS -> BY DEFAULT"}},
    };
}

class PostgresWrongDowns : public ::testing::TestWithParam<wrong_set> {
  protected:
    scratch_directory dir{"strata-pg-roundtrip"};

    process_result check() {
        for (const auto& m : GetParam().migrations) {
            write_file(dir / "migrations" / (m.id + ".up.sql"), m.up);
            if (m.down)
                write_file(dir / "migrations" / (m.id + ".down.sql"), *m.down);
        }
        return run_strata(dir.path(), {"--backends", "postgres", "--postgres-url",
                                       postgres_server_url(), "check", "--roundtrip"});
    }
};

TEST_P(PostgresWrongDowns, FailNamingTheFileAndShowingTheDifference) {
    const auto r = check();
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    std::string block = GetParam().location;
    for (const auto& change : GetParam().changes)
        block += "\n    " + change;
    EXPECT_THAT(r.err, HasSubstr(block)) << r.describe();
}

INSTANTIATE_TEST_SUITE_P(SqliteSuite, PostgresWrongDowns,
                         ::testing::ValuesIn(sqlite_suite_on_postgres()),
                         [](const auto& p) { return p.param.name; });
INSTANTIATE_TEST_SUITE_P(PostgresOwn, PostgresWrongDowns, ::testing::ValuesIn(postgres_own()),
                         [](const auto& p) { return p.param.name; });

// The same kinds of change, done right: nothing to report.
TEST(PostgresRoundtrip, CorrectDownsPass) {
    scratch_directory dir("strata-pg-roundtrip");
    auto write = [&](const std::string& id, const std::string& up, const std::string& down) {
        write_file(dir / "migrations" / (id + ".up.sql"), up);
        write_file(dir / "migrations" / (id + ".down.sql"), down);
    };
    write("0001_users", users_up, "DROP TABLE users;\n");
    write("0002_moods",
          "CREATE TYPE mood AS ENUM ('happy', 'sad');\nALTER TABLE users ADD COLUMN mood mood;\n",
          "ALTER TABLE users DROP COLUMN mood;\nDROP TYPE mood;\n");
    write("0003_touch",
          std::string("ALTER TABLE users ADD COLUMN updated_at timestamptz;\n") + touch_function +
              touch_trigger,
          "DROP TRIGGER users_touch ON users;\nDROP FUNCTION touch();\n"
          "ALTER TABLE users DROP COLUMN updated_at;\n");
    write("0004_tickets",
          "CREATE TABLE tickets (id serial PRIMARY KEY, name varchar(40));\n"
          "CREATE INDEX tickets_name ON tickets (lower(name)) WHERE name IS NOT NULL;\n",
          "DROP TABLE tickets;\n");
    write("0005_drop_name", "ALTER TABLE tickets DROP COLUMN name;\n",
          "ALTER TABLE tickets ADD COLUMN name varchar(40);\n"
          "CREATE INDEX tickets_name ON tickets (lower(name)) WHERE name IS NOT NULL;\n");
    const auto r = run_strata(dir.path(), {"--backends", "postgres", "--postgres-url",
                                           postgres_server_url(), "check", "--roundtrip"});
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_THAT(r.out, HasSubstr("ok: 5 migration(s)"));
}

// Enough migrations for the round trip to share them among scratch databases
// side by side (one per core): the wrong downs of two shares are both found,
// in the set's order, and every scratch database is dropped.
TEST(PostgresRoundtrip, SetSharedAmongWorkersReportsEveryWrongDownInOrder) {
    scratch_directory dir("strata-pg-roundtrip");
    constexpr int count = 140;
    for (int i = 1; i <= count; ++i) {
        char id[32];
        std::snprintf(id, sizeof id, "%04d_t%d", i, i);
        const std::string table = "t" + std::to_string(i);
        const bool wrong = i == 21 || i == 101;  // the later one in the first share
        write_file(dir / "migrations" / (std::string(id) + ".up.sql"),
                   "CREATE TABLE " + table + " (id integer PRIMARY KEY);\n");
        write_file(dir / "migrations" / (std::string(id) + ".down.sql"),
                   wrong ? "SELECT 1;\n" : "DROP TABLE " + table + ";\n");
    }
    auto running =
        start_processes({strata_spec(dir.path(), {"--backends", "postgres", "--postgres-url",
                                                  postgres_server_url(), "check", "--roundtrip"})});
    const int pid = running[0].pid();
    const auto r = running[0].wait();
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    const auto first = r.err.find("0021_t21.down.sql");
    const auto second = r.err.find("0101_t101.down.sql");
    ASSERT_NE(first, std::string::npos) << r.describe();
    ASSERT_NE(second, std::string::npos) << r.describe();
    EXPECT_LT(first, second) << r.describe();
    EXPECT_THAT(r.err, HasSubstr("table t21: added")) << r.describe();
    EXPECT_THAT(r.err, HasSubstr("table t101: added")) << r.describe();
    EXPECT_EQ(scratch_databases_of(pid), "");
}

}  // namespace
