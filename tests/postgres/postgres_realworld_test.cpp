// A PostgreSQL migration set of real-world shape (fixtures/realworld, diesel
// layout): diesel's initial setup with diesel_manage_updated_at and its
// triggers, enums, the pgcrypto / citext / pg_trgm extensions, partial,
// expression and GIN indexes, a view and a materialized view, an identity
// and a serial column, and CREATE INDEX CONCURRENTLY outside a transaction.
// It applies, dumps canonically, round-trips, guards its snapshot and gives
// a header that compiles.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "postgres.hpp"
#include "strata_cli.hpp"

namespace fs = std::filesystem;
using namespace strata::test;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

class RealWorld : public ::testing::Test {
  protected:
    scratch_directory dir{"strata-pg-realworld"};
    postgres_test_database db{"realworld"};
    const std::string server = postgres_server_url();
    const std::string set = std::string(STRATA_POSTGRES_FIXTURES) + "/realworld";

    process_result on_db(const std::vector<std::string>& args) const {
        std::vector<std::string> all = {"--dir", set, "--url", db.url()};
        all.insert(all.end(), args.begin(), args.end());
        return run_strata(dir.path(), all);
    }

    // `schema` of the live database (with --dir it would be the set's).
    process_result live_schema() const {
        return run_strata(dir.path(), {"--url", db.url(), "schema"});
    }

    // On scratch databases of the test server.
    process_result on_scratch(const std::vector<std::string>& args) const {
        std::vector<std::string> all = {"--dir",          set,   "--backends", "postgres",
                                        "--postgres-url", server};
        all.insert(all.end(), args.begin(), args.end());
        return run_strata(dir.path(), all);
    }
};

TEST_F(RealWorld, AppliesAndDumpsCanonically) {
    const auto up = on_db({"up"});
    ASSERT_EQ(up.exit_code, 0) << up.describe();
    EXPECT_THAT(up.out, HasSubstr("applied 00000000000000_diesel_initial_setup"));
    EXPECT_THAT(up.out, HasSubstr("applied 20250303100000_posts_body_search"));
    EXPECT_EQ(db.query_value("SELECT count(*) FROM _strata_migrations WHERE state = 'applied'"),
              "6");
    // The trigger that diesel_manage_updated_at created does its job.
    db.exec(
        "INSERT INTO users (email, name) VALUES ('A@example.com', 'Ann');"
        "UPDATE users SET updated_at = '2000-01-01' WHERE name = 'Ann';"
        "UPDATE users SET name = 'Anne' WHERE name = 'Ann';");
    EXPECT_EQ(db.query_value("SELECT updated_at > '2001-01-01' FROM users"), "t");

    const auto live = live_schema();
    ASSERT_EQ(live.exit_code, 0) << live.describe();
    for (const char* part : {"CREATE EXTENSION IF NOT EXISTS citext",
                             "CREATE EXTENSION IF NOT EXISTS pg_trgm",
                             "CREATE EXTENSION IF NOT EXISTS pgcrypto",
                             "CREATE TYPE user_role AS ENUM ('member', 'moderator', 'admin')",
                             "CREATE TYPE post_status AS ENUM ('draft', 'published', 'archived')",
                             "diesel_manage_updated_at(_tbl regclass)",
                             "diesel_set_updated_at()",
                             "CREATE TRIGGER set_updated_at BEFORE UPDATE ON posts",
                             "CREATE TRIGGER set_updated_at BEFORE UPDATE ON users",
                             "GENERATED ALWAYS AS IDENTITY",
                             "nextval('page_views_id_seq'::regclass)",
                             "OWNED BY page_views.id",
                             "USING gin (title gin_trgm_ops)",
                             "USING gin (body gin_trgm_ops)",
                             "WHERE (status = 'published'::post_status)",
                             "(lower((name)::text))",
                             "CREATE MATERIALIZED VIEW post_view_counts",
                             "CREATE VIEW published_posts",
                             "CONSTRAINT title_not_blank CHECK",
                             "email citext NOT NULL",
                             "tags text[]",
                             "numeric(6,2)"})
        EXPECT_THAT(live.out, HasSubstr(part));
    // Objects that belong to extensions or to Strata are not the schema's.
    for (const char* absent :
         {"_strata_migrations", "similarity(", "citext_eq", "gen_random_bytes", "public."})
        EXPECT_THAT(live.out, Not(HasSubstr(absent)));

    // The same schema from scratch databases: canonical, whatever the database.
    const auto scratch = on_scratch({"schema"});
    ASSERT_EQ(scratch.exit_code, 0) << scratch.describe();
    EXPECT_EQ(scratch.out, live.out);
    EXPECT_EQ(live_schema().out, live.out);

    const auto diff = on_db({"--backends", "postgres", "--postgres-url", server, "diff"});
    EXPECT_EQ(diff.exit_code, 0) << diff.describe();
}

