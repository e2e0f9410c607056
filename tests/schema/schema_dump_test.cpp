// The canonical dump (dump_sql): equivalent schemas, however their DDL was
// spelled or ordered, dump byte for byte the same; the dump is itself valid
// SQL that loads back into the same dump; JSON, Mermaid and dot carry the
// foreign keys.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "process.hpp"
#include "schema_test_support.hpp"

using strata::test::dump_of;
using strata::test::schema_of;
using ::testing::HasSubstr;

namespace {

const std::string banner = "-- canonical schema (sqlite), written by strata\n";

// The dump of `sql`, after checking that it is a fixed point: loading it into
// a fresh database and dumping that gives the same text.
std::string checked_dump(const std::string& sql) {
    const std::string dump = dump_of(sql);
    std::string reloaded;
    try {
        reloaded = dump_of(dump);
    } catch (const std::exception& e) {
        ADD_FAILURE() << "the canonical dump does not load into a fresh database: " << e.what()
                      << "\ndump:\n"
                      << dump << "\nof:\n"
                      << sql;
        return dump;
    }
    EXPECT_EQ(reloaded, dump) << "the canonical dump of\n" << sql << "\nloads into another schema";
    return dump;
}

struct equivalent_pair {
    const char* name;
    std::string first;
    std::string second;
    std::string expected;  // the dump of both, without the banner
};

void PrintTo(const equivalent_pair& p, std::ostream* os) {
    *os << p.name;
}

class EquivalentSchemas : public ::testing::TestWithParam<equivalent_pair> {};

TEST_P(EquivalentSchemas, DumpByteIdentically) {
    const auto& p = GetParam();
    const std::string first = checked_dump(p.first);
    const std::string second = checked_dump(p.second);
    EXPECT_EQ(first, banner + p.expected) << "first spelling:\n" << p.first;
    EXPECT_EQ(second, banner + p.expected) << "second spelling:\n" << p.second;
    EXPECT_EQ(first, second);
    // The models are equal too: the diff has nothing to say.
    EXPECT_THAT(strata::test::change_texts(strata::test::diff_of(p.first, p.second)),
                ::testing::IsEmpty());
}

const equivalent_pair pairs[] = {
    {"CreationOrder",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\n"
     "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id));\n"
     "CREATE INDEX users_email ON users (email);\n"
     "CREATE INDEX posts_user ON posts (user_id);\n"
     "CREATE VIEW recent AS SELECT id FROM posts;\n"
     "CREATE TRIGGER users_ai AFTER INSERT ON users BEGIN SELECT 1; END;\n"
     "CREATE TRIGGER posts_ai AFTER INSERT ON posts BEGIN SELECT 2; END;\n",
     "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id));\n"
     "CREATE TRIGGER posts_ai AFTER INSERT ON posts BEGIN SELECT 2; END;\n"
     "CREATE INDEX posts_user ON posts (user_id);\n"
     "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\n"
     "CREATE TRIGGER users_ai AFTER INSERT ON users BEGIN SELECT 1; END;\n"
     "CREATE VIEW recent AS SELECT id FROM posts;\n"
     "CREATE INDEX users_email ON users (email);\n",
     "\nCREATE TABLE posts (\n"
     "    id INTEGER PRIMARY KEY,\n"
     "    user_id INTEGER,\n"
     "    FOREIGN KEY (user_id) REFERENCES users (id)\n"
     ");\n"
     "\nCREATE TABLE users (\n"
     "    id INTEGER PRIMARY KEY,\n"
     "    email TEXT\n"
     ");\n"
     "\nCREATE INDEX posts_user ON posts (user_id);\n"
     "\nCREATE INDEX users_email ON users (email);\n"
     "\nCREATE VIEW recent AS SELECT id FROM posts;\n"
     "\nCREATE TRIGGER posts_ai AFTER INSERT ON posts BEGIN SELECT 2; END;\n"
     "\nCREATE TRIGGER users_ai AFTER INSERT ON users BEGIN SELECT 1; END;\n"},

    {"KeywordCase",
     "create table users (id integer primary key autoincrement, email text not null collate "
     "nocase default 'A@B', score real check (score >= 0) unique, created_at text default "
     "current_timestamp) strict;\n"
     "create unique index users_score on users (score desc) where email is not null;\n",
     "CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL COLLATE "
     "NOCASE DEFAULT 'A@B', score REAL CHECK (score >= 0) UNIQUE, created_at TEXT DEFAULT "
     "CURRENT_TIMESTAMP) STRICT;\n"
     "CREATE UNIQUE INDEX users_score ON users (score DESC) WHERE email IS NOT NULL;\n",
     "\nCREATE TABLE users (\n"
     "    id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
     "    email TEXT NOT NULL COLLATE NOCASE DEFAULT 'A@B',\n"
     "    score REAL,\n"
     "    created_at TEXT DEFAULT CURRENT_TIMESTAMP,\n"
     "    UNIQUE (score),\n"
     "    CHECK (score >= 0)\n"
     ") STRICT;\n"
     "\nCREATE UNIQUE INDEX users_score ON users (score DESC) WHERE email IS NOT NULL;\n"},

    {"WhitespaceAndComments",
     "CREATE TABLE events(id INTEGER PRIMARY KEY,kind TEXT NOT NULL CHECK(kind IN('a','b')),"
     "at INTEGER DEFAULT(0));CREATE INDEX events_kind ON events(kind,at)WHERE kind='a';",
     "-- the events of the application\n"
     "CREATE   TABLE\tevents (\n"
     "    id   INTEGER  PRIMARY KEY,   -- rowid alias\n"
     "    /* what happened */ kind TEXT NOT NULL\n"
     "        CHECK ( kind IN ( 'a' , /* or */ 'b' ) ),\n"
     "    at INTEGER DEFAULT ( 0 )\n"
     ");\n\n"
     "CREATE INDEX events_kind\n  ON events ( kind , at )\n  WHERE kind = 'a' ; -- partial\n",
     "\nCREATE TABLE events (\n"
     "    id INTEGER PRIMARY KEY,\n"
     "    kind TEXT NOT NULL,\n"
     "    at INTEGER DEFAULT 0,\n"
     "    CHECK (kind IN ('a', 'b'))\n"
     ");\n"
     "\nCREATE INDEX events_kind ON events (kind, at) WHERE kind = 'a';\n"},

    {"QuotingStyles",
     "CREATE TABLE \"users\" (\"id\" INTEGER PRIMARY KEY, [email] TEXT, `full name` TEXT);\n"
     "CREATE TABLE [order] (`id` INTEGER PRIMARY KEY, \"user\" INTEGER REFERENCES \"users\" "
     "(`id`));\n"
     "CREATE INDEX \"users_email\" ON [users] (`email`, [full name]);\n"
     "CREATE VIEW [named] AS SELECT \"full name\" FROM `users`;\n",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, \"full name\" TEXT);\n"
     "CREATE TABLE \"order\" (id INTEGER PRIMARY KEY, user INTEGER REFERENCES users (id));\n"
     "CREATE INDEX users_email ON users (email, \"full name\");\n"
     "CREATE VIEW named AS SELECT [full name] FROM users;\n",
     "\nCREATE TABLE \"order\" (\n"
     "    id INTEGER PRIMARY KEY,\n"
     "    user INTEGER,\n"
     "    FOREIGN KEY (user) REFERENCES users (id)\n"
     ");\n"
     "\nCREATE TABLE users (\n"
     "    id INTEGER PRIMARY KEY,\n"
     "    email TEXT,\n"
     "    \"full name\" TEXT\n"
     ");\n"
     "\nCREATE INDEX users_email ON users (email, \"full name\");\n"
     "\nCREATE VIEW named AS SELECT \"full name\" FROM users;\n"},

    {"IntegerPrimaryKeyColumnOrTableConstraint",
     "CREATE TABLE items (id INTEGER PRIMARY KEY, label TEXT);\n",
     "CREATE TABLE items (id INTEGER, label TEXT, PRIMARY KEY (id));\n",
     "\nCREATE TABLE items (\n"
     "    id INTEGER PRIMARY KEY,\n"
     "    label TEXT\n"
     ");\n"},

    {"RowidAliasNotNullAndWithoutRowidKeyNotNull",
     "CREATE TABLE items (id INTEGER PRIMARY KEY NOT NULL, label TEXT);\n"
     "CREATE TABLE tags (name TEXT NOT NULL PRIMARY KEY, n INTEGER) WITHOUT ROWID;\n",
     "CREATE TABLE items (id INTEGER PRIMARY KEY, label TEXT);\n"
     "CREATE TABLE tags (name TEXT PRIMARY KEY, n INTEGER) WITHOUT ROWID;\n",
     "\nCREATE TABLE items (\n"
     "    id INTEGER PRIMARY KEY,\n"
     "    label TEXT\n"
     ");\n"
     "\nCREATE TABLE tags (\n"
     "    name TEXT PRIMARY KEY NOT NULL,\n"
     "    n INTEGER\n"
     ") WITHOUT ROWID;\n"},

    {"ReferencesImplicitPrimaryKey",
     "CREATE TABLE users (id INTEGER PRIMARY KEY);\n"
     "CREATE TABLE pairs (x TEXT, y TEXT, PRIMARY KEY (x, y));\n"
     "CREATE TABLE posts (author INTEGER REFERENCES users, x TEXT, y TEXT,\n"
     "  FOREIGN KEY (x, y) REFERENCES pairs);\n",
     "CREATE TABLE users (id INTEGER PRIMARY KEY);\n"
     "CREATE TABLE pairs (x TEXT, y TEXT, PRIMARY KEY (x, y));\n"
     "CREATE TABLE posts (author INTEGER REFERENCES users (id), x TEXT, y TEXT,\n"
     "  FOREIGN KEY (x, y) REFERENCES pairs (x, y));\n",
     "\nCREATE TABLE pairs (\n"
     "    x TEXT,\n"
     "    y TEXT,\n"
     "    PRIMARY KEY (x, y)\n"
     ");\n"
     "\nCREATE TABLE posts (\n"
     "    author INTEGER,\n"
     "    x TEXT,\n"
     "    y TEXT,\n"
     "    FOREIGN KEY (author) REFERENCES users (id),\n"
     "    FOREIGN KEY (x, y) REFERENCES pairs (x, y)\n"
     ");\n"
     "\nCREATE TABLE users (\n"
     "    id INTEGER PRIMARY KEY\n"
     ");\n"},

    {"DefaultWithOrWithoutParentheses",
     "CREATE TABLE settings (a INTEGER DEFAULT 0, b TEXT DEFAULT 'light', c INTEGER DEFAULT -1,\n"
     "  d TEXT DEFAULT CURRENT_TIMESTAMP, e REAL DEFAULT 0.5, f INTEGER DEFAULT (abs(-2)));\n",
     "CREATE TABLE settings (a INTEGER DEFAULT (0), b TEXT DEFAULT ('light'), c INTEGER DEFAULT "
     "(-1),\n"
     "  d TEXT DEFAULT (CURRENT_TIMESTAMP), e REAL DEFAULT ((0.5)), f INTEGER DEFAULT "
     "((abs(-2))));\n",
     "\nCREATE TABLE settings (\n"
     "    a INTEGER DEFAULT 0,\n"
     "    b TEXT DEFAULT 'light',\n"
     "    c INTEGER DEFAULT - 1,\n"
     "    d TEXT DEFAULT CURRENT_TIMESTAMP,\n"
     "    e REAL DEFAULT 0.5,\n"
     "    f INTEGER DEFAULT (abs(- 2))\n"
     ");\n"},

    {"UniqueOnColumnOrTable",
     "CREATE TABLE accounts (id INTEGER PRIMARY KEY, email TEXT UNIQUE, a TEXT, b TEXT,\n"
     "  UNIQUE (a, b));\n",
     "CREATE TABLE accounts (id INTEGER PRIMARY KEY, email TEXT, a TEXT, b TEXT,\n"
     "  UNIQUE (a, b), UNIQUE (email));\n",
     "\nCREATE TABLE accounts (\n"
     "    id INTEGER PRIMARY KEY,\n"
     "    email TEXT,\n"
     "    a TEXT,\n"
     "    b TEXT,\n"
     "    UNIQUE (a, b),\n"
     "    UNIQUE (email)\n"
     ");\n"},

    {"CheckOnColumnOrTable",
     "CREATE TABLE scores (id INTEGER PRIMARY KEY, score INTEGER CHECK (score >= 0),\n"
     "  bonus INTEGER CONSTRAINT small CHECK (bonus < 10));\n",
     "CREATE TABLE scores (id INTEGER PRIMARY KEY, score INTEGER, bonus INTEGER,\n"
     "  CONSTRAINT small CHECK (bonus < 10), CHECK (score >= 0));\n",
     "\nCREATE TABLE scores (\n"
     "    id INTEGER PRIMARY KEY,\n"
     "    score INTEGER,\n"
     "    bonus INTEGER,\n"
     "    CONSTRAINT small CHECK (bonus < 10),\n"
     "    CHECK (score >= 0)\n"
     ");\n"},

    {"ForeignKeyOnColumnOrTable",
     "CREATE TABLE users (id INTEGER PRIMARY KEY);\n"
     "CREATE TABLE posts (id INTEGER PRIMARY KEY, author INTEGER REFERENCES users (id)\n"
     "  on delete cascade on update set null deferrable initially deferred);\n",
     "CREATE TABLE users (id INTEGER PRIMARY KEY);\n"
     "CREATE TABLE posts (id INTEGER PRIMARY KEY, author INTEGER,\n"
     "  FOREIGN KEY (author) REFERENCES users (id) ON UPDATE SET NULL ON DELETE CASCADE\n"
     "  DEFERRABLE INITIALLY DEFERRED);\n",
     "\nCREATE TABLE posts (\n"
     "    id INTEGER PRIMARY KEY,\n"
     "    author INTEGER,\n"
     "    FOREIGN KEY (author) REFERENCES users (id) ON DELETE CASCADE ON UPDATE SET NULL "
     "DEFERRABLE INITIALLY DEFERRED\n"
     ");\n"
     "\nCREATE TABLE users (\n"
     "    id INTEGER PRIMARY KEY\n"
     ");\n"},

    {"IndexAscendingOrDefault",
     "CREATE TABLE t (a TEXT, b TEXT);\n"
     "CREATE INDEX t_ab ON t (a ASC, b COLLATE BINARY);\n",
     "CREATE TABLE t (a TEXT, b TEXT);\n"
     "CREATE INDEX t_ab ON t (a, b ASC);\n",
     "\nCREATE TABLE t (\n"
     "    a TEXT,\n"
     "    b TEXT\n"
     ");\n"
     "\nCREATE INDEX t_ab ON t (a, b);\n"},

    {"ViewWhitespaceAndCase",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, deleted_at INTEGER);\n"
     "create view active_users as select id , email from users where deleted_at is null order "
     "by id;\n",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, deleted_at INTEGER);\n"
     "CREATE VIEW active_users AS\n"
     "    SELECT id, email -- both\n"
     "    FROM users\n"
     "    WHERE deleted_at IS NULL\n"
     "    ORDER BY id;\n",
     "\nCREATE TABLE users (\n"
     "    id INTEGER PRIMARY KEY,\n"
     "    email TEXT,\n"
     "    deleted_at INTEGER\n"
     ");\n"
     "\nCREATE VIEW active_users AS SELECT id, email FROM users WHERE deleted_at IS NULL ORDER "
     "BY id;\n"},

    {"TriggerWhitespaceAndCase",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, updated_at INTEGER);\n"
     "create trigger users_touch after update of id on users for each row when new.id>0 begin "
     "update users set updated_at=strftime('%s','now') where id=new.id; end;\n",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, updated_at INTEGER);\n"
     "CREATE TRIGGER users_touch\n"
     "    AFTER UPDATE OF id ON users\n"
     "    FOR EACH ROW WHEN NEW.id > 0\n"
     "BEGIN\n"
     "    /* keep the time */\n"
     "    UPDATE users SET updated_at = strftime('%s', 'now') WHERE id = NEW.id;\n"
     "END;\n",
     "\nCREATE TABLE users (\n"
     "    id INTEGER PRIMARY KEY,\n"
     "    updated_at INTEGER\n"
     ");\n"
     "\nCREATE TRIGGER users_touch AFTER UPDATE OF id ON users FOR EACH ROW WHEN new.id > 0 "
     "BEGIN UPDATE users SET updated_at = strftime('%s', 'now') WHERE id = new.id; END;\n"},

    {"IfNotExists",
     "CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, email TEXT);\n"
     "CREATE INDEX IF NOT EXISTS users_email ON users (email);\n"
     "CREATE VIEW IF NOT EXISTS emails AS SELECT email FROM users;\n"
     "CREATE TRIGGER IF NOT EXISTS users_ad AFTER DELETE ON users BEGIN SELECT 1; END;\n",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\n"
     "CREATE INDEX users_email ON users (email);\n"
     "CREATE VIEW emails AS SELECT email FROM users;\n"
     "CREATE TRIGGER users_ad AFTER DELETE ON users BEGIN SELECT 1; END;\n",
     "\nCREATE TABLE users (\n"
     "    id INTEGER PRIMARY KEY,\n"
     "    email TEXT\n"
     ");\n"
     "\nCREATE INDEX users_email ON users (email);\n"
     "\nCREATE VIEW emails AS SELECT email FROM users;\n"
     "\nCREATE TRIGGER users_ad AFTER DELETE ON users BEGIN SELECT 1; END;\n"},

    {"AlterTableOrCreatedThatWay",
     "CREATE TABLE users_new (id INTEGER PRIMARY KEY, email TEXT);\n"
     "ALTER TABLE users_new RENAME TO users;\n"
     "ALTER TABLE users ADD COLUMN theme TEXT NOT NULL DEFAULT 'light';\n",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, theme TEXT NOT NULL DEFAULT "
     "'light');\n",
     "\nCREATE TABLE users (\n"
     "    id INTEGER PRIMARY KEY,\n"
     "    email TEXT,\n"
     "    theme TEXT NOT NULL DEFAULT 'light'\n"
     ");\n"},

    {"TypeAndCollationSpelling",
     "CREATE TABLE prices (code varchar ( 12 ) collate nocase, amount decimal(10,2),\n"
     "  ratio double precision);\n",
     "CREATE TABLE prices (code VARCHAR(12) COLLATE NOCASE, amount DECIMAL(10, 2),\n"
     "  ratio DOUBLE PRECISION);\n",
     "\nCREATE TABLE prices (\n"
     "    code VARCHAR(12) COLLATE NOCASE,\n"
     "    amount DECIMAL(10, 2),\n"
     "    ratio DOUBLE PRECISION\n"
     ");\n"},

    {"GeneratedColumnSpelling",
     "CREATE TABLE boxes (w INTEGER, h INTEGER, area INTEGER AS (w*h),\n"
     "  label TEXT AS ('box ' || w) STORED);\n",
     "CREATE TABLE boxes (w INTEGER, h INTEGER, area INTEGER GENERATED ALWAYS AS ( w * h ) "
     "VIRTUAL,\n"
     "  label TEXT GENERATED ALWAYS AS ('box '||w) STORED);\n",
     "\nCREATE TABLE boxes (\n"
     "    w INTEGER,\n"
     "    h INTEGER,\n"
     "    area INTEGER GENERATED ALWAYS AS (w * h) VIRTUAL,\n"
     "    label TEXT GENERATED ALWAYS AS ('box ' || w) STORED\n"
     ");\n"},
};

