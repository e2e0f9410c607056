// Migration sets whose down scripts are subtly wrong (they run, but do not
// restore the schema from before their up script), a correct set doing the
// same things right, and what the round-trip check must report for each.
// Shared by roundtrip_test.cpp (the engine) and tests/e2e/check_test.cpp
// (`strata check --roundtrip`). sqlx layout: <version>_<name>.up.sql/.down.sql.
#pragma once

#include <filesystem>
#include <fstream>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace strata::test::wrong_downs {

struct migration_files {
    std::string id;  // "<version>_<name>"
    std::string up;
    std::optional<std::string> down;
};

struct expected_change {
    std::string object_kind;
    std::string object;
    std::string attribute;
    std::string before;
    std::string after;
    std::string text;  // as `check` prints it
};

struct expected_finding {
    std::string kind;     // "roundtrip", "missing-down"
    std::string version;  // "0002"
    std::string file;     // relative to the set's directory
    int line = 0;
    std::string message;  // the message starts with this
    std::vector<expected_change> changes;
};

struct migration_set_files {
    std::string name;
    std::vector<migration_files> migrations;
    std::vector<expected_finding> expected;  // in the order `check` reports them
};

inline void PrintTo(const migration_set_files& set, std::ostream* os) {
    *os << set.name;
}

inline void write_set(const std::filesystem::path& directory, const migration_set_files& set) {
    auto write = [&](const std::string& name, const std::string& text) {
        std::filesystem::create_directories(directory);
        std::ofstream out(directory / name, std::ios::binary);
        out << text;
        if (!out.flush())
            throw std::runtime_error("cannot write " + (directory / name).string());
    };
    for (const auto& m : set.migrations) {
        write(m.id + ".up.sql", m.up);
        if (m.down)
            write(m.id + ".down.sql", *m.down);
    }
}

// ---- Migrations the sets are made of -----------------------------------------

inline migration_files users() {
    return {"0001_users",
            "CREATE TABLE users (\n"
            "    id    INTEGER PRIMARY KEY,\n"
            "    email TEXT    NOT NULL,\n"
            "    age   INTEGER,\n"
            "    theme TEXT    NOT NULL DEFAULT 'light'\n"
            ");\n",
            "DROP TABLE users;\n"};
}

inline migration_files audit() {
    return {"0002_audit", "CREATE TABLE audit (id INTEGER PRIMARY KEY, what TEXT NOT NULL);\n",
            "DROP TABLE audit;\n"};
}

inline migration_files posts() {
    return {"0002_posts",
            "CREATE TABLE posts (\n"
            "    id        INTEGER PRIMARY KEY,\n"
            "    author_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,\n"
            "    title     TEXT\n"
            ");\n",
            "DROP TABLE posts;\n"};
}

inline migration_files touch_trigger() {
    return {"0002_touch",
            "ALTER TABLE users ADD COLUMN updated_at INTEGER;\n"
            "CREATE TRIGGER users_touch AFTER UPDATE OF email ON users BEGIN\n"
            "    UPDATE users SET updated_at = strftime('%s', 'now') WHERE id = NEW.id;\n"
            "END;\n",
            "DROP TRIGGER users_touch;\n"
            "ALTER TABLE users DROP COLUMN updated_at;\n"};
}

const char* const touch_trigger_sql =
    "CREATE TRIGGER users_touch AFTER UPDATE OF email ON users BEGIN UPDATE users SET updated_at "
    "= strftime('%s', 'now') WHERE id = new.id; END";

