// schema_from_json, the inverse of to_json: SQLite and PostgreSQL models read
// from real databases survive the trip through JSON (same canonical dump, no
// difference), a hand-built model with every field set does too, and
// malformed input is a usage error naming the key.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "postgres.hpp"
#include "postgres/internal/schema.hpp"
#include "schema/json.hpp"
#include "schema_test_support.hpp"
#include "strata/error.hpp"
#include "strata/migration_set.hpp"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using ::testing::HasSubstr;

// The checks of the contract: same canonical SQL, no difference, and the
// JSON itself a fixed point.
void expect_round_trip(const strata::schema& s) {
    const json j = strata::to_json(s);
    const strata::schema back = strata::schema_from_json(j);
    EXPECT_EQ(strata::dump_sql(back), strata::dump_sql(s));
    EXPECT_EQ(strata::test::change_texts(strata::diff_schemas(s, back)),
              std::vector<std::string>{});
    EXPECT_EQ(strata::to_json(back), j);
    // Through text as well, as an application embeds it.
    const strata::schema parsed = strata::parse_schema_json(j.dump(2));
    EXPECT_EQ(strata::dump_sql(parsed), strata::dump_sql(s));
}

// ---- SQLite ------------------------------------------------------------------

class SqliteSetRoundTrip : public ::testing::TestWithParam<std::string> {};

TEST_P(SqliteSetRoundTrip, DumpAndDiffSurviveJson) {
    const fs::path dir = fs::path(STRATA_SOURCE_DIR) / GetParam();
    const auto set = strata::read_migration_set(dir);
    ASSERT_TRUE(set.ok()) << dir;
    const strata::schema s = strata::scratch_schema(set);
    ASSERT_FALSE(s.tables.empty());
    expect_round_trip(s);
}

INSTANTIATE_TEST_SUITE_P(SchemaJson, SqliteSetRoundTrip,
                         ::testing::Values("tests/schema/fixtures/hostile",
                                           "tests/schema/fixtures/common_names", "migrations"),
                         [](const auto& p) {
                             std::string name = fs::path(p.param).filename().string();
                             std::replace(name.begin(), name.end(), '-', '_');
                             return name;
                         });

// SQLite's rarer constructs, read from a real database.
TEST(SchemaJson, SqliteConstructsRoundTrip) {
    const strata::schema s = strata::test::schema_of(R"(
        CREATE TABLE authors (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL COLLATE NOCASE);
        CREATE TABLE "Odd ""name""" (k TEXT PRIMARY KEY DESC, v BLOB DEFAULT x'00') WITHOUT ROWID;
        CREATE TABLE strict_t (a INTEGER NOT NULL, b TEXT, c ANY,
            d INTEGER GENERATED ALWAYS AS (a * 2) VIRTUAL,
            e TEXT GENERATED ALWAYS AS (upper(b)) STORED,
            PRIMARY KEY (a, b),
            UNIQUE (b COLLATE NOCASE, c) ON CONFLICT REPLACE,
            CONSTRAINT positive CHECK (a > 0), CHECK (length(b) < 10)) STRICT;
        CREATE TABLE books (id INTEGER PRIMARY KEY, author INTEGER REFERENCES authors
            ON DELETE CASCADE ON UPDATE SET NULL DEFERRABLE INITIALLY DEFERRED,
            title TEXT DEFAULT '', untyped);
        CREATE INDEX books_title ON books (lower(title) DESC, author) WHERE title <> '';
        CREATE UNIQUE INDEX books_author_title ON books (author, title COLLATE NOCASE);
        CREATE VIRTUAL TABLE docs USING fts5(title, body);
        CREATE VIEW book_titles AS SELECT title FROM books;
        CREATE TRIGGER books_touch AFTER UPDATE ON books BEGIN SELECT 1; END;
    )");
    ASSERT_NE(s.find_table("docs"), nullptr);
    expect_round_trip(s);
}

TEST(SchemaJson, EmptySqliteSchemaRoundTrips) {
    expect_round_trip(strata::test::schema_of(""));
}

