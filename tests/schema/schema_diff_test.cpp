// The structural diff (diff_schemas): every kind of real difference between
// two schemas is reported once, on the right object and attribute, with the
// values before and after.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "process.hpp"
#include "schema_test_support.hpp"

using strata::schema_change;
using strata::test::diff_of;

namespace strata {
// Readable assertion output.
void PrintTo(const schema_change& c, std::ostream* os) {
    *os << "{" << c.object_kind << " | " << c.object << " | " << c.attribute << " | " << c.before
        << " | " << c.after << "}";
}
}  // namespace strata

namespace {

bool operator==(const schema_change& a, const schema_change& b) {
    return std::tie(a.object_kind, a.object, a.attribute, a.before, a.after) ==
           std::tie(b.object_kind, b.object, b.attribute, b.before, b.after);
}

struct difference {
    const char* name;
    std::string before;
    std::string after;
    std::vector<schema_change> expected;  // exactly these, in this order
    std::vector<std::string> texts;       // their text(), as people read them
};

void PrintTo(const difference& d, std::ostream* os) {
    *os << d.name;
}

class RealDifferences : public ::testing::TestWithParam<difference> {};

TEST_P(RealDifferences, AppearInTheDiffOnTheRightObjectAndAttribute) {
    const auto& d = GetParam();
    const auto changes = diff_of(d.before, d.after);
    ASSERT_EQ(changes.size(), d.expected.size())
        << ::testing::PrintToString(changes) << "\nbefore:\n"
        << d.before << "\nafter:\n"
        << d.after;
    for (std::size_t i = 0; i < changes.size(); ++i)
        EXPECT_TRUE(changes[i] == d.expected[i])
            << "change " << i << ": " << ::testing::PrintToString(changes[i]) << "\nexpected "
            << ::testing::PrintToString(d.expected[i]);
    EXPECT_EQ(strata::test::change_texts(changes), d.texts);
    // The reverse direction reports as many changes, before and after swapped.
    const auto reverse = diff_of(d.after, d.before);
    ASSERT_EQ(reverse.size(), changes.size()) << ::testing::PrintToString(reverse);
    // No false positives: each side equals itself.
    EXPECT_TRUE(diff_of(d.before, d.before).empty());
    EXPECT_TRUE(diff_of(d.after, d.after).empty());
}

const std::string users =
    "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, theme TEXT DEFAULT "
    "'light');\n";

const difference differences[] = {
    {"ColumnType",
     "CREATE TABLE t (id INTEGER PRIMARY KEY, score INTEGER);",
     "CREATE TABLE t (id INTEGER PRIMARY KEY, score REAL);",
     {{"table", "t", "column score: type", "INTEGER", "REAL"}},
     {"table t: column score: type INTEGER -> REAL"}},

    {"ColumnNotNull",
     "CREATE TABLE t (id INTEGER PRIMARY KEY, email TEXT);",
     "CREATE TABLE t (id INTEGER PRIMARY KEY, email TEXT NOT NULL);",
     {{"table", "t", "column email: not null", "no", "yes"}},
     {"table t: column email: not null no -> yes"}},

    {"ColumnDefault",
     users,
     "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, theme TEXT DEFAULT "
     "'dark');\n",
     {{"table", "users", "column theme: default", "'light'", "'dark'"}},
     {"table users: column theme: default 'light' -> 'dark'"}},

    {"ColumnDefaultRemoved",
     users,
     "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, theme TEXT);\n",
     {{"table", "users", "column theme: default", "'light'", "none"}},
     {"table users: column theme: default 'light' -> none"}},

    {"ColumnCollation",
     "CREATE TABLE t (name TEXT);",
     "CREATE TABLE t (name TEXT COLLATE NOCASE);",
     {{"table", "t", "column name: collation", "BINARY", "NOCASE"}},
     {"table t: column name: collation BINARY -> NOCASE"}},

    {"PrimaryKeyPosition",
     "CREATE TABLE m (a TEXT, b TEXT, PRIMARY KEY (a, b));",
     "CREATE TABLE m (a TEXT, b TEXT, PRIMARY KEY (b, a));",
     {{"table", "m", "column a: primary key position", "1", "2"},
      {"table", "m", "column b: primary key position", "2", "1"}},
     {"table m: column a: primary key position 1 -> 2",
      "table m: column b: primary key position 2 -> 1"}},

    {"PrimaryKeyAdded",
     "CREATE TABLE m (code TEXT, label TEXT);",
     "CREATE TABLE m (code TEXT PRIMARY KEY, label TEXT);",
     {{"table", "m", "column code: primary key position", "0", "1"}},
     {"table m: column code: primary key position 0 -> 1"}},

    {"ColumnAdded",
     users,
     "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, theme TEXT DEFAULT "
     "'light', age INTEGER NOT NULL DEFAULT 0);\n",
     {{"table", "users", "column age", "", "age INTEGER NOT NULL DEFAULT 0"}},
     {"table users: column age: added age INTEGER NOT NULL DEFAULT 0"}},

    {"ColumnRemoved",
     users,
     "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n",
     {{"table", "users", "column theme", "theme TEXT DEFAULT 'light'", ""}},
     {"table users: column theme: removed theme TEXT DEFAULT 'light'"}},

    {"ColumnOrderOnly",
     "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b INTEGER);",
     "CREATE TABLE t (id INTEGER PRIMARY KEY, b INTEGER, a TEXT);",
     {{"table", "t", "column order", "(id, a, b)", "(id, b, a)"}},
     {"table t: column order (id, a, b) -> (id, b, a)"}},

    {"Autoincrement",
     "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);",
     "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT);",
     {{"table", "t", "column id: autoincrement", "no", "yes"}},
     {"table t: column id: autoincrement no -> yes"}},

    {"GeneratedColumnExpression",
     "CREATE TABLE b (w INTEGER, h INTEGER, area INTEGER AS (w * h));",
     "CREATE TABLE b (w INTEGER, h INTEGER, area INTEGER AS (w + h));",
     {{"table", "b", "column area: generated", "virtual (w * h)", "virtual (w + h)"}},
     {"table b: column area: generated virtual (w * h) -> virtual (w + h)"}},

    {"GeneratedColumnStored",
     "CREATE TABLE b (w INTEGER, h INTEGER, area INTEGER AS (w * h));",
     "CREATE TABLE b (w INTEGER, h INTEGER, area INTEGER AS (w * h) STORED);",
     {{"table", "b", "column area: generated", "virtual (w * h)", "stored (w * h)"}},
     {"table b: column area: generated virtual (w * h) -> stored (w * h)"}},

    {"UniqueAdded",
     "CREATE TABLE t (id INTEGER PRIMARY KEY, email TEXT);",
     "CREATE TABLE t (id INTEGER PRIMARY KEY, email TEXT UNIQUE);",
     {{"table", "t", "unique", "", "(email)"}},
     {"table t: unique: added (email)"}},

    {"UniqueRemoved",
     "CREATE TABLE t (a TEXT, b TEXT, UNIQUE (a, b));",
     "CREATE TABLE t (a TEXT, b TEXT);",
     {{"table", "t", "unique", "(a, b)", ""}},
     {"table t: unique: removed (a, b)"}},

    {"UniqueColumnsChanged",
     "CREATE TABLE t (a TEXT, b TEXT, UNIQUE (a, b));",
     "CREATE TABLE t (a TEXT, b TEXT, UNIQUE (b, a));",
     {{"table", "t", "unique", "(a, b)", ""}, {"table", "t", "unique", "", "(b, a)"}},
     {"table t: unique: removed (a, b)", "table t: unique: added (b, a)"}},

    // UNIQUE (email COLLATE NOCASE) rejects 'A@x' next to 'a@x': another constraint.
    {"UniqueCollation",
     "CREATE TABLE t (id INTEGER PRIMARY KEY, email TEXT, UNIQUE (email));",
     "CREATE TABLE t (id INTEGER PRIMARY KEY, email TEXT, UNIQUE (email COLLATE NOCASE));",
     {{"table", "t", "unique", "(email)", ""},
      {"table", "t", "unique", "", "(email COLLATE NOCASE)"}},
     {"table t: unique: removed (email)", "table t: unique: added (email COLLATE NOCASE)"}},

    {"CheckChanged",
     "CREATE TABLE t (n INTEGER CHECK (n > 0));",
     "CREATE TABLE t (n INTEGER CHECK (n >= 0));",
     {{"table", "t", "check", "(n > 0)", ""}, {"table", "t", "check", "", "(n >= 0)"}},
     {"table t: check: removed (n > 0)", "table t: check: added (n >= 0)"}},

    {"CheckAddedWithName",
     "CREATE TABLE t (n INTEGER);",
     "CREATE TABLE t (n INTEGER, CONSTRAINT positive CHECK (n > 0));",
     {{"table", "t", "check", "", "positive (n > 0)"}},
     {"table t: check: added positive (n > 0)"}},

    {"ForeignKeyOnDelete",
     "CREATE TABLE u (id INTEGER PRIMARY KEY);\n"
     "CREATE TABLE p (uid INTEGER REFERENCES u (id));",
     "CREATE TABLE u (id INTEGER PRIMARY KEY);\n"
     "CREATE TABLE p (uid INTEGER REFERENCES u (id) ON DELETE CASCADE);",
     {{"table", "p", "foreign key (uid) -> u: on delete", "NO ACTION", "CASCADE"}},
     {"table p: foreign key (uid) -> u: on delete NO ACTION -> CASCADE"}},

    {"ForeignKeyOnUpdate",
     "CREATE TABLE u (id INTEGER PRIMARY KEY);\n"
     "CREATE TABLE p (uid INTEGER REFERENCES u (id) ON UPDATE RESTRICT);",
     "CREATE TABLE u (id INTEGER PRIMARY KEY);\n"
     "CREATE TABLE p (uid INTEGER REFERENCES u (id) ON UPDATE SET NULL);",
     {{"table", "p", "foreign key (uid) -> u: on update", "RESTRICT", "SET NULL"}},
     {"table p: foreign key (uid) -> u: on update RESTRICT -> SET NULL"}},

    {"ForeignKeyDeferrable",
     "CREATE TABLE u (id INTEGER PRIMARY KEY);\n"
     "CREATE TABLE p (uid INTEGER, FOREIGN KEY (uid) REFERENCES u (id));",
     "CREATE TABLE u (id INTEGER PRIMARY KEY);\n"
     "CREATE TABLE p (uid INTEGER, FOREIGN KEY (uid) REFERENCES u (id) DEFERRABLE INITIALLY "
     "DEFERRED);",
     {{"table", "p", "foreign key (uid) -> u: deferred", "no", "yes"}},
     {"table p: foreign key (uid) -> u: deferred no -> yes"}},

    {"ForeignKeyTargetTable",
     "CREATE TABLE u (id INTEGER PRIMARY KEY);\nCREATE TABLE v (id INTEGER PRIMARY KEY);\n"
     "CREATE TABLE p (uid INTEGER REFERENCES u (id));",
     "CREATE TABLE u (id INTEGER PRIMARY KEY);\nCREATE TABLE v (id INTEGER PRIMARY KEY);\n"
     "CREATE TABLE p (uid INTEGER REFERENCES v (id));",
     {{"table", "p", "foreign key (uid) -> u", "(uid) REFERENCES u (id)", ""},
      {"table", "p", "foreign key (uid) -> v", "", "(uid) REFERENCES v (id)"}},
     {"table p: foreign key (uid) -> u: removed (uid) REFERENCES u (id)",
      "table p: foreign key (uid) -> v: added (uid) REFERENCES v (id)"}},

    {"ForeignKeyTargetColumn",
     "CREATE TABLE u (id INTEGER PRIMARY KEY, email TEXT UNIQUE);\n"
     "CREATE TABLE p (ref INTEGER REFERENCES u);",
     "CREATE TABLE u (id INTEGER PRIMARY KEY, email TEXT UNIQUE);\n"
     "CREATE TABLE p (ref INTEGER REFERENCES u (email));",
     {{"table", "p", "foreign key (ref) -> u: referenced columns", "(id)", "(email)"}},
     {"table p: foreign key (ref) -> u: referenced columns (id) -> (email)"}},

    {"ForeignKeyRemoved",
     "CREATE TABLE u (id INTEGER PRIMARY KEY);\n"
     "CREATE TABLE p (uid INTEGER REFERENCES u (id) ON DELETE CASCADE);",
     "CREATE TABLE u (id INTEGER PRIMARY KEY);\n"
     "CREATE TABLE p (uid INTEGER);",
     {{"table", "p", "foreign key (uid) -> u", "(uid) REFERENCES u (id) ON DELETE CASCADE", ""}},
     {"table p: foreign key (uid) -> u: removed (uid) REFERENCES u (id) ON DELETE CASCADE"}},

    {"WithoutRowid",
     "CREATE TABLE k (code TEXT PRIMARY KEY NOT NULL, v TEXT);",
     "CREATE TABLE k (code TEXT PRIMARY KEY NOT NULL, v TEXT) WITHOUT ROWID;",
     {{"table", "k", "without rowid", "no", "yes"}},
     {"table k: without rowid no -> yes"}},

    {"Strict",
     "CREATE TABLE s (id INTEGER PRIMARY KEY, v TEXT);",
     "CREATE TABLE s (id INTEGER PRIMARY KEY, v TEXT) STRICT;",
     {{"table", "s", "strict", "no", "yes"}},
     {"table s: strict no -> yes"}},

    {"IndexUnique",
     users + "CREATE INDEX users_email ON users (email);",
     users + "CREATE UNIQUE INDEX users_email ON users (email);",
     {{"index", "users_email", "unique", "no", "yes"}},
     {"index users_email: unique no -> yes"}},

    {"IndexColumnOrder",
     users + "CREATE INDEX users_pair ON users (email, theme);",
     users + "CREATE INDEX users_pair ON users (theme, email);",
     {{"index", "users_pair", "columns", "(email, theme)", "(theme, email)"}},
     {"index users_pair: columns (email, theme) -> (theme, email)"}},

    {"IndexColumnAdded",
     users + "CREATE INDEX users_pair ON users (email);",
     users + "CREATE INDEX users_pair ON users (email, theme);",
     {{"index", "users_pair", "columns", "(email)", "(email, theme)"}},
     {"index users_pair: columns (email) -> (email, theme)"}},

    {"IndexDirection",
     users + "CREATE INDEX users_email ON users (email);",
     users + "CREATE INDEX users_email ON users (email DESC);",
     {{"index", "users_email", "columns", "(email)", "(email DESC)"}},
     {"index users_email: columns (email) -> (email DESC)"}},

    {"IndexCollation",
     users + "CREATE INDEX users_email ON users (email);",
     users + "CREATE INDEX users_email ON users (email COLLATE NOCASE);",
     {{"index", "users_email", "columns", "(email)", "(email COLLATE NOCASE)"}},
     {"index users_email: columns (email) -> (email COLLATE NOCASE)"}},

    {"IndexTable",
     "CREATE TABLE a (x INTEGER);\nCREATE TABLE b (x INTEGER);\nCREATE INDEX ix ON a (x);",
     "CREATE TABLE a (x INTEGER);\nCREATE TABLE b (x INTEGER);\nCREATE INDEX ix ON b (x);",
     {{"index", "ix", "table", "a", "b"}},
     {"index ix: table a -> b"}},

    {"PartialIndexWhere",
     users + "CREATE INDEX users_dark ON users (email) WHERE theme = 'dark';",
     users + "CREATE INDEX users_dark ON users (email) WHERE theme <> 'light';",
     {{"index", "users_dark", "where", "theme = 'dark'", "theme <> 'light'"}},
     {"index users_dark: where theme = 'dark' -> theme <> 'light'"}},

    {"PartialIndexBecomesFull",
     users + "CREATE INDEX users_dark ON users (email) WHERE theme = 'dark';",
     users + "CREATE INDEX users_dark ON users (email);",
     {{"index", "users_dark", "where", "theme = 'dark'", "none"}},
     {"index users_dark: where theme = 'dark' -> none"}},

    {"ExpressionIndex",
     users + "CREATE INDEX users_lower ON users (lower(email));",
     users + "CREATE INDEX users_lower ON users (upper(email));",
     {{"index", "users_lower", "columns", "(lower(email))", "(upper(email))"}},
     {"index users_lower: columns (lower(email)) -> (upper(email))"}},

    {"IndexAdded",
     users,
     users + "CREATE INDEX users_theme ON users (theme) WHERE theme IS NOT NULL;",
     {{"index", "users_theme", "", "",
       "CREATE INDEX users_theme ON users (theme) WHERE theme IS NOT NULL"}},
     {"index users_theme: added"}},

    {"IndexRemoved",
     users + "CREATE UNIQUE INDEX users_email ON users (email DESC);",
     users,
     {{"index", "users_email", "", "CREATE UNIQUE INDEX users_email ON users (email DESC)", ""}},
     {"index users_email: removed"}},

    {"ViewDefinition",
     users + "CREATE VIEW dark AS SELECT id FROM users WHERE theme = 'dark';",
     users + "CREATE VIEW dark AS SELECT id, email FROM users WHERE theme = 'dark';",
     {{"view", "dark", "definition",
       "CREATE VIEW dark AS SELECT id FROM users WHERE theme = 'dark'",
       "CREATE VIEW dark AS SELECT id, email FROM users WHERE theme = 'dark'"}},
     {"view dark: definition CREATE VIEW dark AS SELECT id FROM users WHERE theme = 'dark' -> "
      "CREATE VIEW dark AS SELECT id, email FROM users WHERE theme = 'dark'"}},

    {"ViewAdded",
     users,
     users + "CREATE VIEW emails AS SELECT email FROM users;",
     {{"view", "emails", "", "", "CREATE VIEW emails AS SELECT email FROM users"}},
     {"view emails: added"}},

    {"TriggerDefinition",
     users + "CREATE TRIGGER users_ai AFTER INSERT ON users BEGIN SELECT 1; END;",
     users + "CREATE TRIGGER users_ai BEFORE INSERT ON users BEGIN SELECT 1; END;",
     {{"trigger", "users_ai", "definition",
       "CREATE TRIGGER users_ai AFTER INSERT ON users BEGIN SELECT 1; END",
       "CREATE TRIGGER users_ai BEFORE INSERT ON users BEGIN SELECT 1; END"}},
     {"trigger users_ai: definition CREATE TRIGGER users_ai AFTER INSERT ON users BEGIN SELECT 1; "
      "END -> CREATE TRIGGER users_ai BEFORE INSERT ON users BEGIN SELECT 1; END"}},

    {"TriggerRemoved",
     users + "CREATE TRIGGER users_ai AFTER INSERT ON users BEGIN SELECT 1; END;",
     users,
     {{"trigger", "users_ai", "",
       "CREATE TRIGGER users_ai AFTER INSERT ON users BEGIN SELECT 1; END", ""}},
     {"trigger users_ai: removed"}},

    {"TableAdded",
     users,
     users + "CREATE TABLE tags (name TEXT PRIMARY KEY) WITHOUT ROWID;",
     {{"table", "tags", "", "",
       "CREATE TABLE tags (\n    name TEXT PRIMARY KEY NOT NULL\n) WITHOUT ROWID"}},
     {"table tags: added"}},

    {"TableRemoved",
     users + "CREATE TABLE tags (name TEXT);",
     users,
     {{"table", "tags", "", "CREATE TABLE tags (\n    name TEXT\n)", ""}},
     {"table tags: removed"}},
};

INSTANTIATE_TEST_SUITE_P(Kinds, RealDifferences, ::testing::ValuesIn(differences),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(SchemaDiff, ReportsEveryChangeOrderedByKindAndName) {
    const auto changes = diff_of(
        "CREATE TABLE b (x INTEGER);\nCREATE TABLE a (x INTEGER);\n"
        "CREATE INDEX b_x ON b (x);\nCREATE VIEW v AS SELECT x FROM a;\n",
        "CREATE TABLE a (x TEXT);\nCREATE TABLE b (x INTEGER NOT NULL);\n"
        "CREATE INDEX b_x ON b (x DESC);\nCREATE VIEW v AS SELECT x FROM b;\n");
    EXPECT_EQ(strata::test::change_texts(changes),
              (std::vector<std::string>{
                  "table a: column x: type INTEGER -> TEXT",
                  "table b: column x: not null no -> yes",
                  "index b_x: columns (x) -> (x DESC)",
                  "view v: definition CREATE VIEW v AS SELECT x FROM a -> CREATE VIEW v AS SELECT "
                  "x FROM b",
              }));
}

TEST(SchemaDiff, FormatAndJson) {
    const auto changes = diff_of(users,
                                 "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT "
                                 "NOT NULL, theme TEXT DEFAULT 'dark');\n");
    EXPECT_EQ(strata::format_changes(changes, "    "),
              "    table users: column theme: default 'light' -> 'dark'\n");
    EXPECT_EQ(strata::to_json(changes), nlohmann::json::parse(R"([{"object_kind": "table",
        "object": "users", "attribute": "column theme: default", "before": "'light'",
        "after": "'dark'", "message": "table users: column theme: default 'light' -> 'dark'"}])"));
}

// A table renamed only in case is one table (SQLite names are
// case-insensitive), whose declared name changed.
TEST(SchemaDiff, TableNameCaseIsAChangeOfName) {
    const auto changes =
        diff_of("CREATE TABLE users (id INTEGER);", "CREATE TABLE Users (id INTEGER);");
    EXPECT_EQ(strata::test::change_texts(changes),
              std::vector<std::string>{"table Users: name users -> Users"});
}

// Differences the model must see although SQLite's DDL for them is close:
// the dumps differ and the diff reports a change on the table.
void expect_table_changes(const std::string& before, const std::string& after,
                          const std::string& table) {
    EXPECT_NE(strata::test::dump_of(before), strata::test::dump_of(after))
        << "one dump for two schemas:\n"
        << strata::test::dump_of(before);
    const auto changes = diff_of(before, after);
    ASSERT_FALSE(changes.empty()) << "no difference found between\n"
                                  << before << "\nand\n"
                                  << after;
    for (const auto& c : changes) {
        EXPECT_EQ(c.object_kind, "table") << c.text();
        EXPECT_EQ(c.object, table) << c.text();
    }
}

// INTEGER PRIMARY KEY DESC is not a rowid alias (https://sqlite.org/lang_createtable.html#rowid):
// its id can hold NULL and the table has a separate rowid.
TEST(SchemaDiff, IntegerPrimaryKeyDescIsNotARowidAlias) {
    expect_table_changes("CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT);",
                         "CREATE TABLE a (id INTEGER PRIMARY KEY DESC, v TEXT);", "a");
    const auto s = strata::test::schema_of("CREATE TABLE a (id INTEGER PRIMARY KEY DESC, v TEXT);");
    ASSERT_EQ(s.tables.size(), 1u);
    EXPECT_FALSE(s.tables[0].is_rowid_alias(s.tables[0].columns[0]));
    EXPECT_TRUE(s.tables[0].is_nullable(s.tables[0].columns[0]));
}

// UNIQUE ... ON CONFLICT REPLACE deletes the old row instead of failing.
TEST(SchemaDiff, ConflictClauseOfAUniqueConstraint) {
    expect_table_changes("CREATE TABLE c (x TEXT, UNIQUE (x));",
                         "CREATE TABLE c (x TEXT, UNIQUE (x) ON CONFLICT REPLACE);", "c");
}

// ---- `strata diff`: the schema of --dir against a live --url database ---------

class DiffCommand : public ::testing::Test {
  protected:
    strata::test::scratch_directory dir{"strata-schema-diff-cli"};