// Recreates users with a CHECK on email; `restore_trigger` decides whether the
// down script recreates the trigger that dropping the table dropped.
inline migration_files email_check(const std::string& id, bool restore_trigger) {
    const std::string columns =
        "    id         INTEGER PRIMARY KEY,\n"
        "    email      TEXT    NOT NULL{},\n"
        "    age        INTEGER,\n"
        "    theme      TEXT    NOT NULL DEFAULT 'light',\n"
        "    updated_at INTEGER\n";
    auto table = [&](const std::string& name, const std::string& check) {
        std::string c = columns;
        c.replace(c.find("{}"), 2, check);
        return "CREATE TABLE " + name + " (\n" + c + ");\n";
    };
    const std::string trigger =
        "CREATE TRIGGER users_touch AFTER UPDATE OF email ON users BEGIN\n"
        "    UPDATE users SET updated_at = strftime('%s', 'now') WHERE id = NEW.id;\n"
        "END;\n";
    auto recreate = [&](const std::string& check, bool with_trigger) {
        return table("users_new", check) +
               "INSERT INTO users_new SELECT * FROM users;\n"
               "DROP TABLE users;\n"
               "ALTER TABLE users_new RENAME TO users;\n" +
               (with_trigger ? trigger : std::string());
    };
    return {id, recreate(" CHECK (email LIKE '%@%')", true), recreate("", restore_trigger)};
}

// Recreates posts with a body column; `keep_foreign_key` decides whether the
// down script's recreated table keeps the REFERENCES clause.
inline migration_files posts_body(const std::string& id, bool keep_foreign_key) {
    const std::string fk = " REFERENCES users (id) ON DELETE CASCADE";
    return {id,
            "CREATE TABLE posts_new (\n"
            "    id        INTEGER PRIMARY KEY,\n"
            "    author_id INTEGER NOT NULL" +
                fk +
                ",\n"
                "    title     TEXT,\n"
                "    body      TEXT    NOT NULL DEFAULT ''\n"
                ");\n"
                "INSERT INTO posts_new (id, author_id, title) SELECT id, author_id, title FROM "
                "posts;\n"
                "DROP TABLE posts;\n"
                "ALTER TABLE posts_new RENAME TO posts;\n",
            "CREATE TABLE posts_old (\n"
            "    id        INTEGER PRIMARY KEY,\n"
            "    author_id INTEGER NOT NULL" +
                (keep_foreign_key ? fk : std::string()) +
                ",\n"
                "    title     TEXT\n"
                ");\n"
                "INSERT INTO posts_old (id, author_id, title) SELECT id, author_id, title FROM "
                "posts;\n"
                "DROP TABLE posts;\n"
                "ALTER TABLE posts_old RENAME TO posts;\n"};
}

inline expected_finding wrong_down(const std::string& id, std::vector<expected_change> changes) {
    return {"roundtrip",
            id.substr(0, 4),
            id + ".down.sql",
            1,
            "down script of " + id +
                " does not restore the schema from before its up script (before up -> after "
                "down):",
            std::move(changes)};
}

// ---- The sets ---------------------------------------------------------------

inline migration_set_files forgets_index() {
    return {"ForgetsAnIndex",
            {users(),
             {"0002_email_index",
              "ALTER TABLE users ADD COLUMN nickname TEXT;\n"
              "CREATE UNIQUE INDEX users_email ON users (email);\n",
              "ALTER TABLE users DROP COLUMN nickname;\n"}},
            {wrong_down("0002_email_index", {{"index", "users_email", "", "",
                                              "CREATE UNIQUE INDEX users_email ON users (email)",
                                              "index users_email: added"}})}};
}

inline migration_set_files other_default() {
    return {"RestoresAColumnWithAnotherDefault",
            {users(),
             {"0002_drop_theme", "ALTER TABLE users DROP COLUMN theme;\n",
              "ALTER TABLE users ADD COLUMN theme TEXT NOT NULL DEFAULT 'dark';\n"}},
            {wrong_down("0002_drop_theme",
                        {{"table", "users", "column theme: default", "'light'", "'dark'",
                          "table users: column theme: default 'light' -> 'dark'"}})}};
}

inline migration_set_files other_type() {
    return {"RestoresAColumnWithAnotherType",
            {users(),
             {"0002_drop_theme", "ALTER TABLE users DROP COLUMN theme;\n",
              "ALTER TABLE users ADD COLUMN theme VARCHAR(10) NOT NULL DEFAULT 'light';\n"}},
            {wrong_down("0002_drop_theme",
                        {{"table", "users", "column theme: type", "TEXT", "VARCHAR(10)",
                          "table users: column theme: type TEXT -> VARCHAR(10)"}})}};
}