// Every field of the model set to something other than its default, on both
// backends: what to_json writes is all there is to read back.
strata::schema every_field(strata::backend_kind backend) {
    strata::schema s;
    s.backend = backend;
    strata::table t;
    t.name = "t";
    strata::column a;
    a.name = "a";
    a.type = "INTEGER";
    a.not_null = true;
    a.default_sql = "";
    a.collation = "NOCASE";
    a.primary_key = 1;
    a.descending_key = true;
    a.autoincrement = true;
    a.hidden = true;
    a.identity = "BY DEFAULT";
    strata::column g;
    g.name = "g";
    g.generated = strata::generated_kind::virtual_column;
    g.generated_sql = "a + 1";
    t.columns = {a, g};
    t.uniques = {{"u", {{"a", true, "NOCASE"}, {"lower(g)", false, ""}}, "REPLACE", "UNIQUE (a)"}};
    t.checks = {{"", "a > 0"}, {"named", "g < 2"}};
    t.primary_key_name = "t_pkey";
    t.primary_key_definition = "PRIMARY KEY (a)";
    t.exclusions = {{"x", "EXCLUDE USING gist (a WITH =)"}};
    t.foreign_keys = {{"fk", {"a"}, "u", {"id"}, "CASCADE", "SET NULL", true, "FOREIGN KEY ..."}};
    t.without_rowid = true;
    t.strict = true;
    t.virtual_using = "USING fts5(a)";
    s.tables = {t};
    strata::index ix;
    ix.name = "ix";
    ix.table = "t";
    ix.unique = true;
    ix.columns = {{"a", true, "NOCASE"}};
    ix.where = "a > 1";
    ix.method = "gist";
    ix.include = {"g"};
    ix.options = "WITH (fillfactor='70')";
    s.indexes = {ix};
    s.views = {{"v", "CREATE MATERIALIZED VIEW v AS SELECT 1", true}};
    s.triggers = {{"tr", "t", "CREATE TRIGGER tr ..."}};
    s.extensions = {{"citext"}};
    s.types = {{"d", "domain", {"odd"}, "CREATE DOMAIN d AS integer"},
               {"e", "enum", {}, "CREATE TYPE e AS ENUM ()"}};
    s.sequences = {{"q", "CREATE SEQUENCE q", "t.a"}, {"r", "CREATE SEQUENCE r", ""}};
    s.routines = {{"p(integer)", "procedure", "CREATE OR REPLACE PROCEDURE p ..."}};
    return s;
}

TEST(SchemaJson, EveryFieldRoundTrips) {
    for (const auto backend : {strata::backend_kind::sqlite, strata::backend_kind::postgres}) {
        SCOPED_TRACE(strata::to_string(backend));
        const strata::schema s = every_field(backend);
        const json j = strata::to_json(s);
        EXPECT_EQ(strata::to_json(strata::schema_from_json(j)), j);
        expect_round_trip(s);
    }
}

TEST(SchemaJson, UnknownBackendIsAnError) {
    json j = strata::to_json(strata::test::schema_of(""));
    j["backend"] = "mysql";
    try {
        strata::schema_from_json(j);
        ADD_FAILURE() << "expected strata::error";
    } catch (const strata::error& e) {
        EXPECT_EQ(e.kind(), strata::error_kind::usage);
        EXPECT_STREQ(e.what(),
                     "schema json: backend: unknown backend 'mysql' (sqlite or postgres)");
    }
}

// ---- PostgreSQL --------------------------------------------------------------

std::string read_text(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

strata::schema read_postgres(const strata::test::postgres_test_database& db) {
    pqxx::connection c(db.url());
    pqxx::nontransaction tx(c);
    return strata::read_postgres_schema(tx);
}

// What the realworld fixture leaves out: domain, composite and range types,
// an exclusion constraint, INCLUDE and WITH on an index, a procedure, an
// identity and a generated column, collations, a sequence owned by a column,
// a MATCH FULL deferred foreign key, a trigger, a view of a view.
const std::string extra_objects = R"(
CREATE DOMAIN positive_int AS integer CONSTRAINT positive CHECK (VALUE > 0);
CREATE TYPE address AS (street text, city text COLLATE "C");
CREATE TYPE float_range AS RANGE (subtype = float8);
CREATE TABLE bookings (
    id             integer GENERATED BY DEFAULT AS IDENTITY (START WITH 10) PRIMARY KEY,
    room           integer NOT NULL,
    during         tsrange NOT NULL,
    quantity       positive_int,
    home           address,
    price          numeric(8, 2) NOT NULL,
    price_with_tax numeric GENERATED ALWAYS AS (price * 1.2) STORED,
    label          text COLLATE "C",
    CONSTRAINT bookings_label_key UNIQUE NULLS NOT DISTINCT (label),
    CONSTRAINT price_positive CHECK (price > 0)
);
CREATE INDEX bookings_room_price ON bookings (room DESC NULLS LAST) INCLUDE (price)
    WITH (fillfactor = 70) WHERE price > 10;
CREATE INDEX bookings_label_c ON bookings (label COLLATE "POSIX");
CREATE SEQUENCE invoice_no AS integer START 1000 INCREMENT 5;
CREATE TABLE invoices (
    no      integer PRIMARY KEY DEFAULT nextval('invoice_no'),
    booking integer,
    room    integer,
    CONSTRAINT invoices_booking_fkey FOREIGN KEY (booking) REFERENCES bookings (id)
        MATCH FULL ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED
);
ALTER SEQUENCE invoice_no OWNED BY invoices.no;
CREATE PROCEDURE archive_bookings(cutoff timestamp) LANGUAGE sql
    AS $$ DELETE FROM bookings WHERE upper(during) < cutoff $$;
CREATE FUNCTION touch_invoice() RETURNS trigger LANGUAGE plpgsql
    AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER invoices_touch BEFORE UPDATE ON invoices
    FOR EACH ROW EXECUTE FUNCTION touch_invoice();
CREATE MATERIALIZED VIEW booking_counts AS
    SELECT room, count(*) AS n FROM bookings GROUP BY room WITH NO DATA;
CREATE VIEW busy_rooms AS SELECT room FROM booking_counts WHERE n > 10;
)";