TEST_F(RealWorld, RoundTripsAndRevertsToAnEmptySchema) {
    const auto check = on_scratch({"check", "--roundtrip"});
    EXPECT_EQ(check.exit_code, 0) << check.describe();
    EXPECT_THAT(check.out, HasSubstr("ok: 6 migration(s)"));

    postgres_test_database empty("realworld_empty");
    const auto nothing = run_strata(dir.path(), {"--url", empty.url(), "schema"});
    ASSERT_EQ(nothing.exit_code, 0) << nothing.describe();
    ASSERT_EQ(on_db({"up"}).exit_code, 0);
    const auto down = on_db({"down", "--all"});
    EXPECT_EQ(down.exit_code, 0) << down.describe();
    EXPECT_EQ(live_schema().out, nothing.out);
    const auto redo = on_db({"up"});
    EXPECT_EQ(redo.exit_code, 0) << redo.describe();
}

TEST_F(RealWorld, SnapshotPassesAndDriftShowsTheDifference) {
    const auto dump = on_scratch({"schema"});
    ASSERT_EQ(dump.exit_code, 0) << dump.describe();
    write_file(dir / "schema.sql", dump.out);
    auto check = on_scratch({"check", "--snapshot", (dir / "schema.sql").string()});
    EXPECT_EQ(check.exit_code, 0) << check.describe();

    std::string edited = dump.out;
    const std::string name = "name character varying(80) NOT NULL";
    ASSERT_NE(edited.find(name), std::string::npos) << edited;
    edited.replace(edited.find(name), name.size(), "name character varying(100) NOT NULL");
    write_file(dir / "schema.sql", edited);
    check = on_scratch({"check", "--snapshot", (dir / "schema.sql").string()});
    EXPECT_EQ(check.exit_code, 1) << check.describe();
    EXPECT_THAT(check.err, HasSubstr("differs from the snapshot"));
    EXPECT_THAT(check.err, HasSubstr("table users: column name: type character varying(100) -> "
                                     "character varying(80)"));
}

TEST_F(RealWorld, HeaderCompiles) {
    const auto header = on_scratch(
        {"header", "--namespace", "blog::db", "--out", (dir / "blog_schema.hpp").string()});
    ASSERT_EQ(header.exit_code, 0) << header.describe();
    write_file(dir / "use.cpp",
               "#include \"blog_schema.hpp\"\n"
               "#include <type_traits>\n"
               "static_assert(std::is_same_v<blog::db::posts::id::value_type, std::int64_t>);\n"
               "static_assert(std::is_same_v<blog::db::posts::tags::value_type, "
               "std::vector<std::string>>);\n"
               "static_assert(std::is_same_v<blog::db::page_views::id::value_type, "
               "std::int32_t>);\n"
               "int main() { return blog::db::from_string<blog::db::user_role>(\"admin\") ? 0 : "
               "1; }\n");
    process_spec compile;
    compile.argv = {STRATA_CXX_COMPILER, "-std=c++17", "-Wall",         "-Wextra",
                    "-Werror",           "-pedantic",  "-fsyntax-only", (dir / "use.cpp").string()};
    const auto r = run_process(compile);
    EXPECT_EQ(r.exit_code, 0) << r.describe() << read_file(dir / "blog_schema.hpp");
}

}  // namespace