inline migration_set_files loses_foreign_key() {
    return {"LosesAForeignKeyInATableRecreation",
            {users(), posts(), posts_body("0003_posts_body", false)},
            {wrong_down("0003_posts_body",
                        {{"table", "posts", "foreign key (author_id) -> users",
                          "(author_id) REFERENCES users (id) ON DELETE CASCADE", "",
                          "table posts: foreign key (author_id) -> users: removed (author_id) "
                          "REFERENCES users (id) ON DELETE CASCADE"}})}};
}

inline migration_set_files loses_trigger() {
    return {"RecreatesATableWithoutItsTrigger",
            {users(), touch_trigger(), email_check("0003_email_check", false)},
            {wrong_down("0003_email_check", {{"trigger", "users_touch", "", touch_trigger_sql, "",
                                              "trigger users_touch: removed"}})}};
}

inline migration_set_files drops_wrong_table() {
    return {"DropsTheWrongTable",
            {users(),
             audit(),
             {"0003_sessions",
              "CREATE TABLE sessions (token TEXT PRIMARY KEY, user_id INTEGER REFERENCES users "
              "(id));\n",
              "DROP TABLE audit;\n"}},
            {wrong_down("0003_sessions",
                        {{"table", "audit", "",
                          "CREATE TABLE audit (\n    id INTEGER PRIMARY KEY,\n    what TEXT NOT "
                          "NULL\n)",
                          "", "table audit: removed"},
                         {"table", "sessions", "", "",
                          "CREATE TABLE sessions (\n    token TEXT PRIMARY KEY,\n    user_id "
                          "INTEGER,\n    FOREIGN KEY (user_id) REFERENCES users (id)\n)",
                          "table sessions: added"}})}};
}

inline migration_set_files comment_only_down() {
    return {"CommentOnlyDown",
            {users(),
             {"0002_nickname", "ALTER TABLE users ADD COLUMN nickname TEXT;\n",
              "-- ALTER TABLE users DROP COLUMN nickname;\n/* nothing to do */\n"}},
            {{"missing-down",
              "0002",
              "0002_nickname.down.sql",
              1,
              "down script holds no SQL statement, only comments or whitespace",
              {}}}};
}

inline migration_set_files failing_down() {
    return {"DownFailsWithAnSqlError",
            {users(),
             {"0002_tags", "CREATE TABLE tags (name TEXT PRIMARY KEY);\n",
              "-- the index went with the table\n"
              "DROP TABLE tags;\n"
              "DROP INDEX tags_name;\n"}},
            {{"roundtrip",
              "0002",
              "0002_tags.down.sql",
              3,
              "down script of 0002_tags fails: no such index: tags_name",
              {}}}};
}

// The down script restores the schema but leaves the seeded row behind: the
// up script cannot be applied again.
inline migration_set_files leaves_seed_data() {
    return {"LeavesSeedDataSoUpFailsAgain",
            {users(),
             {"0002_flags", "CREATE TABLE flags (name TEXT PRIMARY KEY, enabled INTEGER);\n",
              "DROP TABLE flags;\n"},
             {"0003_dark_mode",
              "ALTER TABLE users ADD COLUMN dark INTEGER;\n"
              "INSERT INTO flags (name, enabled) VALUES ('dark_mode', 1);\n",
              "ALTER TABLE users DROP COLUMN dark;\n"}},
            {{"roundtrip",
              "0003",
              "0003_dark_mode.up.sql",
              2,
              "up script of 0003_dark_mode fails when applied again after its down script: UNIQUE "
              "constraint failed: flags.name",
              {}}}};
}

inline std::vector<migration_set_files> all_wrong_sets() {
    return {forgets_index(),     other_default(), other_type(),
            loses_foreign_key(), loses_trigger(), drops_wrong_table(),
            comment_only_down(), failing_down(),  leaves_seed_data()};
}