INSTANTIATE_TEST_SUITE_P(Pairs, EquivalentSchemas, ::testing::ValuesIn(pairs),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(CanonicalDump, EmptySchemaIsTheBannerOnly) {
    EXPECT_EQ(checked_dump(""), banner);
}

TEST(CanonicalDump, LeavesOutTheTrackingTableAndSqliteInternals) {
    const std::string dump = checked_dump(
        "CREATE TABLE _strata_migrations (version TEXT PRIMARY KEY, name TEXT);\n"
        "CREATE INDEX _strata_migrations_name ON _strata_migrations (name);\n"
        "CREATE TABLE counters (id INTEGER PRIMARY KEY AUTOINCREMENT, n INTEGER UNIQUE);\n"
        "INSERT INTO counters (n) VALUES (1);\n"
        "ANALYZE;\n");
    EXPECT_EQ(dump, banner +
                        "\nCREATE TABLE counters (\n"
                        "    id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
                        "    n INTEGER,\n"
                        "    UNIQUE (n)\n"
                        ");\n");
}

TEST(CanonicalDump, KeepsColumnOrderAndNameCase) {
    const std::string dump = checked_dump("CREATE TABLE Users (zeta TEXT, Alpha TEXT, mid TEXT);");
    EXPECT_EQ(dump, banner +
                        "\nCREATE TABLE Users (\n"
                        "    zeta TEXT,\n"
                        "    Alpha TEXT,\n"
                        "    mid TEXT\n"
                        ");\n");
}

TEST(CanonicalDump, QuotesKeywordsAndOddNames) {
    const std::string dump = checked_dump(
        "CREATE TABLE \"select\" (\"from\" INTEGER, \"a\"\"b\" TEXT, \"1st\" TEXT, \"é\" TEXT);\n"
        "CREATE INDEX \"select from\" ON \"select\" (\"from\" DESC, \"a\"\"b\");\n");
    EXPECT_EQ(dump,
              banner +
                  "\nCREATE TABLE \"select\" (\n"
                  "    \"from\" INTEGER,\n"
                  "    \"a\"\"b\" TEXT,\n"
                  "    \"1st\" TEXT,\n"
                  "    é TEXT\n"
                  ");\n"
                  "\nCREATE INDEX \"select from\" ON \"select\" (\"from\" DESC, \"a\"\"b\");\n");
}

TEST(CanonicalDump, CompositeKeysIndexesAndTableOptions) {
    const std::string dump = checked_dump(
        "CREATE TABLE memberships (team TEXT, member TEXT COLLATE NOCASE, since INTEGER NOT NULL,\n"
        "  PRIMARY KEY (member, team)) WITHOUT ROWID, STRICT;\n"
        "CREATE INDEX memberships_since ON memberships (since DESC, lower(team) COLLATE NOCASE)\n"
        "  WHERE since > 0 AND team IS NOT NULL;\n");
    EXPECT_EQ(dump, banner +
                        "\nCREATE TABLE memberships (\n"
                        "    team TEXT NOT NULL,\n"
                        "    member TEXT NOT NULL COLLATE NOCASE,\n"
                        "    since INTEGER NOT NULL,\n"
                        "    PRIMARY KEY (member, team)\n"
                        ") WITHOUT ROWID, STRICT;\n"
                        "\nCREATE INDEX memberships_since ON memberships (since DESC, lower(team) "
                        "COLLATE NOCASE) WHERE since > 0 AND team IS NOT NULL;\n");
}

// The project's own reference set: its canonical dump reloads to itself.
TEST(CanonicalDump, ReferenceMigrationsDumpIsAFixedPoint) {
    strata::scratch_database db;
    db.apply(strata::read_migration_set(std::string(STRATA_SOURCE_DIR) + "/migrations"));
    const std::string dump = strata::dump_sql(db.schema());
    EXPECT_EQ(dump_of(dump), dump);
    EXPECT_THAT(dump, HasSubstr("    theme TEXT NOT NULL DEFAULT 'light'\n"));
    EXPECT_THAT(dump, HasSubstr("\nCREATE INDEX events_purchases ON events (occurred_at) WHERE "
                                "kind = 'purchase';\n"));
}

// A view's name and column names are observable (`SELECT *`) like a
// table's: the canonical form must not change their case.
TEST(CanonicalDump, ViewKeepsTheCaseOfItsNames) {
    const std::string sql =
        "CREATE TABLE users (id INTEGER PRIMARY KEY);\n"
        "CREATE VIEW \"UserIds\" AS SELECT id AS \"UserId\" FROM users;\n";
    const std::string dump = checked_dump(sql);
    SQLite::Database db(":memory:", SQLite::OPEN_READWRITE);
    db.exec(dump);
    EXPECT_EQ(db.execAndGet("SELECT name FROM sqlite_schema WHERE type = 'view'").getString(),
              "UserIds")
        << dump;
    SQLite::Statement q(db, "SELECT * FROM UserIds");
    EXPECT_STREQ(q.getColumnName(0), "UserId") << dump;
    EXPECT_THAT(strata::test::change_texts(strata::test::diff_of(
                    sql,
                    "CREATE TABLE users (id INTEGER PRIMARY KEY);\n"
                    "CREATE VIEW \"UserIds\" AS SELECT id AS \"userid\" FROM users;\n")),
                ::testing::Not(::testing::IsEmpty()));
}

// UNIQUE (x COLLATE NOCASE) is another constraint than UNIQUE (x): the dump
// must keep the collation.
TEST(CanonicalDump, UniqueConstraintKeepsItsCollation) {
    const std::string dump =
        checked_dump("CREATE TABLE accounts (email TEXT, UNIQUE (email COLLATE NOCASE));\n");
    EXPECT_EQ(dump, banner +
                        "\nCREATE TABLE accounts (\n"
                        "    email TEXT,\n"
                        "    UNIQUE (email COLLATE NOCASE)\n"
                        ");\n");
}

// A virtual table creates its own shadow tables: the dump must hold the
// CREATE VIRTUAL TABLE only, or it cannot be loaded again.
TEST(CanonicalDump, VirtualTableWithShadowTablesReloads) {
    const std::string dump = checked_dump(
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);\n"
        "CREATE VIRTUAL TABLE notes_fts USING fts5(body, content='notes', content_rowid='id');\n");
    EXPECT_EQ(dump, banner +
                        "\nCREATE TABLE notes (\n"
                        "    id INTEGER PRIMARY KEY,\n"
                        "    body TEXT\n"
                        ");\n"
                        "\nCREATE VIRTUAL TABLE notes_fts USING fts5(body, content = 'notes', "
                        "content_rowid = 'id');\n");
}