    void SetUp() override {
        strata::test::write_file(dir / "migrations/0001_users.up.sql", users);
        strata::test::write_file(dir / "migrations/0001_users.down.sql", "DROP TABLE users;\n");
        const auto up = strata({"up"});
        ASSERT_EQ(up.exit_code, 0) << up.describe();
    }

    strata::test::process_result strata(std::vector<std::string> args) const {
        strata::test::process_spec spec;
        spec.argv = {STRATA_EXE, "--dir", "migrations", "--url", "sqlite:live.db"};
        spec.argv.insert(spec.argv.end(), args.begin(), args.end());
        spec.cwd = dir.path();
        spec.env["DATABASE_URL"] = std::nullopt;
        return strata::test::run_process(spec);
    }

    void on_live(const std::string& sql) const {
        SQLite::Database live((dir / "live.db").string(), SQLite::OPEN_READWRITE);
        live.exec(sql);
    }
};

TEST_F(DiffCommand, NoDriftExitsZero) {
    const auto r = strata({"diff"});
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_EQ(r.out, "no difference: the database has the schema of migrations\n");
    const auto json = strata({"diff", "--json"});
    EXPECT_EQ(json.exit_code, 0) << json.describe();
    EXPECT_EQ(nlohmann::json::parse(json.out), nlohmann::json::array());
}

TEST_F(DiffCommand, DriftIsPrintedPerObjectAndAttribute) {
    on_live(
        "ALTER TABLE users RENAME TO users_old;\n"
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, theme TEXT DEFAULT "
        "'dark');\n"
        "DROP TABLE users_old;\n"
        "CREATE INDEX users_theme ON users (theme);\n");
    const auto r = strata({"diff"});
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_EQ(r.out,
              "sqlite:live.db: error: the database differs from the schema of migrations "
              "(migrations -> database):\n"
              "    table users: column theme: default 'light' -> 'dark'\n"
              "    index users_theme: added\n");

    const auto json = strata({"diff", "--json"});
    EXPECT_EQ(json.exit_code, 1) << json.describe();
    const auto findings = nlohmann::json::parse(json.out);
    ASSERT_EQ(findings.size(), 1u) << json.out;
    EXPECT_EQ(findings[0].at("kind"), "drift");
    EXPECT_EQ(findings[0].at("file"), "sqlite:live.db");
    EXPECT_EQ(findings[0].at("line"), nullptr);
    EXPECT_EQ(findings[0].at("version"), nullptr);
    ASSERT_EQ(findings[0].at("changes").size(), 2u);
    EXPECT_EQ(findings[0].at("changes")[0].at("attribute"), "column theme: default");
    EXPECT_EQ(findings[0].at("changes")[0].at("before"), "'light'");
    EXPECT_EQ(findings[0].at("changes")[0].at("after"), "'dark'");
    EXPECT_EQ(findings[0].at("changes")[1].at("object_kind"), "index");
    EXPECT_EQ(findings[0].at("changes")[1].at("object"), "users_theme");
}

}  // namespace

