#include "sql/lexer.hpp"
#include "sql/text.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using strata::has_statement;
using strata::lines_before;

TEST(SqlText, SkipsNothingBeforeAStatement) {
    EXPECT_EQ(strata::sql::skip_blank_and_comments("SELECT 1;", strata::sql::dialect::sqlite), 0u);
}

TEST(SqlText, SkipsWhitespace) {
    EXPECT_EQ(
        strata::sql::skip_blank_and_comments(" \t\r\n\f\vSELECT 1;", strata::sql::dialect::sqlite),
        6u);
}

TEST(SqlText, SkipsLineComments) {
    const std::string sql = "-- one\n  -- two\r\nSELECT 1;";
    EXPECT_EQ(strata::sql::skip_blank_and_comments(sql, strata::sql::dialect::sqlite),
              sql.find("SELECT"));
}

TEST(SqlText, SkipsBlockComments) {
    const std::string sql = "/* a\n b -- not a line comment */ /**/SELECT 1;";
    EXPECT_EQ(strata::sql::skip_blank_and_comments(sql, strata::sql::dialect::sqlite),
              sql.find("SELECT"));
}

TEST(SqlText, LineCommentAtEndWithoutNewline) {
    const std::string sql = "  -- only a comment";
    EXPECT_EQ(strata::sql::skip_blank_and_comments(sql, strata::sql::dialect::sqlite), sql.size());
}

TEST(SqlText, UnterminatedBlockCommentRunsToTheEnd) {
    const std::string sql = "/* never closed\nSELECT 1;";
    EXPECT_EQ(strata::sql::skip_blank_and_comments(sql, strata::sql::dialect::sqlite), sql.size());
}

TEST(SqlText, StartsFromTheGivenOffset) {
    const std::string sql = "SELECT 1; -- done\n  SELECT 2;";
    EXPECT_EQ(strata::sql::skip_blank_and_comments(sql, strata::sql::dialect::sqlite, 9),
              sql.find("SELECT 2"));
    EXPECT_EQ(strata::sql::skip_blank_and_comments(sql, strata::sql::dialect::sqlite, sql.size()),
              sql.size());
}

TEST(SqlText, SingleDashIsNotAComment) {
    EXPECT_EQ(strata::sql::skip_blank_and_comments("  -1", strata::sql::dialect::sqlite), 2u);
    EXPECT_EQ(strata::sql::skip_blank_and_comments("/ * x", strata::sql::dialect::sqlite), 0u);
}

TEST(SqlText, EmptyScriptHasNoStatement) {
    EXPECT_FALSE(has_statement(""));
    EXPECT_FALSE(has_statement("   \n\t\r\n"));
}

TEST(SqlText, CommentsOnlyHaveNoStatement) {
    EXPECT_FALSE(has_statement("-- SQLite can't drop columns\n"));
    EXPECT_FALSE(has_statement("-- a\n/* b */\n  -- c"));
    EXPECT_FALSE(has_statement("/* unterminated\nDROP TABLE t;"));
}

TEST(SqlText, SemicolonsAloneHaveNoStatement) {
    EXPECT_FALSE(has_statement(";"));
    EXPECT_FALSE(has_statement(" ; ;\n-- x\n;/* y */;"));
}

TEST(SqlText, RealStatementsCount) {
    EXPECT_TRUE(has_statement("DROP TABLE t"));
    EXPECT_TRUE(has_statement("-- drop it\nDROP TABLE t;"));
    EXPECT_TRUE(has_statement(";;\n/* x */ SELECT 1"));
}

TEST(SqlText, LinesBefore) {
    const std::string sql = "a\nb\r\nc\n";
    EXPECT_EQ(lines_before(sql, 0), 0);
    EXPECT_EQ(lines_before(sql, 1), 0);
    EXPECT_EQ(lines_before(sql, 2), 1);
    EXPECT_EQ(lines_before(sql, sql.find('c')), 2);
    EXPECT_EQ(lines_before(sql, sql.size()), 3);
}

TEST(SqlText, LinesBeforeClampsTheOffset) {
    EXPECT_EQ(lines_before("a\nb\n", 1000), 2);
    EXPECT_EQ(lines_before("", 5), 0);
}

}  // namespace