const char* const foreign_key_schema =
    "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n"
    "CREATE TABLE posts (id INTEGER PRIMARY KEY, author_id INTEGER NOT NULL REFERENCES users (id)\n"
    "  ON DELETE CASCADE, title TEXT);\n"
    "CREATE TABLE \"post tags\" (post INTEGER REFERENCES posts, tag TEXT, PRIMARY KEY (post, "
    "tag));\n";

TEST(SchemaFormats, JsonHoldsTheForeignKeys) {
    const auto s = schema_of(foreign_key_schema);
    checked_dump(foreign_key_schema);
    const nlohmann::json j = strata::to_json(s);
    EXPECT_EQ(j.at("backend"), "sqlite");
    ASSERT_EQ(j.at("tables").size(), 3u);
    const auto& tags = j.at("tables").at(0);
    EXPECT_EQ(tags.at("name"), "post tags");
    EXPECT_EQ(tags.at("foreign_keys"), nlohmann::json::parse(R"([{"columns": ["post"],
        "table": "posts", "referenced": ["id"], "on_delete": "NO ACTION",
        "on_update": "NO ACTION", "deferred": false}])"));
    const auto& posts = j.at("tables").at(1);
    EXPECT_EQ(posts.at("name"), "posts");
    EXPECT_EQ(posts.at("foreign_keys"), nlohmann::json::parse(R"([{"columns": ["author_id"],
        "table": "users", "referenced": ["id"], "on_delete": "CASCADE",
        "on_update": "NO ACTION", "deferred": false}])"));
    EXPECT_EQ(
        posts.at("columns").at(1),
        nlohmann::json::parse(
            R"({"name": "author_id", "type": "INTEGER", "not_null": true, "descending_key": false,
        "default": null, "collation": null, "primary_key": 0, "autoincrement": false,
        "hidden": false})"));
    EXPECT_EQ(j.at("tables").at(2).at("foreign_keys"), nlohmann::json::array());
}

