// `strata check --queries` end to end: the real binary, its exit codes and
// messages, the query types it writes into the header, and the PostgreSQL
// check of a query that only SQLite accepts.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "postgres.hpp"
#include "strata_cli.hpp"

namespace fs = std::filesystem;
using namespace strata::test;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

const std::string shop_queries =
    "-- Queries of the shop.\n"
    "\n"
    "-- name: find_user :one\n"
    "-- One user by e-mail.\n"
    "SELECT id, email, nickname FROM users WHERE email = :email;\n"
    "\n"
    "-- name: totals_by_user :many\n"
    "SELECT u.email, count(o.id) AS \"orders!\", sum(o.total) AS spent\n"
    "FROM users u LEFT JOIN orders o ON o.user_id = u.id\n"
    "GROUP BY u.id, u.email\n"
    "\n"
    "-- name: add_order\n"
    "INSERT INTO orders (id, user_id, total) VALUES (?, ?, ?) RETURNING id, note\n";

class QueriesCli : public ::testing::Test {
  protected:
    scratch_directory dir{"strata-queries-cli"};

    void SetUp() override {
        fs::copy(QUERY_FIXTURES "/shop/migrations", dir / "migrations");
        write_file(dir / "shop.sql", shop_queries);
    }

    process_result check(std::vector<std::string> args) const {
        args.insert(args.begin(), "check");
        return run_strata(dir.path(), args);
    }

    process_result check_with_header(const std::string& backend) const {
        std::vector<std::string> args = {"--backends", backend};
        if (backend == "postgres")
            args.insert(args.end(), {"--postgres-url", postgres_server_url()});
        args.insert(args.end(), {"check", "--queries", "shop.sql", "--header",
                                 (dir / "shop_db.hpp").string(), "--namespace", "shop::db"});
        return run_strata(dir.path(), args);
    }

    // Compiles `main` against the header with every warning an error.
    process_result compile(const std::string& main) const {
        write_file(dir / "use.cpp", "#include \"shop_db.hpp\"\n#include <type_traits>\n" + main);
        process_spec spec;
        spec.argv = {STRATA_CXX_COMPILER, "-std=c++17",    "-Wall",
                     "-Wextra",           "-Werror",       "-pedantic",
                     "-Wshadow",          "-fsyntax-only", (dir / "use.cpp").string()};
        return run_process(spec);
    }
};

TEST_F(QueriesCli, PassingQueriesAreDeclaredInTheHeader) {
    const auto r = check_with_header("sqlite");
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    const std::string header = read_file(dir / "shop_db.hpp");
    EXPECT_THAT(header, HasSubstr("namespace queries {"));
    EXPECT_THAT(header, HasSubstr("// shop.sql:3\n// One user by e-mail.\nstruct find_user {"));
    EXPECT_THAT(header, HasSubstr("sqlite_sql = \"SELECT id, email, nickname FROM users WHERE "
                                  "email = ?1\";"));
    EXPECT_THAT(header, HasSubstr("postgres_sql = \"SELECT id, email, nickname FROM users WHERE "
                                  "email = $1\";"));
    const auto use = compile(
        "using q = shop::db::queries::find_user;\n"
        "static_assert(q::parameter_count == 1 && q::parameter_names[0] == \"email\");\n"
        "static_assert(std::is_same_v<decltype(q::row::id), std::int64_t>);\n"
        "static_assert(std::is_same_v<decltype(q::row::email), std::string>);\n"
        "static_assert(std::is_same_v<decltype(q::row::nickname), std::optional<std::string>>);\n"
        "static_assert(std::tuple_size_v<decltype(q::fields)> == 3);\n"
        "using t = shop::db::queries::totals_by_user;\n"
        "static_assert(std::is_same_v<decltype(t::row::orders), std::int64_t>);\n"
        "static_assert(std::is_same_v<decltype(t::row::spent), std::optional<double>>);\n"
        "using a = shop::db::queries::add_order;\n"
        "static_assert(a::parameter_count == 3 && a::parameter_names[0].empty());\n"
        "static_assert(std::is_same_v<decltype(a::row::id), std::int64_t>);\n"
        "static_assert(std::is_same_v<decltype(a::row::note), std::optional<std::string>>);\n"
        "int main() { return q::column_names[2] == \"nickname\" ? 0 : 1; }\n");
    EXPECT_EQ(use.exit_code, 0) << use.describe() << header;
}

