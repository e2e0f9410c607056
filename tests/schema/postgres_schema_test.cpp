// PostgreSQL introspection (read_postgres_schema) on the test server: one
// model for every spelling of a schema, every real difference reported by
// diff_schemas, extension-owned and out-of-scope objects left out, and a
// canonical dump that loads back into the same model.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "postgres.hpp"
#include "postgres/internal/schema.hpp"
#include "process.hpp"
#include "schema/dump.hpp"
#include "strata/error.hpp"
#include "strata/schema_diff.hpp"

namespace {

using strata::test::postgres_test_database;
using ::testing::HasSubstr;
using ::testing::Not;

strata::schema read(const postgres_test_database& db, const std::string& schema_name = "public") {
    pqxx::connection c(db.url());
    pqxx::nontransaction tx(c);
    return strata::read_postgres_schema(tx, schema_name);
}

// Separates scripts that must run in transactions of their own (a new enum
// value cannot be used in the transaction that added it).
const std::string commit = "-- commit\n";

// The model of a fresh database after `sql` ran on it.
strata::schema schema_of(const std::string& sql) {
    postgres_test_database db("strata_pgschema");
    std::size_t start = 0;
    for (auto end = sql.find(commit); end != std::string::npos; end = sql.find(commit, start)) {
        db.exec(sql.substr(start, end - start));
        start = end + commit.size();
    }
    db.exec(sql.substr(start));
    return read(db);
}

std::string dump_of(const std::string& sql) {
    return strata::dump_sql(schema_of(sql));
}

std::vector<std::string> diff_of(const std::string& before, const std::string& after) {
    std::vector<std::string> out;
    for (const auto& c : strata::diff_schemas(schema_of(before), schema_of(after)))
        out.push_back(c.text());
    return out;
}

template <typename Case>
std::string case_name(const ::testing::TestParamInfo<Case>& param) {
    return param.param.name;
}

// ---------------------------------------------------------------------------
// One model per meaning

struct spelling {
    const char* name;
    std::string a;
    std::string b;
};

void PrintTo(const spelling& s, std::ostream* os) {
    *os << s.name;
}

class PostgresEquivalentSchemas : public ::testing::TestWithParam<spelling> {};

TEST_P(PostgresEquivalentSchemas, DumpByteIdentically) {
    const auto& s = GetParam();
    const std::string a = dump_of(s.a);
    EXPECT_EQ(a, dump_of(s.b));
    // Not vacuous: the schema has something in it.
    EXPECT_THAT(a, HasSubstr("CREATE"));
}

const std::string users_table = "CREATE TABLE users (id integer PRIMARY KEY);\n";

INSTANTIATE_TEST_SUITE_P(
    PostgresSpellings, PostgresEquivalentSchemas,
    ::testing::Values(
        spelling{"int_integer", "CREATE TABLE t (a int, b int4, c int8, d int2);",
                 "CREATE TABLE t (a integer, b INTEGER, c bigint, d smallint);"},
        spelling{"varchar_character_varying",
                 "CREATE TABLE t (a varchar(40), b varchar, c char(3), d char);",
                 "CREATE TABLE t (a character varying(40), b character varying, "
                 "c character(3), d bpchar(1));"},
        spelling{"type_aliases",
                 "CREATE TABLE t (a timestamptz, b bool, c float8, d float4, e decimal(10,2), "
                 "f timetz, g timestamp);",
                 "CREATE TABLE t (a timestamp with time zone, b boolean, c double precision, "
                 "d real, e numeric(10, 2), f time with time zone, "
                 "g timestamp without time zone);"},
        spelling{"arrays", "CREATE TABLE t (a text[], b integer[3], c int[][]);",
                 "CREATE TABLE t (a text ARRAY, b int4[], c integer[]);"},
        spelling{"serial_explicit_sequence", "CREATE TABLE t (id serial, v text);",
                 "CREATE SEQUENCE t_id_seq AS integer;\n"
                 "CREATE TABLE t (id integer NOT NULL DEFAULT nextval('t_id_seq'), v text);\n"
                 "ALTER SEQUENCE t_id_seq OWNED BY t.id;"},
        spelling{"bigserial_explicit_sequence", "CREATE TABLE t (id bigserial PRIMARY KEY);",
                 "CREATE SEQUENCE public.t_id_seq;\n"
                 "CREATE TABLE public.t (id bigint NOT NULL "
                 "DEFAULT nextval('public.t_id_seq'::regclass));\n"
                 "ALTER TABLE t ADD PRIMARY KEY (id);\n"
                 "ALTER SEQUENCE t_id_seq OWNED BY t.id;"},
        spelling{"inline_and_table_primary_key", "CREATE TABLE t (id integer PRIMARY KEY, v text);",
                 "CREATE TABLE t (id integer NOT NULL, v text, PRIMARY KEY (id));"},
        spelling{"named_default_primary_key", "CREATE TABLE t (a int, b int, PRIMARY KEY (a, b));",
                 "CREATE TABLE t (a int, b int, CONSTRAINT t_pkey PRIMARY KEY (a, b));"},
        spelling{"inline_and_table_unique", "CREATE TABLE t (email text UNIQUE);",
                 "CREATE TABLE t (email text, UNIQUE (email));"},
        spelling{"inline_and_table_check", "CREATE TABLE t (age int CHECK (age > 0));",
                 "CREATE TABLE t (age int, CHECK (age>0));"},
        spelling{"check_added_later",
                 "CREATE TABLE t (age int CONSTRAINT adult CHECK (age >= 18));",
                 "CREATE TABLE t (age int);\n"
                 "ALTER TABLE t ADD CONSTRAINT adult CHECK ((age >= 18));"},
        spelling{
            "inline_and_table_foreign_key",
            users_table + "CREATE TABLE posts (user_id int REFERENCES users ON DELETE CASCADE);",
            users_table + "CREATE TABLE posts (user_id int, FOREIGN KEY (user_id) "
                          "REFERENCES users (id) ON DELETE CASCADE ON UPDATE NO ACTION);"},
        spelling{"foreign_key_added_later",
                 users_table + "CREATE TABLE posts (user_id int REFERENCES users);",
                 users_table + "CREATE TABLE posts (user_id int);\n"
                               "ALTER TABLE posts ADD FOREIGN KEY (user_id) REFERENCES users;"},
        spelling{"defaults",
                 "CREATE TABLE t (a int DEFAULT 0, b varchar(9) DEFAULT 'x', c "
                 "timestamptz DEFAULT now(), d boolean DEFAULT true);",
                 "CREATE TABLE t (a int DEFAULT (0), b varchar(9) DEFAULT 'x'::varchar, c "
                 "timestamptz DEFAULT NOW(), d boolean DEFAULT 't');"},
        spelling{"column_added_later", "CREATE TABLE t (a int, b text NOT NULL DEFAULT '');",
                 "CREATE TABLE t (a int);\nALTER TABLE t ADD COLUMN b text NOT NULL DEFAULT '';"},
        spelling{"dropped_column_leaves_no_trace", "CREATE TABLE t (a int, b int);",
                 "CREATE TABLE t (a int, x int, b int);\nALTER TABLE t DROP COLUMN x;"},
        spelling{"creation_order", "CREATE TABLE a (x int);\nCREATE TABLE b (y int);",
                 "CREATE TABLE b (y int);\nCREATE TABLE a (x int);"},
        spelling{"identity", "CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY);",
                 "CREATE TABLE t (id integer NOT NULL);\n"
                 "ALTER TABLE t ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY;"},
        spelling{"index_spelling",
                 "CREATE TABLE t (a text, b int);\n"
                 "CREATE INDEX i ON t (lower(a), b DESC) WHERE b > 0;",
                 "CREATE TABLE t (a text, b int);\n"
                 "create index i on public.t using btree (LOWER( a ) ASC, b desc) where (b>0);"},
        spelling{"enum_value_added_in_place",
                 "CREATE TYPE mood AS ENUM ('happy', 'ok', 'sad');\n"
                 "CREATE TABLE t (m mood DEFAULT 'ok');",
                 "CREATE TYPE mood AS ENUM ('happy', 'sad');\n"
                 "ALTER TYPE mood ADD VALUE 'ok' BEFORE 'sad';\n" +
                     commit + "CREATE TABLE t (m mood DEFAULT 'ok'::mood);"},
        spelling{"view_spelling",
                 "CREATE TABLE t (id int, v text);\n"
                 "CREATE VIEW w AS SELECT id, v FROM t WHERE id > 1;",
                 "CREATE TABLE t (id int, v text);\n"
                 "create view public.w as select t.id, t.v from public.t where (t.id>1);"},
        spelling{"trigger_procedure_or_function",
                 "CREATE TABLE t (id int);\n"
                 "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; "
                 "END$$;\n"
                 "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();",
                 "CREATE TABLE t (id int);\n"
                 "CREATE OR REPLACE FUNCTION public.f() RETURNS TRIGGER AS $$BEGIN RETURN NEW; "
                 "END$$ LANGUAGE plpgsql;\n"
                 "create trigger tr before insert on public.t for each row execute procedure "
                 "f();"},
        spelling{"qualified_names",
                 "CREATE TYPE mood AS ENUM ('a');\n"
                 "CREATE TABLE t (id serial, m mood);\n"
                 "CREATE INDEX t_m ON t (m);",
                 "CREATE TYPE public.mood AS ENUM ('a');\n"
                 "CREATE TABLE public.t (id serial, m public.mood);\n"
                 "CREATE INDEX t_m ON public.t (m);"},
        spelling{"extension_later", "CREATE EXTENSION citext;\nCREATE TABLE t (e citext);",
                 "CREATE EXTENSION IF NOT EXISTS \"citext\";\n"
                 "CREATE TABLE t (e public.citext);"}),
    case_name<spelling>);

// ---------------------------------------------------------------------------
// Real differences

struct difference {
    const char* name;
    std::string before;
    std::string after;
    std::vector<std::string> texts;  // exactly these changes, in this order
};

void PrintTo(const difference& d, std::ostream* os) {
    *os << d.name;
}

class PostgresRealDifferences : public ::testing::TestWithParam<difference> {};

TEST_P(PostgresRealDifferences, AppearInTheDiffWithTheirWording) {
    const auto& d = GetParam();
    EXPECT_EQ(diff_of(d.before, d.after), d.texts);
}

const std::string mood = "CREATE TYPE mood AS ENUM ('happy', 'sad');\n";
const std::string touch =
    "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS "
    "$$BEGIN NEW.updated_at = now(); RETURN NEW; END$$;\n";
const std::string touched = "CREATE TABLE t (id int, updated_at timestamptz);\n";
const std::string rooms =
    "CREATE EXTENSION btree_gist;\n"
    "CREATE TABLE room (r int, during tsrange);\n";
const std::string posts =
    users_table + "CREATE TABLE posts (id int PRIMARY KEY, user_id int, title text);\n";

INSTANTIATE_TEST_SUITE_P(
    PostgresDifferences, PostgresRealDifferences,
    ::testing::Values(
        difference{"enum_value_left_behind",
                   mood,
                   mood + "ALTER TYPE mood ADD VALUE 'ok';",
                   {"type mood: labels 'happy', 'sad' -> 'happy', 'sad', 'ok'"}},
        difference{"enum_type_left_behind", "", mood, {"type mood: added"}},
        difference{"sequence_ownership_lost",
                   "CREATE TABLE t (id serial);",
                   "CREATE TABLE t (id serial);\nALTER SEQUENCE t_id_seq OWNED BY NONE;",
                   {"sequence t_id_seq: owned by t.id -> none"}},
        difference{"sequence_left_behind", "", "CREATE SEQUENCE s;", {"sequence s: added"}},
        difference{"sequence_parameters",
                   "CREATE SEQUENCE s;",
                   "CREATE SEQUENCE s START 100 INCREMENT 2;",
                   {"sequence s: definition CREATE SEQUENCE s AS bigint START WITH 1 INCREMENT BY "
                    "1 MINVALUE 1 MAXVALUE 9223372036854775807 CACHE 1 -> CREATE SEQUENCE s AS "
                    "bigint START WITH 100 INCREMENT BY 2 MINVALUE 1 MAXVALUE 9223372036854775807 "
                    "CACHE 1"}},
        difference{"function_left_behind", "", touch, {"function touch(): added"}},
        difference{"function_body",
                   touch,
                   "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS "
                   "$$BEGIN RETURN NEW; END$$;",
                   {"function touch(): definition CREATE OR REPLACE FUNCTION touch()\n"
                    " RETURNS trigger\n LANGUAGE plpgsql\nAS $function$BEGIN NEW.updated_at = "
                    "now(); RETURN NEW; END$function$ -> CREATE OR REPLACE FUNCTION touch()\n"
                    " RETURNS trigger\n LANGUAGE plpgsql\nAS $function$BEGIN RETURN NEW; "
                    "END$function$"}},
        difference{"overload_left_behind",
                   "CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql "
                   "AS 'SELECT a';",
                   "CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS 'SELECT a';\n"
                   "CREATE FUNCTION f(a text) RETURNS text LANGUAGE sql AS 'SELECT a';",
                   {"function f(a text): added"}},
        difference{"procedure_left_behind",
                   "",
                   "CREATE PROCEDURE p() LANGUAGE sql AS 'SELECT 1';",
                   {"procedure p(): added"}},
        difference{"varchar_restored_as_char",
                   "CREATE TABLE users (name varchar(40));",
                   "CREATE TABLE users (name char(40));",
                   {"table users: column name: type character varying(40) -> character(40)"}},
        difference{"identity_always_to_by_default",
                   "CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY);",
                   "CREATE TABLE t (id int GENERATED BY DEFAULT AS IDENTITY);",
                   {"table t: column id: identity ALWAYS -> BY DEFAULT"}},
        difference{"identity_lost",
                   "CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY);",
                   "CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY);\n"
                   "ALTER TABLE t ALTER COLUMN id DROP IDENTITY;",
                   {"table t: column id: identity ALWAYS -> none"}},
        difference{"serial_default_lost",
                   "CREATE TABLE t (id serial);",
                   "CREATE TABLE t (id serial);\nALTER TABLE t ALTER COLUMN id DROP DEFAULT;",
                   {"table t: column id: default nextval('t_id_seq'::regclass) -> none"}},
        difference{"default_changed",
                   "CREATE TABLE users (theme text DEFAULT 'light');",
                   "CREATE TABLE users (theme text DEFAULT 'dark');",
                   {"table users: column theme: default 'light'::text -> 'dark'::text"}},
        difference{"not_null_and_collation",
                   "CREATE TABLE t (a text);",
                   "CREATE TABLE t (a text NOT NULL COLLATE \"C\");",
                   {"table t: column a: not null no -> yes",
                    "table t: column a: collation default -> \"C\""}},
        difference{"generated_column",
                   "CREATE TABLE t (a int, b int GENERATED ALWAYS AS (a * 2) "
                   "STORED);",
                   "CREATE TABLE t (a int, b int GENERATED ALWAYS AS (a * 3) STORED);",
                   {"table t: column b: generated stored ((a * 2)) -> stored ((a * 3))"}},
        difference{"primary_key_name",
                   "CREATE TABLE t (id int PRIMARY KEY);",
                   "CREATE TABLE t (id int CONSTRAINT t_key PRIMARY KEY);",
                   {"table t: primary key name t_pkey -> t_key"}},
        difference{"unique_constraint_left_behind",
                   "CREATE TABLE t (a int, b int);",
                   "CREATE TABLE t (a int, b int, UNIQUE (a, b));",
                   {"table t: unique: added t_a_b_key UNIQUE (a, b)"}},
        difference{"unique_nulls_not_distinct",
                   "CREATE TABLE t (a int UNIQUE);",
                   "CREATE TABLE t (a int UNIQUE NULLS NOT DISTINCT);",
                   {"table t: unique: removed t_a_key UNIQUE (a)",
                    "table t: unique: added t_a_key UNIQUE NULLS NOT DISTINCT (a)"}},
        difference{"primary_key_deferrable",
                   "CREATE TABLE t (id int PRIMARY KEY);",
                   "CREATE TABLE t (id int PRIMARY KEY DEFERRABLE);",
                   {"table t: primary key PRIMARY KEY (id) -> PRIMARY KEY (id) DEFERRABLE"}},
        difference{"check_lost",
                   "CREATE TABLE t (age int CHECK (age > 0));",
                   "CREATE TABLE t (age int);",
                   {"table t: check: removed t_age_check ((age > 0))"}},
        difference{"check_changed",
                   "CREATE TABLE t (age int CHECK (age > 0));",
                   "CREATE TABLE t (age int CHECK (age >= 0));",
                   {"table t: check: removed t_age_check ((age > 0))",
                    "table t: check: added t_age_check ((age >= 0))"}},
        difference{"exclusion_lost",
                   rooms + "ALTER TABLE room ADD EXCLUDE USING gist (r WITH =, during WITH &&);",
                   rooms,
                   {"table room: exclusion: removed room_r_during_excl EXCLUDE USING gist "
                    "(r WITH =, during WITH &&)"}},
        difference{"foreign_key_action",
                   posts + "ALTER TABLE posts ADD FOREIGN KEY (user_id) "
                           "REFERENCES users ON DELETE CASCADE;",
                   posts + "ALTER TABLE posts ADD FOREIGN KEY (user_id) REFERENCES users;",
                   {"table posts: foreign key (user_id) -> users: on delete CASCADE -> NO ACTION"}},
        difference{"foreign_key_lost",
                   posts + "ALTER TABLE posts ADD FOREIGN KEY (user_id) REFERENCES users;",
                   posts,
                   {"table posts: foreign key (user_id) -> users: removed (user_id) REFERENCES "
                    "users(id)"}},
        difference{"foreign_key_match_full",
                   posts + "ALTER TABLE posts ADD FOREIGN KEY (user_id) REFERENCES users;",
                   posts + "ALTER TABLE posts ADD FOREIGN KEY (user_id) REFERENCES users MATCH "
                           "FULL;",
                   {"table posts: foreign key (user_id) -> users: definition FOREIGN KEY "
                    "(user_id) REFERENCES users(id) -> FOREIGN KEY (user_id) REFERENCES users(id) "
                    "MATCH FULL"}},
        difference{"foreign_key_renamed",
                   posts + "ALTER TABLE posts ADD FOREIGN KEY (user_id) REFERENCES users;",
                   posts + "ALTER TABLE posts ADD CONSTRAINT author FOREIGN KEY (user_id) "
                           "REFERENCES users;",
                   {"table posts: foreign key (user_id) -> users: name posts_user_id_fkey -> "
                    "author"}},
        difference{"index_left_behind",
                   posts,
                   posts + "CREATE INDEX posts_title ON posts (title);",
                   {"index posts_title: added"}},
        difference{"index_changed",
                   posts + "CREATE INDEX i ON posts (title) WHERE id > 0;",
                   posts + "CREATE UNIQUE INDEX i ON posts (title, id);",
                   {"index i: unique no -> yes", "index i: columns (title) -> (title, id)",
                    "index i: where (id > 0) -> none"}},
        difference{"index_method",
                   posts + "CREATE INDEX i ON posts (title);",
                   posts + "CREATE INDEX i ON posts USING hash (title);",
                   {"index i: method btree -> hash"}},
        difference{"index_removed",
                   posts + "CREATE INDEX i ON posts (title);",
                   posts,
                   {"index i: removed"}},
        difference{"index_include",
                   posts + "CREATE INDEX i ON posts (user_id);",
                   posts + "CREATE INDEX i ON posts (user_id) INCLUDE (title);",
                   {"index i: include () -> (title)"}},
        difference{"trigger_left_behind",
                   touch + touched,
                   touch + touched +
                       "CREATE TRIGGER tr BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION "
                       "touch();",
                   {"trigger tr on t: added"}},
        difference{"trigger_changed",
                   touch + touched +
                       "CREATE TRIGGER tr BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION "
                       "touch();",
                   touch + touched +
                       "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION "
                       "touch();",
                   {"trigger tr on t: definition CREATE TRIGGER tr BEFORE UPDATE ON t FOR EACH "
                    "ROW EXECUTE FUNCTION touch() -> CREATE TRIGGER tr BEFORE INSERT ON t FOR "
                    "EACH ROW EXECUTE FUNCTION touch()"}},
        difference{"view_changed",
                   posts + "CREATE VIEW v AS SELECT id FROM posts;",
                   posts + "CREATE VIEW v AS SELECT id, title FROM posts;",
                   {"view v: definition CREATE VIEW v AS SELECT posts.id\n   FROM posts -> "
                    "CREATE VIEW v AS SELECT posts.id,\n    posts.title\n   FROM posts"}},
        difference{"view_became_materialized",
                   posts + "CREATE VIEW v AS SELECT id FROM posts;",
                   posts + "CREATE MATERIALIZED VIEW v AS SELECT id FROM posts;",
                   {"view v: materialized no -> yes"}},
        difference{"materialized_view_left_behind",
                   posts,
                   posts + "CREATE MATERIALIZED VIEW counts AS SELECT count(*) FROM posts;",
                   {"view counts: added"}},
        difference{"domain_changed",
                   "CREATE DOMAIN posint AS int CHECK (VALUE > 0);",
                   "CREATE DOMAIN posint AS int CHECK (VALUE >= 0);",
                   {"type posint: definition CREATE DOMAIN posint AS integer CONSTRAINT "
                    "posint_check CHECK ((VALUE > 0)) -> CREATE DOMAIN posint AS integer "
                    "CONSTRAINT posint_check CHECK ((VALUE >= 0))"}},
        difference{"enum_became_domain",
                   mood,
                   "CREATE DOMAIN mood AS text;",
                   {"type mood: kind enum -> domain"}},
        difference{"extension_left_behind",
                   "CREATE EXTENSION citext;",
                   "",
                   {"extension citext: removed"}}),
    case_name<difference>);

// ---------------------------------------------------------------------------
// What is left out

TEST(PostgresSchemaScope, ExtensionObjectsAreLeftOutButTheExtensionIsListed) {
    const auto s = schema_of(
        "CREATE EXTENSION citext;\nCREATE EXTENSION pg_trgm;\nCREATE EXTENSION pgcrypto;\n"
        "CREATE TABLE t (e citext DEFAULT gen_random_uuid()::text);");
    std::vector<std::string> names;
    for (const auto& e : s.extensions)
        names.push_back(e.name);
    EXPECT_EQ(names, (std::vector<std::string>{"citext", "pg_trgm", "pgcrypto"}));
    EXPECT_TRUE(s.types.empty());
    EXPECT_TRUE(s.routines.empty());
    EXPECT_TRUE(s.sequences.empty());
    EXPECT_TRUE(s.views.empty());
    ASSERT_EQ(s.tables.size(), 1U);
    EXPECT_EQ(s.tables[0].columns[0].type, "citext");
    const std::string dump = strata::dump_sql(s);
    EXPECT_THAT(dump, HasSubstr("CREATE EXTENSION IF NOT EXISTS citext;"));
    EXPECT_THAT(dump, Not(HasSubstr("FUNCTION")));
    EXPECT_THAT(dump, Not(HasSubstr("OPERATOR")));
}

TEST(PostgresSchemaScope, TrackingTableAndOtherSchemasAreLeftOut) {
    const auto s = schema_of(
        "CREATE TABLE _strata_migrations (id serial PRIMARY KEY, version text UNIQUE);\n"
        "CREATE INDEX _strata_migrations_v ON _strata_migrations (lower(version));\n"
        "CREATE SCHEMA other;\n"
        "CREATE TABLE other.hidden (id serial PRIMARY KEY);\n"
        "CREATE TYPE other.mood AS ENUM ('a');\n"
        "CREATE FUNCTION other.f() RETURNS int LANGUAGE sql AS 'SELECT 1';\n"
        "CREATE VIEW other.v AS SELECT 1 AS one;\n"
        "CREATE TABLE kept (id int);");
    EXPECT_EQ(strata::dump_sql(s),
              "-- canonical schema (postgres), written by strata\n"
              "\n"
              "CREATE TABLE kept (\n"
              "    id integer\n"
              ");\n");
}

TEST(PostgresSchemaScope, ATrackingTableOfAnotherNameIsKept) {
    postgres_test_database db("strata_pgschema");
    db.exec("CREATE TABLE _strata_migrations (v text);\nCREATE TABLE history (v text);");
    pqxx::connection c(db.url());
    pqxx::nontransaction tx(c);
    const auto s = strata::read_postgres_schema(tx, "public", "history");
    ASSERT_EQ(s.tables.size(), 1U);
    EXPECT_EQ(s.tables[0].name, "_strata_migrations");
}

TEST(PostgresSchemaScope, AnotherSchemaIsReadWithoutItsQualification) {
    postgres_test_database db("strata_pgschema");
    const std::string body =
        "CREATE TYPE mood AS ENUM ('a', 'b');\n"
        "CREATE TABLE users (id serial PRIMARY KEY, m mood DEFAULT 'a');\n"
        "CREATE TABLE posts (id int PRIMARY KEY, user_id int REFERENCES users);\n"
        "CREATE INDEX posts_user ON posts (user_id);\n"
        "CREATE VIEW v AS SELECT u.id FROM users u JOIN posts p ON p.user_id = u.id;\n"
        "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS "
        "$$BEGIN RETURN NEW; END$$;\n"
        "CREATE TRIGGER tr BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch();\n";
    db.exec("CREATE SCHEMA app;\nSET search_path = app;\n" + body);
    db.exec("CREATE TABLE public.unrelated (x int);");
    const std::string app = strata::dump_sql(read(db, "app"));
    EXPECT_THAT(app, Not(HasSubstr("app.")));
    EXPECT_THAT(app, Not(HasSubstr("unrelated")));
    EXPECT_EQ(app, dump_of(body));
}

TEST(PostgresSchemaScope, ObjectsOfOtherSchemasAreNamedWithTheirSchema) {
    const auto s = schema_of(
        "CREATE SCHEMA ext;\nCREATE EXTENSION citext SCHEMA ext;\n"
        "CREATE TYPE ext.mood AS ENUM ('a');\n"
        "CREATE TABLE t (e ext.citext, m ext.mood);");
    EXPECT_TRUE(s.extensions.empty());
    ASSERT_EQ(s.tables.size(), 1U);
    EXPECT_EQ(s.tables[0].columns[0].type, "ext.citext");
    EXPECT_EQ(s.tables[0].columns[1].type, "ext.mood");
}

TEST(PostgresSchemaScope, CallersSearchPathIsRestored) {
    postgres_test_database db("strata_pgschema");
    db.exec("CREATE SCHEMA app;\nCREATE TABLE app.t (id int);");
    pqxx::connection c(db.url());
    pqxx::nontransaction tx(c);
    tx.exec("SET search_path = pg_catalog, public");
    const auto s = strata::read_postgres_schema(tx, "app");
    EXPECT_EQ(s.tables.size(), 1U);
    EXPECT_EQ(std::string(tx.exec("SHOW search_path")[0][0].c_str()), "pg_catalog, public");
}

TEST(PostgresSchemaScope, ReadsInsideATransaction) {
    postgres_test_database db("strata_pgschema");
    db.exec("CREATE TABLE t (id int);");
    pqxx::connection c(db.url());
    pqxx::work tx(c);
    tx.exec("CREATE TABLE inside (id int)");
    const auto s = strata::read_postgres_schema(tx);
    EXPECT_EQ(s.tables.size(), 2U);
    tx.abort();
}

TEST(PostgresSchemaScope, MissingSchemaIsAnError) {
    postgres_test_database db("strata_pgschema");
    try {
        read(db, "nowhere");
        FAIL() << "no error";
    } catch (const strata::error& e) {
        EXPECT_EQ(std::string(e.what()), "postgres schema nowhere does not exist");
    }
}

// ---------------------------------------------------------------------------
// What the model holds

TEST(PostgresSchemaModel, ColumnsConstraintsAndObjects) {
    const auto s = schema_of(
        "CREATE TYPE mood AS ENUM ('happy', 'sad');\n"
        "CREATE TABLE users (id int GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,\n"
        "  \"Name\" varchar(40) NOT NULL, m mood, code text COLLATE \"C\" UNIQUE,\n"
        "  doubled int GENERATED ALWAYS AS (id * 2) STORED);\n"
        "CREATE TABLE posts (id serial, user_id int,\n"
        "  CONSTRAINT posts_pk PRIMARY KEY (id),\n"
        "  CONSTRAINT author FOREIGN KEY (user_id) REFERENCES users DEFERRABLE INITIALLY "
        "DEFERRED);\n"
        "CREATE INDEX users_name ON users USING hash (\"Name\");\n");
    ASSERT_EQ(s.backend, strata::backend_kind::postgres);
    ASSERT_EQ(s.tables.size(), 2U);
    const strata::table& post_table = s.tables[0];
    const strata::table& users = s.tables[1];
    ASSERT_EQ(users.name, "users");
    ASSERT_EQ(users.columns.size(), 5U);
    EXPECT_EQ(users.columns[0].identity, "BY DEFAULT");
    EXPECT_EQ(users.columns[0].primary_key, 1);
    EXPECT_EQ(users.primary_key_name, "users_pkey");
    EXPECT_EQ(users.columns[1].name, "Name");
    EXPECT_EQ(users.columns[1].type, "character varying(40)");
    EXPECT_TRUE(users.columns[1].not_null);
    EXPECT_EQ(users.columns[2].type, "mood");
    EXPECT_EQ(users.columns[3].collation, "\"C\"");
    EXPECT_EQ(users.columns[4].generated, strata::generated_kind::stored_column);
    EXPECT_EQ(users.columns[4].generated_sql, "(id * 2)");
    ASSERT_EQ(users.uniques.size(), 1U);
    EXPECT_EQ(users.uniques[0].name, "users_code_key");
    EXPECT_EQ(post_table.primary_key_name, "posts_pk");
    EXPECT_EQ(*post_table.columns[0].default_sql, "nextval('posts_id_seq'::regclass)");
    ASSERT_EQ(post_table.foreign_keys.size(), 1U);
    EXPECT_EQ(post_table.foreign_keys[0].name, "author");
    EXPECT_EQ(post_table.foreign_keys[0].table, "users");
    EXPECT_EQ(post_table.foreign_keys[0].referenced, std::vector<std::string>{"id"});
    EXPECT_TRUE(post_table.foreign_keys[0].deferred);
    ASSERT_EQ(s.indexes.size(), 1U);  // not those of the constraints
    EXPECT_EQ(s.indexes[0].method, "hash");
    EXPECT_EQ(s.indexes[0].columns[0].expression, "\"Name\"");
    ASSERT_EQ(s.types.size(), 1U);
    EXPECT_EQ(s.types[0].labels, (std::vector<std::string>{"happy", "sad"}));
    ASSERT_EQ(s.sequences.size(), 1U);  // not the identity's
    EXPECT_EQ(s.sequences[0].owned_by, "posts.id");

    const nlohmann::json json = strata::to_json(s);
    EXPECT_EQ(json["types"][0]["labels"], nlohmann::json({"happy", "sad"}));
    EXPECT_EQ(json["sequences"][0]["owned_by"], "posts.id");
    EXPECT_EQ(json["tables"][1]["columns"][0]["identity"], "BY DEFAULT");
    EXPECT_EQ(json["tables"][0]["foreign_keys"][0]["name"], "author");
    EXPECT_EQ(json["indexes"][0]["method"], "hash");
}

TEST(PostgresSchemaModel, OtherUserTypes) {
    const auto s = schema_of(
        "CREATE DOMAIN posint AS integer NOT NULL DEFAULT 1 CHECK (VALUE > 0);\n"
        "CREATE TYPE pair AS (a integer, b text COLLATE \"C\");\n"
        "CREATE TYPE floatrange AS RANGE (subtype = float8, subtype_diff = float8mi);\n"
        "CREATE TABLE t (p posint, q pair, r floatrange);");
    std::vector<std::string> sql;
    for (const auto& t : s.types)
        sql.push_back(t.kind + ": " + t.sql);
    EXPECT_EQ(sql, (std::vector<std::string>{
                       "range: CREATE TYPE floatrange AS RANGE (subtype = double precision, "
                       "subtype_diff = float8mi)",
                       "composite: CREATE TYPE pair AS (a integer, b text COLLATE \"C\")",
                       "domain: CREATE DOMAIN posint AS integer DEFAULT 1 NOT NULL CONSTRAINT "
                       "posint_check CHECK ((VALUE > 0))"}));
    // The range's constructor functions and multirange type come with it.
    EXPECT_TRUE(s.routines.empty());
}

// ---------------------------------------------------------------------------
// A set of real-world shape

// diesel's own initial-setup migration, as the real-world fixture set of the
// PostgreSQL end-to-end tests holds it.
const std::string diesel_initial_setup = strata::test::read_file(
    std::string(STRATA_SOURCE_DIR) +
    "/tests/postgres/fixtures/realworld/00000000000000_diesel_initial_setup/up.sql");

const std::string real_world_set = diesel_initial_setup + R"sql(
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE EXTENSION IF NOT EXISTS citext;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TYPE user_role AS ENUM ('reader', 'writer', 'admin');
CREATE TYPE post_state AS ENUM ('draft', 'published', 'archived');
CREATE DOMAIN slug AS text CHECK (VALUE ~ '^[a-z0-9-]+$');

CREATE TABLE users (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email citext NOT NULL UNIQUE,
    display_name varchar(80) NOT NULL,
    role user_role NOT NULL DEFAULT 'reader',
    deleted_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
SELECT diesel_manage_updated_at('users');

CREATE TABLE posts (
    id bigserial PRIMARY KEY,
    author_id uuid NOT NULL REFERENCES users ON DELETE CASCADE,
    slug slug NOT NULL,
    title text NOT NULL,
    body text NOT NULL DEFAULT '',
    state post_state NOT NULL DEFAULT 'draft',
    tags text[] NOT NULL DEFAULT '{}',
    metadata jsonb,
    published_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT posts_published_has_date CHECK (state <> 'published' OR published_at IS NOT NULL),
    UNIQUE (author_id, slug)
);
SELECT diesel_manage_updated_at('posts');

CREATE TABLE comments (
    id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    post_id bigint NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    author_id uuid REFERENCES users ON DELETE SET NULL,
    body text NOT NULL CHECK (length(body) > 0),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX users_email_active ON users (lower(email::text)) WHERE deleted_at IS NULL;
CREATE INDEX posts_title_trgm ON posts USING gin (title gin_trgm_ops);
CREATE INDEX posts_published ON posts (published_at DESC) WHERE state = 'published';
CREATE INDEX posts_tags ON posts USING gin (tags);
CREATE INDEX comments_post ON comments (post_id, created_at) INCLUDE (author_id);

CREATE VIEW published_posts AS
    SELECT p.id, p.title, u.display_name AS author
    FROM posts p JOIN users u ON u.id = p.author_id
    WHERE p.state = 'published';
CREATE VIEW recent_published AS
    SELECT * FROM published_posts ORDER BY id DESC LIMIT 10;
CREATE MATERIALIZED VIEW post_counts AS
    SELECT author_id, count(*) AS posts FROM posts GROUP BY author_id;
CREATE UNIQUE INDEX post_counts_author ON post_counts (author_id);

CREATE FUNCTION post_count(author uuid) RETURNS bigint LANGUAGE sql STABLE
    AS $$ SELECT count(*) FROM posts WHERE author_id = author $$;
)sql";

TEST(PostgresRealWorldSet, IntrospectsEverything) {
    const auto s = schema_of(real_world_set);
    const std::string dump = strata::dump_sql(s);
    for (const char* expected :
         {"CREATE EXTENSION IF NOT EXISTS citext;", "CREATE EXTENSION IF NOT EXISTS pg_trgm;",
          "CREATE EXTENSION IF NOT EXISTS pgcrypto;",
          "CREATE TYPE user_role AS ENUM ('reader', 'writer', 'admin');",
          "CREATE OR REPLACE FUNCTION diesel_manage_updated_at(_tbl regclass)",
          "CREATE OR REPLACE FUNCTION diesel_set_updated_at()",
          "CREATE TRIGGER set_updated_at BEFORE UPDATE ON posts FOR EACH ROW EXECUTE FUNCTION "
          "diesel_set_updated_at();",
          "CREATE TRIGGER set_updated_at BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION "
          "diesel_set_updated_at();",
          "CREATE INDEX posts_title_trgm ON posts USING gin (title gin_trgm_ops);",
          "CREATE UNIQUE INDEX users_email_active ON users (lower((email)::text)) WHERE "
          "(deleted_at IS NULL);",
          "CREATE INDEX comments_post ON comments (post_id, created_at) INCLUDE (author_id);",
          "ALTER SEQUENCE posts_id_seq OWNED BY posts.id;",
          "id uuid NOT NULL DEFAULT gen_random_uuid()",
          "CONSTRAINT posts_author_id_slug_key UNIQUE (author_id, slug)",
          "id integer GENERATED ALWAYS AS IDENTITY NOT NULL",
          "CREATE MATERIALIZED VIEW post_counts AS"})
        EXPECT_THAT(dump, HasSubstr(expected));
    EXPECT_EQ(s.routines.size(), 3U);
    EXPECT_EQ(s.triggers.size(), 2U);
    // Nothing of pgcrypto, citext or pg_trgm besides the extensions themselves.
    EXPECT_THAT(dump, Not(HasSubstr("gen_salt")));
    EXPECT_THAT(dump, Not(HasSubstr("similarity")));
    EXPECT_THAT(dump, Not(HasSubstr("public.")));
}

TEST(PostgresRealWorldSet, DumpIsStableAndLoadsBackIntoTheSameModel) {
    postgres_test_database db("strata_pgschema");
    db.exec(real_world_set);
    const strata::schema first = read(db);
    const std::string dump = strata::dump_sql(first);
    EXPECT_EQ(strata::dump_sql(read(db)), dump);

    postgres_test_database copy("strata_pgschema");
    copy.exec(dump);
    const strata::schema reloaded = read(copy);
    EXPECT_EQ(strata::dump_sql(reloaded), dump);
    EXPECT_TRUE(strata::diff_schemas(first, reloaded).empty())
        << strata::format_changes(strata::diff_schemas(first, reloaded));
    EXPECT_EQ(strata::to_json(reloaded), strata::to_json(first));
}

TEST(PostgresRealWorldSet, DumpOfOddNamesAndDependenciesLoads) {
    // Views on views and types on types whose names sort the wrong way round,
    // quoted names, a foreign key to a table that sorts later.
    const std::string set = R"sql(
CREATE TYPE zz_state AS ENUM ('on', 'off');
CREATE DOMAIN aa_state AS zz_state NOT NULL;
CREATE TABLE "Order" ("User" int, "select" text, "a b" aa_state, "key" int);
CREATE TABLE z_parent (id int PRIMARY KEY);
CREATE TABLE a_child (id int REFERENCES z_parent);
CREATE VIEW a_view AS SELECT * FROM z_view;
CREATE VIEW z_view AS SELECT "User", "select" FROM "Order";
CREATE INDEX "Order index" ON "Order" ("User", "key");
CREATE SEQUENCE "Odd seq" AS smallint INCREMENT BY -1 MINVALUE -100 MAXVALUE 10 START 5 CYCLE;
)sql";
    postgres_test_database db("strata_pgschema");
    db.exec(set.substr(0, set.find("CREATE VIEW a_view")) +
            set.substr(set.find("CREATE VIEW z_view")) +
            "CREATE VIEW a_view AS SELECT * FROM z_view;");
    const std::string dump = strata::dump_sql(read(db));
    postgres_test_database copy("strata_pgschema");
    copy.exec(dump);
    EXPECT_EQ(strata::dump_sql(read(copy)), dump);
    EXPECT_THAT(dump, HasSubstr("CREATE TABLE \"Order\" (\n    \"User\" integer,\n"
                                "    \"select\" text,\n    \"a b\" aa_state,\n    key integer\n"));
    EXPECT_LT(dump.find("CREATE TYPE zz_state"), dump.find("CREATE DOMAIN aa_state"));
    EXPECT_LT(dump.find("CREATE VIEW z_view"), dump.find("CREATE VIEW a_view"));
}

}  // namespace