// PostgreSQL's fields stay out of a SQLite schema's JSON.
TEST(SchemaFormats, SqliteJsonHasNoPostgresKeys) {
    const nlohmann::json j = strata::to_json(schema_of(foreign_key_schema));
    std::vector<std::string> keys;
    for (const auto& item : j.items())
        keys.push_back(item.key());
    EXPECT_EQ(keys,
              (std::vector<std::string>{"backend", "indexes", "tables", "triggers", "views"}));
    for (const auto& t : j.at("tables")) {
        EXPECT_FALSE(t.contains("primary_key_name"));
        EXPECT_FALSE(t.contains("exclusions"));
    }
}

TEST(SchemaFormats, MermaidHasForeignKeyEdges) {
    const std::string mermaid = strata::dump_mermaid(schema_of(foreign_key_schema));
    EXPECT_THAT(mermaid, ::testing::StartsWith("erDiagram\n"));
    EXPECT_THAT(mermaid, HasSubstr("    posts }o--|| users : \"author_id\"\n"));
    EXPECT_THAT(mermaid, HasSubstr("    post_tags }o--|| posts : \"post\"\n"));
    EXPECT_THAT(mermaid, HasSubstr("    posts {\n"
                                   "        INTEGER id PK\n"
                                   "        INTEGER author_id FK\n"
                                   "        TEXT title \"nullable\"\n"
                                   "    }\n"));
}