const std::string exclusion = R"(
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap
    EXCLUDE USING gist (room WITH =, during WITH &&);
)";

TEST(SchemaJson, PostgresRealworldRoundTrips) {
    strata::test::postgres_test_database db("json");
    const fs::path set = fs::path(STRATA_SOURCE_DIR) / "tests/postgres/fixtures/realworld";
    std::vector<fs::path> dirs;
    for (const auto& entry : fs::directory_iterator(set))
        if (entry.is_directory())
            dirs.push_back(entry.path());
    std::sort(dirs.begin(), dirs.end());
    ASSERT_FALSE(dirs.empty());
    for (const auto& dir : dirs)
        db.exec(read_text(dir / "up.sql"));
    {
        SCOPED_TRACE("realworld");
        expect_round_trip(read_postgres(db));
    }

    db.exec(extra_objects);
    const bool gist =
        !db.query_value("SELECT 1 FROM pg_available_extensions WHERE name = 'btree_gist'").empty();
    if (gist)
        db.exec(exclusion);
    const strata::schema s = read_postgres(db);
    // The extra objects are all in the model, so the trip covers them.
    const strata::table* bookings = s.find_table("bookings");
    ASSERT_NE(bookings, nullptr);
    EXPECT_EQ(bookings->exclusions.size(), gist ? 1u : 0u);
    EXPECT_EQ(bookings->find_column("id")->identity, "BY DEFAULT");
    EXPECT_EQ(bookings->find_column("price_with_tax")->generated,
              strata::generated_kind::stored_column);
    EXPECT_EQ(std::count_if(s.types.begin(), s.types.end(),
                            [](const auto& t) { return t.kind != "enum"; }),
              3);
    EXPECT_TRUE(std::any_of(s.routines.begin(), s.routines.end(),
                            [](const auto& r) { return r.kind == "procedure"; }));
    EXPECT_TRUE(
        std::any_of(s.views.begin(), s.views.end(), [](const auto& v) { return v.materialized; }));
    EXPECT_TRUE(std::any_of(s.indexes.begin(), s.indexes.end(),
                            [](const auto& ix) { return !ix.include.empty(); }));
    EXPECT_TRUE(std::any_of(s.sequences.begin(), s.sequences.end(),
                            [](const auto& q) { return !q.owned_by.empty(); }));
    SCOPED_TRACE("realworld and extra objects");
    expect_round_trip(s);
}

// The use the function is for: a live database compared with embedded JSON.
TEST(SchemaJson, PostgresDriftFromEmbeddedJsonIsReported) {
    strata::test::postgres_test_database db("json");
    db.exec("CREATE TABLE t (id int PRIMARY KEY, name text NOT NULL);");
    const std::string embedded = strata::to_json(read_postgres(db)).dump();
    db.exec("ALTER TABLE t ALTER COLUMN name DROP NOT NULL;");
    const auto changes =
        strata::diff_schemas(strata::parse_schema_json(embedded), read_postgres(db));
    EXPECT_EQ(strata::test::change_texts(changes).size(), 1u);
}

// ---- malformed input ---------------------------------------------------------

// The usage error's message for `j`.
std::string error_of(const json& j) {
    try {
        strata::schema_from_json(j);
    } catch (const strata::error& e) {
        EXPECT_EQ(e.kind(), strata::error_kind::usage);
        return e.what();
    }
    ADD_FAILURE() << "no error for " << j.dump();
    return {};
}

