// Checked queries at the engine: each query prepared on a real scratch
// database of each backend, and the facts the header is generated from:
// parameters, column types and nullability.
#include <gtest/gtest.h>

#include "postgres.hpp"
#include "strata/migration_set.hpp"
#include "tooling/queries/query_check.hpp"
#include "tooling/queries/query_file.hpp"
#include "tooling/scratch/scratch.hpp"

namespace {

using strata::backend_kind;

class QueryCheck : public ::testing::TestWithParam<backend_kind> {
  protected:
    bool postgres() const { return GetParam() == backend_kind::postgres; }

    strata::scratch_target target() const {
        strata::scratch_target t;
        t.backend = GetParam();
        if (postgres())
            t.server_url = strata::test::postgres_server_url();
        return t;
    }

    // Checks the queries of `text` against the fixture's schema.
    strata::query_check_result check(const std::string& text) {
        const auto file = strata::parse_query_file(text, "shop.sql");
        EXPECT_TRUE(file.findings.empty()) << file.findings.front().message;
        const auto set = strata::read_migration_set(QUERY_FIXTURES "/shop/migrations");
        auto db = strata::make_scratch(target());
        db->apply(set);
        return strata::check_queries(*db, db->schema(), file.queries);
    }

    // The one query of `sql`, which must prepare.
    strata::described_query describe(const std::string& sql) {
        auto result = check("-- name: q\n" + sql + "\n");
        EXPECT_TRUE(result.findings.empty())
            << (result.findings.empty() ? "" : result.findings.front().message);
        EXPECT_EQ(result.queries.size(), 1u);
        return result.queries.empty() ? strata::described_query{} : result.queries.front();
    }

