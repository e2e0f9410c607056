// Splitting PostgreSQL scripts into statements the way psql does.
#include "sql/postgres_statements.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using ::testing::ElementsAre;

std::vector<std::string> split(const std::string& sql) {
    std::vector<std::string> out;
    for (const auto& s : strata::detail::split_postgres_statements(sql))
        out.push_back(sql.substr(s.begin, s.end - s.begin));
    return out;
}

TEST(PostgresStatements, SemicolonsSeparate) {
    EXPECT_THAT(split("CREATE TABLE a (id int);\nCREATE TABLE b (id int);\n"),
                ElementsAre("CREATE TABLE a (id int);", "CREATE TABLE b (id int);"));
}

TEST(PostgresStatements, LastStatementNeedsNoSemicolon) {
    EXPECT_THAT(split("SELECT 1;\nSELECT 2\n"), ElementsAre("SELECT 1;", "SELECT 2\n"));
}

TEST(PostgresStatements, CommentsAndBlanksAreNotStatements) {
    EXPECT_THAT(split("-- only a comment;\n/* and; /* nested; */ block */\n;;\n"), ElementsAre());
    EXPECT_THAT(split("-- lead;\nSELECT 1; -- trail;\n"), ElementsAre("SELECT 1;"));
}

TEST(PostgresStatements, QuotesHideSemicolons) {
    EXPECT_THAT(split("INSERT INTO t VALUES ('a;b', 'it''s;');\nSELECT \"x;y\" FROM t;"),
                ElementsAre("INSERT INTO t VALUES ('a;b', 'it''s;');", "SELECT \"x;y\" FROM t;"));
    EXPECT_THAT(split("SELECT E'\\';';\nSELECT 2;"), ElementsAre("SELECT E'\\';';", "SELECT 2;"));
}

TEST(PostgresStatements, DollarQuotedBodiesAreOneStatement) {
    const std::string function =
        "CREATE FUNCTION touch() RETURNS trigger AS $$\nBEGIN\n  NEW.at := now();\n  RETURN NEW;\n"
        "END;\n$$ LANGUAGE plpgsql;";
    const std::string tagged = "DO $body$ BEGIN PERFORM 1; PERFORM '$$'; END $body$;";
    EXPECT_THAT(split(function + "\n" + tagged + "\nSELECT $1;"),
                ElementsAre(function, tagged, "SELECT $1;"));
}

TEST(PostgresStatements, BeginAtomicBodiesAreOneStatement) {
    const std::string function =
        "CREATE OR REPLACE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql\n"
        "BEGIN ATOMIC\n  SELECT CASE WHEN a IS NULL THEN 0 ELSE a END + b;\nEND;";
    EXPECT_THAT(split(function + "\nSELECT 1;"), ElementsAre(function, "SELECT 1;"));
    // BEGIN outside a routine starts a transaction block: a statement of its own.
    EXPECT_THAT(split("BEGIN;\nSELECT 1;\nEND;"), ElementsAre("BEGIN;", "SELECT 1;", "END;"));
}

TEST(PostgresStatements, ParenthesesAndNamesLikeKeywordsDoNotConfuseIt) {
    // `begin` as a parameter name, and a statement list in a rule's parentheses.
    const std::string function =
        "CREATE FUNCTION f(begin int) RETURNS int LANGUAGE sql AS 'SELECT $1';";
    const std::string rule =
        "CREATE RULE log AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b "
        "VALUES (2));";
    EXPECT_THAT(split(function + "\n" + rule + "\nCREATE INDEX CONCURRENTLY i ON t (x);"),
                ElementsAre(function, rule, "CREATE INDEX CONCURRENTLY i ON t (x);"));
    // Only CREATE [OR REPLACE] FUNCTION | PROCEDURE has a BEGIN ... END body.
    EXPECT_THAT(split("CREATE TABLE t (function text, begin_at int);\nSELECT 1;"),
                ElementsAre("CREATE TABLE t (function text, begin_at int);", "SELECT 1;"));
    const std::string procedure =
        "CREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); END;";
    EXPECT_THAT(split(procedure + "\nSELECT 2;"), ElementsAre(procedure, "SELECT 2;"));
}

TEST(PostgresStatements, SpansPointIntoTheScript) {
    const std::string sql = "\n\n-- header\nSELECT 1;\n  SELECT 2;";
    const auto spans = strata::detail::split_postgres_statements(sql);
    ASSERT_EQ(spans.size(), 2u);
    EXPECT_EQ(spans[0].begin, sql.find("SELECT 1"));
    EXPECT_EQ(spans[1].begin, sql.find("SELECT 2"));
    EXPECT_EQ(spans[1].end, sql.size());
}

}  // namespace