// PostgreSQL's own kinds, on models built by hand (the same wording on live
// databases is tested in postgres_schema_test.cpp).
TEST(SchemaDiff, PostgresKindsOnHandBuiltModels) {
    strata::schema a;
    a.backend = strata::backend_kind::postgres;
    a.extensions = {{"citext"}};
    a.types = {{"mood", "enum", {"happy", "sad"}, "CREATE TYPE mood AS ENUM ('happy', 'sad')"}};
    a.sequences = {{"users_id_seq", "CREATE SEQUENCE users_id_seq AS integer", "users.id"}};
    a.routines = {{"p()", "procedure", "CREATE OR REPLACE PROCEDURE p() ..."}};
    a.triggers = {{"set_updated_at", "posts", "CREATE TRIGGER set_updated_at ... ON posts"},
                  {"set_updated_at", "users", "CREATE TRIGGER set_updated_at ... ON users"}};
    strata::schema b = a;
    b.extensions.clear();
    b.types[0].labels.push_back("o'k");
    b.sequences[0].owned_by.clear();
    b.routines.push_back({"touch()", "function", "CREATE OR REPLACE FUNCTION touch() ..."});
    b.routines[0].kind = "function";
    b.triggers.pop_back();
    EXPECT_EQ(strata::test::change_texts(strata::diff_schemas(a, b)),
              (std::vector<std::string>{
                  "extension citext: removed",
                  "type mood: labels 'happy', 'sad' -> 'happy', 'sad', 'o''k'",
                  "sequence users_id_seq: owned by users.id -> none",
                  "function p(): kind procedure -> function",
                  "function touch(): added",
                  "trigger set_updated_at on users: removed",
              }));
}