    // The SQL type each backend reports for the fixture's INTEGER / TEXT / REAL.
    std::string integer() const { return postgres() ? "integer" : "INTEGER"; }
    std::string text() const { return postgres() ? "text" : "TEXT"; }
    std::string real() const { return postgres() ? "real" : "REAL"; }
};

const strata::result_column& column(const strata::described_query& q, const std::string& name) {
    for (const auto& c : q.columns)
        if (c.name == name)
            return c;
    static const strata::result_column none{"<none>", "<none>", true, "<none>"};
    ADD_FAILURE() << "no column " << name;
    return none;
}

TEST_P(QueryCheck, JoinReadsNotNullColumnsAsNotNull) {
    const auto q = describe(
        "SELECT u.email, o.total, o.note FROM orders o JOIN users u ON u.id = o.user_id "
        "WHERE o.id = :id");
    ASSERT_EQ(q.columns.size(), 3u);
    EXPECT_EQ(column(q, "email").sql_type, text());
    EXPECT_FALSE(column(q, "email").nullable);
    EXPECT_EQ(column(q, "email").origin, "users.email");
    EXPECT_EQ(column(q, "total").sql_type, real());
    EXPECT_FALSE(column(q, "total").nullable);
    EXPECT_TRUE(column(q, "note").nullable);
    ASSERT_EQ(q.query.parameters, std::vector<std::string>{"id"});
    ASSERT_EQ(q.parameter_types.size(), 1u);
    EXPECT_EQ(q.parameter_types[0], postgres() ? "integer" : "");
}

TEST_P(QueryCheck, OuterJoinsNullableSideIsNullable) {
    const auto left =
        describe("SELECT u.email, o.total FROM users u LEFT JOIN orders o ON o.user_id = u.id");
    EXPECT_FALSE(column(left, "email").nullable);
    EXPECT_TRUE(column(left, "total").nullable);

    const auto full = describe(
        "SELECT u.email, o.total FROM users u FULL OUTER JOIN orders o ON o.user_id = u.id");
    EXPECT_TRUE(column(full, "email").nullable);
    EXPECT_TRUE(column(full, "total").nullable);
}

TEST_P(QueryCheck, OuterJoinedCommonTableExpressionIsNullable) {
    const auto q = describe(
        "WITH recent AS (SELECT user_id, total FROM orders WHERE id > 10)\n"
        "SELECT u.email, r.total FROM users u LEFT JOIN recent r ON r.user_id = u.id");
    EXPECT_FALSE(column(q, "email").nullable);
    EXPECT_TRUE(column(q, "total").nullable);
}

TEST_P(QueryCheck, OuterJoinedLateralSubqueryIsNullable) {
    if (!postgres())
        return;  // SQLite has no LATERAL
    const auto q = describe(
        "SELECT u.email, o.total FROM users u LEFT JOIN LATERAL "
        "(SELECT total FROM orders WHERE user_id = u.id LIMIT 1) o ON true");
    EXPECT_FALSE(column(q, "email").nullable);
    EXPECT_TRUE(column(q, "total").nullable);
}

TEST_P(QueryCheck, StarColumnsAreReadAsTheyAreAndTheOtherItemsByWhatTheyAre) {
    const auto q = describe(
        "SELECT lower(email) AS folded, *, (SELECT note FROM orders WHERE user_id = users.id "
        "LIMIT 1) AS first_note FROM users");
    ASSERT_EQ(q.columns.size(), 7u);
    EXPECT_TRUE(column(q, "folded").nullable);
    EXPECT_FALSE(column(q, "id").nullable);
    EXPECT_FALSE(column(q, "email").nullable);
    EXPECT_TRUE(column(q, "nickname").nullable);
    EXPECT_FALSE(column(q, "active").nullable);
    EXPECT_TRUE(column(q, "first_note").nullable);
}

TEST_P(QueryCheck, ColonsInNamesAreNoTypeHints) {
    const auto q = describe("SELECT email AS \"a::b\", email AS \"when: 10:30\" FROM users");
    EXPECT_EQ(column(q, "a::b").sql_type, text());
    EXPECT_FALSE(column(q, "a::b").nullable);
    EXPECT_EQ(column(q, "when: 10:30").sql_type, text());
}

TEST_P(QueryCheck, SumOfBooleansCountsThem) {
    if (postgres())
        return;  // PostgreSQL has no sum(boolean): the query is SQLite's
    const auto q = describe("SELECT sum(active) AS n, max(active) AS any_active FROM users");
    EXPECT_EQ(column(q, "n").sql_type, "INTEGER");
    EXPECT_EQ(column(q, "any_active").sql_type, "BOOLEAN");
}

TEST_P(QueryCheck, ViewWithAnOuterJoinIsNullable) {
    const auto q = describe("SELECT email, total FROM user_totals");
    EXPECT_TRUE(column(q, "total").nullable);
}

TEST_P(QueryCheck, AggregatesAndExpressionsAreNullableAndTyped) {
    const auto q = describe(
        "SELECT u.id, count(o.id) AS orders, sum(o.total) AS spent, lower(u.email) AS email "
        "FROM users u LEFT JOIN orders o ON o.user_id = u.id GROUP BY u.id, u.email");
    EXPECT_FALSE(column(q, "id").nullable);
    EXPECT_EQ(column(q, "id").sql_type, integer());
    EXPECT_TRUE(column(q, "orders").nullable);
    EXPECT_EQ(column(q, "orders").sql_type, postgres() ? "bigint" : "INTEGER");
    EXPECT_TRUE(column(q, "spent").nullable);
    EXPECT_EQ(column(q, "email").sql_type, text());
    EXPECT_TRUE(column(q, "email").nullable);
    EXPECT_EQ(column(q, "email").origin, "");
}

TEST_P(QueryCheck, ScalarSubqueryIsNullable) {
    const auto q = describe("SELECT (SELECT email FROM users ORDER BY id LIMIT 1) AS first_email");
    EXPECT_TRUE(column(q, "first_email").nullable);
}

TEST_P(QueryCheck, HintsOverrideNullabilityAndType) {
    const auto q = describe(
        "SELECT count(*) AS \"n!\", max(nickname) AS \"longest?\", "
        "sum(score) AS \"points!: integer\", min(email) AS \"first\", "
        "(SELECT email FROM users LIMIT 1) AS \"some!\" FROM users");
    EXPECT_FALSE(column(q, "n").nullable);
    EXPECT_TRUE(column(q, "longest").nullable);
    EXPECT_FALSE(column(q, "points").nullable);
    EXPECT_EQ(column(q, "points").sql_type, "integer");
    EXPECT_TRUE(column(q, "first").nullable);
    EXPECT_EQ(column(q, "first").sql_type, text());  // min(x) has x's type
    EXPECT_FALSE(column(q, "some").nullable);
    const auto maybe = describe("SELECT email AS \"maybe?\" FROM users");
    EXPECT_TRUE(column(maybe, "maybe").nullable);
}

TEST_P(QueryCheck, PositionalAndNumberedParameters) {
    const auto positional = describe("SELECT email FROM users WHERE id = ? AND nickname = ?");
    EXPECT_EQ(positional.query.parameters, (std::vector<std::string>{"", ""}));
    const auto numbered = describe("SELECT email FROM users WHERE id = $1 OR id = $2 + $1");
    EXPECT_EQ(numbered.query.parameters.size(), 2u);
    if (postgres()) {
        EXPECT_EQ(positional.parameter_types, (std::vector<std::string>{"integer", "text"}));
    }
}

TEST_P(QueryCheck, NamedParameterUsedTwiceIsOneParameter) {
    const auto q = describe("SELECT id FROM users WHERE email = :who OR nickname = :who");
    EXPECT_EQ(q.query.parameters, std::vector<std::string>{"who"});
}

TEST_P(QueryCheck, InsertReturningIsTypedLikeTheTable) {
    const auto q = describe(
        "INSERT INTO users (id, email) VALUES (:id, :email) RETURNING id, email, nickname");
    ASSERT_EQ(q.columns.size(), 3u);
    EXPECT_FALSE(column(q, "id").nullable);
    EXPECT_EQ(column(q, "id").sql_type, integer());
    EXPECT_FALSE(column(q, "email").nullable);
    EXPECT_EQ(column(q, "email").sql_type, text());
    EXPECT_TRUE(column(q, "nickname").nullable);
    EXPECT_EQ(q.query.parameters, (std::vector<std::string>{"id", "email"}));
}

TEST_P(QueryCheck, ReturningWithAnAliasKeepsTheColumnsFacts) {
    const auto q = describe(
        "UPDATE users SET nickname = :nickname WHERE id = :id RETURNING id AS user_id, "
        "users.email AS address, lower(email) AS folded");
    EXPECT_FALSE(column(q, "user_id").nullable);
    EXPECT_EQ(column(q, "user_id").sql_type, integer());
    EXPECT_FALSE(column(q, "address").nullable);
    EXPECT_TRUE(column(q, "folded").nullable);
}

TEST_P(QueryCheck, UnionAndRollupMakeEveryColumnNullable) {
    const auto both = describe("SELECT email FROM users UNION SELECT note FROM orders");
    EXPECT_TRUE(column(both, "email").nullable);
    if (!postgres())
        return;  // SQLite has no ROLLUP
    const auto rollup =
        describe("SELECT user_id, count(*) AS n FROM orders GROUP BY ROLLUP (user_id)");
    EXPECT_TRUE(column(rollup, "user_id").nullable);
}

TEST_P(QueryCheck, StatementWithoutResultHasNoColumns) {
    const auto q = describe("UPDATE users SET nickname = :nickname WHERE id = :id");
    EXPECT_TRUE(q.columns.empty());
    EXPECT_EQ(q.query.parameters.size(), 2u);
}

TEST_P(QueryCheck, UnknownColumnIsReportedAtItsLine) {
    const auto result = check(
        "-- name: fine\nSELECT id FROM users\n\n-- name: find_theme\nSELECT id,\n  theme\n"
        "FROM users\n");
    ASSERT_EQ(result.findings.size(), 1u);
    const auto& finding = result.findings.front();
    EXPECT_EQ(finding.where.file, "shop.sql");
    EXPECT_EQ(finding.where.line, 6) << finding.message;
    EXPECT_NE(finding.message.find("query find_theme: "), std::string::npos) << finding.message;
    EXPECT_NE(finding.message.find("theme"), std::string::npos) << finding.message;
    EXPECT_NE(finding.message.find(postgres() ? "does not exist" : "no such column"),
              std::string::npos)
        << finding.message;
    ASSERT_EQ(result.queries.size(), 1u);  // the other query is still described
    EXPECT_EQ(result.queries.front().query.name, "fine");
}

TEST_P(QueryCheck, PlaceholderStrataDoesNotCountIsRefused) {
    if (postgres())
        return;  // `$email` is SQLite's spelling
    const auto result = check("-- name: by_email\nSELECT id FROM users WHERE email = $email\n");
    ASSERT_EQ(result.findings.size(), 1u);
    EXPECT_EQ(result.findings.front().where.line, 1);
    EXPECT_NE(result.findings.front().message.find(
                  "query by_email has 1 parameter(s) for the database but 0 for strata"),
              std::string::npos)
        << result.findings.front().message;
}

TEST_P(QueryCheck, UnknownTableIsReported) {
    const auto result = check("-- name: gone\nSELECT id FROM customers\n");
    ASSERT_EQ(result.findings.size(), 1u);
    EXPECT_NE(result.findings.front().message.find("customers"), std::string::npos);
    EXPECT_EQ(result.findings.front().where.line, 2);
}

INSTANTIATE_TEST_SUITE_P(Backends, QueryCheck,
                         ::testing::Values(backend_kind::sqlite, backend_kind::postgres),
                         [](const auto& param) { return strata::to_string(param.param); });

}  // namespace