TEST(SchemaFormats, DotHasForeignKeyEdges) {
    const std::string dot = strata::dump_dot(schema_of(foreign_key_schema));
    EXPECT_THAT(dot, ::testing::StartsWith("digraph schema {\n"));
    EXPECT_THAT(dot,
                HasSubstr("    \"posts\":\"author_id\" -> \"users\" [label=\"author_id\"];\n"));
    EXPECT_THAT(dot, HasSubstr("    \"post tags\":\"post\" -> \"posts\" [label=\"post\"];\n"));
    EXPECT_THAT(dot, ::testing::EndsWith("}\n"));
}

// ---- `strata schema --dir D --format F` --------------------------------------

class SchemaCommand : public ::testing::Test {
  protected:
    strata::test::scratch_directory dir{"strata-schema-cli"};

    void SetUp() override {
        strata::test::write_file(
            dir / "migrations/0001_users.up.sql",
            "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n"
            "CREATE UNIQUE INDEX users_email ON users (email);\n");
        strata::test::write_file(dir / "migrations/0001_users.down.sql", "DROP TABLE users;\n");
        strata::test::write_file(
            dir / "migrations/0002_posts.up.sql",
            "create table posts (id integer primary key, author_id integer not null\n"
            "    references users on delete cascade, title text);\n");
        strata::test::write_file(dir / "migrations/0002_posts.down.sql", "DROP TABLE posts;\n");
    }