// Every kind of change above, done right: the round trip passes.
inline migration_set_files correct_set() {
    return {"Correct",
            {users(),
             posts(),
             posts_body("0003_posts_body", true),
             {"0004_drop_theme", "ALTER TABLE users DROP COLUMN theme;\n",
              "ALTER TABLE users ADD COLUMN theme TEXT NOT NULL DEFAULT 'light';\n"},
             {"0005_email_index",
              "ALTER TABLE users ADD COLUMN nickname TEXT;\n"
              "CREATE UNIQUE INDEX users_email ON users (email);\n",
              "DROP INDEX users_email;\nALTER TABLE users DROP COLUMN nickname;\n"},
             {"0006_touch",
              "ALTER TABLE users ADD COLUMN updated_at INTEGER;\n"
              "CREATE TRIGGER users_touch AFTER UPDATE OF email ON users BEGIN\n"
              "    UPDATE users SET updated_at = strftime('%s', 'now') WHERE id = NEW.id;\n"
              "END;\n",
              "DROP TRIGGER users_touch;\nALTER TABLE users DROP COLUMN updated_at;\n"},
             {"0007_sessions",
              "CREATE TABLE sessions (token TEXT PRIMARY KEY, user_id INTEGER REFERENCES users "
              "(id));\n"
              "CREATE VIEW active_sessions AS SELECT token FROM sessions WHERE user_id IS NOT "
              "NULL;\n",
              "DROP VIEW active_sessions;\nDROP TABLE sessions;\n"}},
            {}};
}

// Several wrong migrations in one set, one of them with a failing down script
// in the middle: every one is reported, and the check goes on past the
// broken one.
inline migration_set_files several_wrong() {
    return {"SeveralWrongDowns",
            {users(),
             {"0002_drop_theme", "ALTER TABLE users DROP COLUMN theme;\n",
              "ALTER TABLE users ADD COLUMN theme TEXT NOT NULL DEFAULT 'dark';\n"},
             {"0003_tags", "CREATE TABLE tags (name TEXT PRIMARY KEY);\n",
              "-- the index went with the table\n"
              "DROP TABLE tags;\n"
              "DROP INDEX tags_name;\n"},
             {"0004_audit", "CREATE TABLE audit (id INTEGER PRIMARY KEY, what TEXT NOT NULL);\n",
              "DROP TABLE audit;\n"},
             {"0005_email_index",
              "ALTER TABLE users ADD COLUMN phone TEXT;\n"
              "CREATE UNIQUE INDEX users_email ON users (email);\n",
              "ALTER TABLE users DROP COLUMN phone;\n"},
             {"0006_nickname", "ALTER TABLE users ADD COLUMN nickname TEXT;\n", "-- nothing\n"},
             {"0007_sessions", "CREATE TABLE sessions (token TEXT PRIMARY KEY);\n",
              "DROP TABLE audit;\n"}},
            {{"missing-down",
              "0006",
              "0006_nickname.down.sql",
              1,
              "down script holds no SQL statement, only comments or whitespace",
              {}},
             wrong_down("0002_drop_theme",
                        {{"table", "users", "column theme: default", "'light'", "'dark'",
                          "table users: column theme: default 'light' -> 'dark'"}}),
             {"roundtrip",
              "0003",
              "0003_tags.down.sql",
              3,
              "down script of 0003_tags fails: no such index: tags_name",
              {}},
             wrong_down("0005_email_index", {{"index", "users_email", "", "",
                                              "CREATE UNIQUE INDEX users_email ON users (email)",
                                              "index users_email: added"}}),
             wrong_down("0007_sessions",
                        {{"table", "audit", "",
                          "CREATE TABLE audit (\n    id INTEGER PRIMARY KEY,\n    what TEXT NOT "
                          "NULL\n)",
                          "", "table audit: removed"},
                         {"table", "sessions", "", "",
                          "CREATE TABLE sessions (\n    token TEXT PRIMARY KEY\n)",
                          "table sessions: added"}})}};
}

}  // namespace strata::test::wrong_downs