json valid_sqlite() {
    return strata::to_json(
        strata::test::schema_of("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT COLLATE NOCASE);"
                                "CREATE INDEX t_name ON t (name);"));
}

TEST(SchemaJsonErrors, NotAnObject) {
    EXPECT_EQ(error_of(json::array()), "schema json: expected an object, not an array");
    EXPECT_EQ(error_of(json()), "schema json: expected an object, not null");
}

TEST(SchemaJsonErrors, MissingTopLevelKeysAreNamed) {
    for (const char* key : {"backend", "tables", "indexes", "views", "triggers"}) {
        json j = valid_sqlite();
        j.erase(key);
        EXPECT_EQ(error_of(j), std::string("schema json: missing key \"") + key + "\"");
    }
}

TEST(SchemaJsonErrors, MissingNestedKeysNameTheirPlace) {
    json j = valid_sqlite();
    j["tables"][0]["columns"][1].erase("name");
    EXPECT_EQ(error_of(j), "schema json: tables[0].columns[1]: missing key \"name\"");

    j = valid_sqlite();
    j["indexes"][0]["columns"][0].erase("descending");
    EXPECT_EQ(error_of(j), "schema json: indexes[0].columns[0]: missing key \"descending\"");

    j = valid_sqlite();
    j["tables"][0].erase("strict");
    EXPECT_EQ(error_of(j), "schema json: tables[0]: missing key \"strict\"");
}

TEST(SchemaJsonErrors, WrongTypesAreNamed) {
    json j = valid_sqlite();
    j["tables"][0]["columns"][0]["not_null"] = "yes";
    EXPECT_EQ(error_of(j),
              "schema json: tables[0].columns[0]: key \"not_null\" must be a boolean, not a "
              "string");

    j = valid_sqlite();
    j["tables"] = json::object();
    EXPECT_EQ(error_of(j), "schema json: key \"tables\" must be an array, not an object");

    j = valid_sqlite();
    j["tables"][0]["columns"][0]["primary_key"] = 1.5;
    EXPECT_THAT(error_of(j), HasSubstr("key \"primary_key\" must be an integer"));

    j = valid_sqlite();
    j["tables"][0]["columns"][0]["primary_key"] = -1;
    EXPECT_THAT(error_of(j), HasSubstr("key \"primary_key\" must not be negative"));

    j = valid_sqlite();
    j["tables"][0]["columns"][0]["generated"] = {{"kind", "sometimes"}, {"expression", "1"}};
    EXPECT_EQ(error_of(j),
              "schema json: tables[0].columns[0].generated: key \"kind\" must be \"stored\" or "
              "\"virtual\"");

    j = valid_sqlite();
    j["tables"][0]["foreign_keys"] = json::parse(R"([{"columns": ["a", 1]}])");
    EXPECT_EQ(error_of(j),
              "schema json: tables[0].foreign_keys[0].columns[1]: expected a string, not a "
              "number");

    j = valid_sqlite();
    j["views"] = json::array({42});
    EXPECT_EQ(error_of(j), "schema json: views[0]: expected an object, not a number");
}

TEST(SchemaJsonErrors, PostgresArraysAreRequiredForPostgres) {
    json j = valid_sqlite();
    j["backend"] = "postgres";
    EXPECT_EQ(error_of(j), "schema json: missing key \"extensions\"");
    j["extensions"] = {"citext"};
    j["types"] = json::array();
    j["sequences"] = json::array();
    EXPECT_EQ(error_of(j), "schema json: missing key \"routines\"");
    j["routines"] = json::array();
    EXPECT_EQ(strata::schema_from_json(j).extensions.size(), 1u);
}

TEST(SchemaJsonErrors, NullableKeysMayBeLeftOut) {
    json j = valid_sqlite();
    for (auto& c : j["tables"][0]["columns"]) {
        c.erase("default");
        c.erase("collation");
    }
    j["indexes"][0].erase("where");
    const strata::schema s = strata::schema_from_json(j);
    EXPECT_FALSE(s.tables.at(0).columns.at(1).default_sql.has_value());
    EXPECT_EQ(s.tables.at(0).columns.at(1).collation, "");
}

TEST(SchemaJsonErrors, TextThatIsNoJson) {
    try {
        strata::parse_schema_json("{\"backend\": ");
        FAIL() << "no error";
    } catch (const strata::error& e) {
        EXPECT_EQ(e.kind(), strata::error_kind::usage);
        EXPECT_THAT(e.what(), HasSubstr("schema json: not valid json"));
    }
}

}  // namespace