TEST_F(QueriesCli, AwkwardQueryNamesAndSqlCompile) {
    write_file(dir / "awkward.sql",
               "-- name: row\nSELECT 'Really?\?!' AS \"sql\", '?\?/' AS name, id AS fields "
               "FROM users\n"
               "-- name: fields\nSELECT 1 AS \"row\"\n"
               "-- name: class\nSELECT email AS \"int\" FROM users\n");
    const auto r =
        run_strata(dir.path(), {"check", "--queries", "awkward.sql", "--header",
                                (dir / "shop_db.hpp").string(), "--namespace", "shop::db"});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    const auto use = compile(
        "namespace q = shop::db::queries;\n"
        "static_assert(q::row_2::name == \"row\");\n"
        "static_assert(q::fields_2::name == \"fields\");\n"
        "static_assert(q::class_::column_names[0] == \"int\");\n"
        "int main() { return q::row_2::sqlite_sql.find(\"Really?\\?!\") == std::string_view::npos; "
        "}\n");
    EXPECT_EQ(use.exit_code, 0) << use.describe() << read_file(dir / "shop_db.hpp");
}

TEST_F(QueriesCli, PostgresHeaderTypesParameters) {
    const auto r = check_with_header("postgres");
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    const auto use = compile(
        "using q = shop::db::queries::find_user;\n"
        "static_assert(q::parameter_types[0] == \"text\");\n"
        "static_assert(std::is_same_v<q::parameters, std::tuple<std::string>>);\n"
        "static_assert(std::is_same_v<decltype(q::row::id), std::int32_t>);\n"
        "using a = shop::db::queries::add_order;\n"
        "static_assert(std::is_same_v<a::parameters, std::tuple<std::int32_t, std::int32_t, "
        "float>>);\n"
        "int main() {}\n");
    EXPECT_EQ(use.exit_code, 0) << use.describe() << read_file(dir / "shop_db.hpp");
}

TEST_F(QueriesCli, DroppedColumnFailsNamingTheQueryAndColumn) {
    write_file(dir / "migrations" / "0002_drop_nickname.up.sql",
               "ALTER TABLE users DROP COLUMN nickname;\n");
    write_file(dir / "migrations" / "0002_drop_nickname.down.sql",
               "ALTER TABLE users ADD COLUMN nickname TEXT;\n");
    const auto r = check_with_header("sqlite");
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_THAT(r.err, HasSubstr("shop.sql:5: error: query find_user: no such column: nickname"));
    EXPECT_FALSE(fs::exists(dir / "shop_db.hpp"));
}

TEST_F(QueriesCli, QueryOnlySqliteAcceptsFailsThePostgresCheck) {
    write_file(dir / "lenient.sql",
               "-- name: any_email_per_nickname\n"
               "SELECT nickname, email FROM users\n"
               "GROUP BY nickname\n");
    const auto sqlite = check({"--queries", "lenient.sql"});
    EXPECT_EQ(sqlite.exit_code, 0) << sqlite.describe();
    const auto both =
        run_strata(dir.path(), {"--backends", "sqlite,postgres", "--postgres-url",
                                postgres_server_url(), "check", "--queries", "lenient.sql"});
    EXPECT_EQ(both.exit_code, 1) << both.describe();
    EXPECT_THAT(both.err, HasSubstr("lenient.sql:2: error: on postgres: query "
                                    "any_email_per_nickname: column \"users.email\" must appear "
                                    "in the GROUP BY clause"));
    EXPECT_THAT(both.err, Not(HasSubstr("on sqlite")));
}

TEST_F(QueriesCli, BadQueryFilesAreReportedWithTheirLine) {
    write_file(dir / "mixed.sql",
               "-- name: mixed\nSELECT id FROM users\nWHERE id = ? OR email = :e\n");
    const auto mixed = check({"--queries", "mixed.sql"});
    EXPECT_EQ(mixed.exit_code, 1) << mixed.describe();
    EXPECT_THAT(mixed.err, HasSubstr("mixed.sql:3: error: query mixed mixes named and positional"));

    const auto missing = check({"--queries", "absent.sql"});
    EXPECT_EQ(missing.exit_code, 1) << missing.describe();
    EXPECT_THAT(missing.err, HasSubstr("absent.sql"));
}

TEST_F(QueriesCli, QueryNamedInTwoFilesIsRefused) {
    write_file(dir / "more.sql", "-- name: find_user\nSELECT id FROM users\n");
    const auto r = check({"--queries", "shop.sql", "more.sql"});
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_THAT(r.err, HasSubstr("more.sql:1: error: query find_user is already defined at "
                                 "shop.sql:3"));
}

TEST_F(QueriesCli, FileNamedTwiceIsReadOnce) {
    const auto r = check({"--queries", "shop.sql", "./shop.sql", (dir / "shop.sql").string()});
    EXPECT_EQ(r.exit_code, 0) << r.describe();
}

TEST_F(QueriesCli, DepfileListsTheQueryFiles) {
    const auto r = check({"--queries", "shop.sql", "--depfile", (dir / "check.d").string(),
                          "--stamp", (dir / "check.stamp").string()});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_THAT(read_file(dir / "check.d"), HasSubstr("shop.sql"));
}

}  // namespace