    strata::test::process_result schema(const std::string& format) const {
        strata::test::process_spec spec;
        spec.argv = {STRATA_EXE, "--dir", "migrations", "schema", "--format", format};
        spec.cwd = dir.path();
        spec.env["DATABASE_URL"] = std::nullopt;
        return strata::test::run_process(spec);
    }
};

TEST_F(SchemaCommand, SqlIsTheCanonicalDump) {
    const auto r = schema("sql");
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_EQ(r.out, banner +
                         "\nCREATE TABLE posts (\n"
                         "    id INTEGER PRIMARY KEY,\n"
                         "    author_id INTEGER NOT NULL,\n"
                         "    title TEXT,\n"
                         "    FOREIGN KEY (author_id) REFERENCES users (id) ON DELETE CASCADE\n"
                         ");\n"
                         "\nCREATE TABLE users (\n"
                         "    id INTEGER PRIMARY KEY,\n"
                         "    email TEXT NOT NULL\n"
                         ");\n"
                         "\nCREATE UNIQUE INDEX users_email ON users (email);\n");
    EXPECT_EQ(dump_of(r.out), r.out);
}

TEST_F(SchemaCommand, JsonMermaidAndDotHaveTheForeignKey) {
    const auto json = schema("json");
    ASSERT_EQ(json.exit_code, 0) << json.describe();
    const auto j = nlohmann::json::parse(json.out);
    EXPECT_EQ(j.at("tables").at(0).at("name"), "posts");
    EXPECT_EQ(j.at("tables").at(0).at("foreign_keys").at(0).at("table"), "users");
    EXPECT_EQ(j.at("tables").at(0).at("foreign_keys").at(0).at("columns"),
              nlohmann::json::array({"author_id"}));
    EXPECT_EQ(j.at("tables").at(0).at("foreign_keys").at(0).at("on_delete"), "CASCADE");
    EXPECT_EQ(j.at("indexes").at(0).at("name"), "users_email");

    const auto mermaid = schema("mermaid");
    ASSERT_EQ(mermaid.exit_code, 0) << mermaid.describe();
    EXPECT_THAT(mermaid.out, HasSubstr("    posts }o--|| users : \"author_id\"\n"));

    const auto dot = schema("dot");
    ASSERT_EQ(dot.exit_code, 0) << dot.describe();
    EXPECT_THAT(dot.out,
                HasSubstr("    \"posts\":\"author_id\" -> \"users\" [label=\"author_id\"];\n"));
}

TEST_F(SchemaCommand, UnknownFormatIsAUsageError) {
    const auto r = schema("yaml");
    EXPECT_EQ(r.exit_code, 2) << r.describe();
}

}  // namespace
