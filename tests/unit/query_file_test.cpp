// Query files: `-- name:` blocks, their SQL and their parameters.
#include "tooling/queries/query_file.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "process.hpp"

namespace {

using ::testing::ElementsAre;

strata::query_file parse(const std::string& text) {
    return strata::parse_query_file(text, "queries.sql");
}

// Each finding as "line: message", to compare all of them at once.
std::vector<std::string> errors(const strata::query_file& parsed) {
    std::vector<std::string> out;
    for (const auto& d : parsed.findings)
        out.push_back(std::to_string(d.where.line) + ": " + d.message);
    return out;
}

// The one query of `text`, failing the test on any finding.
strata::named_query only_query(const std::string& text) {
    const auto parsed = parse(text);
    EXPECT_THAT(errors(parsed), ElementsAre());
    EXPECT_EQ(parsed.queries.size(), 1u);
    return parsed.queries.empty() ? strata::named_query{} : parsed.queries.front();
}

// -- Blocks -----------------------------------------------------------------

TEST(QueryFileBlocks, SeveralQueriesWithTheirLines) {
    const auto parsed = parse(
        "-- Queries of the users table.\n"    // 1
        "\n"                                  // 2
        "-- name: find_user :one\n"           // 3
        "SELECT id, email\n"                  // 4
        "FROM users\n"                        // 5
        "WHERE id = ?;\n"                     // 6
        "\n"                                  // 7
        "-- name: list_users :many\n"         // 8
        "\n"                                  // 9
        "SELECT id FROM users\n"              // 10
        "-- name: delete_user :exec\n"        // 11
        "DELETE FROM users WHERE id = ?\n");  // 12
    EXPECT_THAT(errors(parsed), ElementsAre());
    ASSERT_EQ(parsed.queries.size(), 3u);
    const auto& find = parsed.queries[0];
    EXPECT_EQ(find.name, "find_user");
    EXPECT_EQ(find.identifier, "find_user");
    EXPECT_EQ(find.cardinality, "one");
    EXPECT_EQ(find.where.file, "queries.sql");
    EXPECT_EQ(find.where.line, 3);
    EXPECT_EQ(find.sql_line, 4);
    EXPECT_EQ(find.sql, "SELECT id, email\nFROM users\nWHERE id = ?");
    EXPECT_EQ(find.doc, "");
    EXPECT_EQ(parsed.queries[1].name, "list_users");
    EXPECT_EQ(parsed.queries[1].where.line, 8);
    EXPECT_EQ(parsed.queries[1].sql_line, 10);
    EXPECT_EQ(parsed.queries[1].sql, "SELECT id FROM users");
    EXPECT_EQ(parsed.queries[2].where.line, 11);
    EXPECT_EQ(parsed.queries[2].sql_line, 12);
    EXPECT_EQ(parsed.queries[2].sql, "DELETE FROM users WHERE id = ?");
}

TEST(QueryFileBlocks, NameLinesMaySpaceFreely) {
    const auto parsed = parse(
        "--name:a\nSELECT 1\n"
        "  --   name:   b    :many  \nSELECT 2\n"
        "\t-- name:c\nSELECT 3\n");
    EXPECT_THAT(errors(parsed), ElementsAre());
    ASSERT_EQ(parsed.queries.size(), 3u);
    EXPECT_EQ(parsed.queries[0].name, "a");
    EXPECT_EQ(parsed.queries[0].cardinality, "");
    EXPECT_EQ(parsed.queries[1].name, "b");
    EXPECT_EQ(parsed.queries[1].cardinality, "many");
    EXPECT_EQ(parsed.queries[1].where.line, 3);
    EXPECT_EQ(parsed.queries[2].name, "c");
    EXPECT_EQ(parsed.queries[2].sql, "SELECT 3");
}

TEST(QueryFileBlocks, EverySqlcAnnotation) {
    const std::vector<std::string> annotations = {
        "one",        "many",      "exec",      "execrows", "execresult",
        "execlastid", "batchexec", "batchmany", "batchone", "copyfrom"};
    std::string text;
    for (std::size_t i = 0; i < annotations.size(); ++i)
        text += "-- name: q" + std::to_string(i) + " :" + annotations[i] + "\nSELECT 1;\n";
    const auto parsed = parse(text);
    EXPECT_THAT(errors(parsed), ElementsAre());
    ASSERT_EQ(parsed.queries.size(), annotations.size());
    for (std::size_t i = 0; i < annotations.size(); ++i)
        EXPECT_EQ(parsed.queries[i].cardinality, annotations[i]);
}

TEST(QueryFileBlocks, DocCommentsComeBeforeTheSql) {
    const auto q = only_query(
        "-- name: find_user :one\n"
        "--   Finds a user by id.  \n"
        "--\n"
        "-- Returns nothing for an unknown id.\n"
        "\n"
        "SELECT * FROM users -- not doc\n"
        "-- nor this\n"
        "WHERE id = ?\n");
    EXPECT_EQ(q.doc, "Finds a user by id.\n\nReturns nothing for an unknown id.");
    EXPECT_EQ(q.sql_line, 6);
    EXPECT_EQ(q.sql, "SELECT * FROM users -- not doc\n-- nor this\nWHERE id = ?");
}

TEST(QueryFileBlocks, SqlStartsAtItsFirstNonCommentLine) {
    const auto q = only_query("-- name: q\n\n   /* hint */ SELECT 1\n");
    EXPECT_EQ(q.sql_line, 3);
    EXPECT_EQ(q.sql, "/* hint */ SELECT 1");
}

TEST(QueryFileBlocks, TrailingSemicolonCommentsAndBlanksAreRemoved) {
    EXPECT_EQ(only_query("-- name: q\nSELECT 1;  \n\n-- the end\n-- really\n\n").sql, "SELECT 1");
    EXPECT_EQ(only_query("-- name: q\nSELECT 1 ; -- done\n").sql, "SELECT 1");
    EXPECT_EQ(only_query("-- name: q\nSELECT 1 /* trailing */\n\t\n").sql, "SELECT 1");
    EXPECT_EQ(only_query("-- name: q\nSELECT ';'").sql, "SELECT ';'");
    // Only one semicolon goes; an empty statement after it is no second one.
    EXPECT_EQ(only_query("-- name: q\nSELECT 1;;\n").sql, "SELECT 1;");
}

TEST(QueryFileBlocks, DashedNamesGetIdentifiers) {
    const auto parsed = parse(
        "-- name: find-user-by-email\nSELECT 1\n"
        "-- name: _count\nSELECT 2\n"
        "-- name: delete\nSELECT 3\n");
    EXPECT_THAT(errors(parsed), ElementsAre());
    ASSERT_EQ(parsed.queries.size(), 3u);
    EXPECT_EQ(parsed.queries[0].name, "find-user-by-email");
    EXPECT_EQ(parsed.queries[0].identifier, "find_user_by_email");
    EXPECT_EQ(parsed.queries[1].identifier, "count");
    EXPECT_EQ(parsed.queries[2].identifier, "delete_");
}

TEST(QueryFileBlocks, CrlfAndByteOrderMark) {
    const std::string text =
        "-- File doc.\n"
        "-- name: a :one\n"
        "-- Doc of a.\n"
        "SELECT x\n"
        "FROM t WHERE y = :y;\n"
        "\n"
        "-- name: b\n"
        "SELECT 2";
    const auto parsed = parse("\xEF\xBB\xBF" + strata::test::to_crlf(text));
    EXPECT_THAT(errors(parsed), ElementsAre());
    ASSERT_EQ(parsed.queries.size(), 2u);
    const auto& a = parsed.queries[0];
    EXPECT_EQ(a.cardinality, "one");
    EXPECT_EQ(a.where.line, 2);
    EXPECT_EQ(a.doc, "Doc of a.");
    EXPECT_EQ(a.sql_line, 4);
    EXPECT_EQ(a.sql, "SELECT x\nFROM t WHERE y = :y");
    EXPECT_EQ(a.postgres_sql, "SELECT x\nFROM t WHERE y = $1");
    EXPECT_EQ(parsed.queries[1].where.line, 7);
    EXPECT_EQ(parsed.queries[1].sql, "SELECT 2");
}

TEST(QueryFileBlocks, ByteOrderMarkBeforeTheFirstName) {
    const auto parsed = parse("\xEF\xBB\xBF-- name: a\nSELECT 1\n");
    EXPECT_THAT(errors(parsed), ElementsAre());
    ASSERT_EQ(parsed.queries.size(), 1u);
    EXPECT_EQ(parsed.queries[0].name, "a");
}

TEST(QueryFileBlocks, CommentsMayIntroduceTheFile) {
    const auto parsed =
        parse("\n-- About this file.\n/* A block\n   comment; */\n\n-- name: a\nSELECT 1\n");
    EXPECT_THAT(errors(parsed), ElementsAre());
    ASSERT_EQ(parsed.queries.size(), 1u);
    EXPECT_EQ(parsed.queries[0].where.line, 6);
}

TEST(QueryFileBlocks, EmptyAndCommentOnlyFilesHoldNoQueries) {
    EXPECT_THAT(errors(parse("")), ElementsAre());
    EXPECT_TRUE(parse("").queries.empty());
    EXPECT_THAT(errors(parse("-- nothing yet\n")), ElementsAre());
}

// -- Errors of blocks -------------------------------------------------------

TEST(QueryFileErrors, FindingsAreQueryErrorsWithFileAndLine) {
    const auto parsed = parse("\n-- name: 1st\nSELECT 1\n");
    ASSERT_EQ(parsed.findings.size(), 1u);
    const auto& d = parsed.findings[0];
    EXPECT_EQ(d.level, strata::severity::error);
    EXPECT_EQ(d.kind, "query");
    EXPECT_EQ(d.where.file, "queries.sql");
    EXPECT_EQ(d.where.line, 2);
    EXPECT_EQ(d.version, "");
    EXPECT_TRUE(d.changes.empty());
    EXPECT_TRUE(strata::has_errors(parsed.findings));
}

TEST(QueryFileErrors, SqlBeforeTheFirstName) {
    const auto parsed = parse("-- header\n\nSELECT 1;\n-- name: a\nSELECT 2\n");
    EXPECT_THAT(errors(parsed), ElementsAre("3: SQL before the first '-- name:' line"));
    ASSERT_EQ(parsed.queries.size(), 1u);
    EXPECT_EQ(parsed.queries[0].name, "a");
    EXPECT_THAT(errors(parse("/* c */ SELECT 1\n")),
                ElementsAre("1: SQL before the first '-- name:' line"));
}

TEST(QueryFileErrors, InvalidNames) {
    EXPECT_THAT(errors(parse("-- name: a\nSELECT 1\n-- name: find-user!\nSELECT 2\n")),
                ElementsAre("3: invalid query name 'find-user!': a name is a letter or '_' "
                            "followed by letters, digits, '_' or '-'"));
    EXPECT_THAT(errors(parse("-- name: 2nd\nSELECT 1\n")),
                ElementsAre("1: invalid query name '2nd': a name is a letter or '_' followed "
                            "by letters, digits, '_' or '-'"));
    EXPECT_THAT(errors(parse("-- name: -a\nSELECT 1\n")),
                ElementsAre("1: invalid query name '-a': a name is a letter or '_' followed "
                            "by letters, digits, '_' or '-'"));
    EXPECT_THAT(errors(parse("\n-- name:\nSELECT 1\n")),
                ElementsAre("2: '-- name:' without a query name"));
}

TEST(QueryFileErrors, WhatMayFollowTheName) {
    EXPECT_THAT(errors(parse("-- name: a :some\nSELECT 1\n")),
                ElementsAre("1: query a has an unknown annotation ':some'"));
    EXPECT_THAT(errors(parse("-- name: a one\nSELECT 1\n")),
                ElementsAre("1: unexpected 'one' after query name a"));
    EXPECT_THAT(errors(parse("-- name: a :one :many\nSELECT 1\n")),
                ElementsAre("1: unexpected ':many' after query name a :one"));
}

TEST(QueryFileErrors, QueryWithoutSql) {
    const auto parsed = parse(
        "-- name: a\n"       // 1
        "-- only doc\n"      // 2
        "\n"                 // 3
        "-- name: b\n"       // 4
        "SELECT 1\n"         // 5
        "-- name: c\n"       // 6
        "/* nothing */ ;\n"  // 7
        "-- name: d\n");     // 8
    EXPECT_THAT(errors(parsed), ElementsAre("1: query a has no SQL", "6: query c has no SQL",
                                            "8: query d has no SQL"));
    ASSERT_EQ(parsed.queries.size(), 1u);
    EXPECT_EQ(parsed.queries[0].name, "b");
}

TEST(QueryFileErrors, SameIdentifierTwice) {
    const auto parsed = parse(
        "-- name: find-user\nSELECT 1\n"     // 1
        "-- name: other\nSELECT 2\n"         // 3
        "-- name: find_user\nSELECT 3\n"     // 5
        "-- name: other :one\nSELECT 4\n");  // 7
    EXPECT_THAT(errors(parsed), ElementsAre("5: query find_user is already defined on line 1",
                                            "7: query other is already defined on line 3"));
    ASSERT_EQ(parsed.queries.size(), 2u);
    EXPECT_EQ(parsed.queries[0].sql, "SELECT 1");
    EXPECT_EQ(parsed.queries[1].sql, "SELECT 2");
}

TEST(QueryFileErrors, MoreThanOneStatement) {
    const auto parsed = parse(
        "-- name: a\n"            // 1
        "SELECT 1;\n"             // 2
        "-- between\n"            // 3
        "SELECT 2;\n"             // 4
        "-- name: b\n"            // 5
        "SELECT 1; SELECT 2\n");  // 6
    EXPECT_THAT(errors(parsed),
                ElementsAre("4: query a holds more than one statement; a query is one statement",
                            "6: query b holds more than one statement; a query is one statement"));
    EXPECT_TRUE(parsed.queries.empty());
}

TEST(QueryFileErrors, HiddenSemicolonsAreNoSecondStatement) {
    const auto q = only_query(
        "-- name: a\n"
        "SELECT ';', \"a;b\", `c;d`, $$;$$, E'\\';' -- ;\n"
        "/* ; */ FROM t;\n");
    EXPECT_EQ(q.sql, "SELECT ';', \"a;b\", `c;d`, $$;$$, E'\\';' -- ;\n/* ; */ FROM t");
}

TEST(QueryFileErrors, UnterminatedQuotesAndComments) {
    EXPECT_THAT(errors(parse("-- name: a\nSELECT 1,\n  'abc\n")),
                ElementsAre("3: query a has an unterminated string"));
    EXPECT_THAT(errors(parse("-- name: a\nSELECT \"abc\n")),
                ElementsAre("2: query a has an unterminated quoted identifier"));
    EXPECT_THAT(errors(parse("-- name: a\nSELECT 1\n/* a /* b */\n")),
                ElementsAre("3: query a has an unterminated comment"));
    EXPECT_THAT(errors(parse("-- name: a\nSELECT $x$ abc $$\n")),
                ElementsAre("2: query a has an unterminated dollar-quoted string"));
}

TEST(QueryFileErrors, AnErrorSpoilsOnlyItsQuery) {
    const auto parsed = parse(
        "-- name: a\nSELECT :x, ?\n"
        "-- name: b\nSELECT 2\n");
    EXPECT_THAT(errors(parsed), ElementsAre("2: query a mixes named and positional parameters"));
    ASSERT_EQ(parsed.queries.size(), 1u);
    EXPECT_EQ(parsed.queries[0].name, "b");
}

// -- Parameters -------------------------------------------------------------

TEST(QueryFileParameters, NoParameters) {
    const auto q = only_query("-- name: a\nSELECT 1 FROM t\n");
    EXPECT_THAT(q.parameters, ElementsAre());
    EXPECT_EQ(q.sqlite_sql, q.sql);
    EXPECT_EQ(q.postgres_sql, q.sql);
}

TEST(QueryFileParameters, PositionalQuestionMarks) {
    const auto q = only_query("-- name: a\nSELECT * FROM t WHERE a = ? AND b IN (?, ?)\n");
    EXPECT_THAT(q.parameters, ElementsAre("", "", ""));
    EXPECT_EQ(q.sqlite_sql, "SELECT * FROM t WHERE a = ?1 AND b IN (?2, ?3)");
    EXPECT_EQ(q.postgres_sql, "SELECT * FROM t WHERE a = $1 AND b IN ($2, $3)");
}

TEST(QueryFileParameters, NumberedQuestionMarksAndDollars) {
    const auto q = only_query("-- name: a\nSELECT ?2, $1, ?002, $3 + $1\n");
    EXPECT_THAT(q.parameters, ElementsAre("", "", ""));
    EXPECT_EQ(q.sqlite_sql, "SELECT ?2, ?1, ?2, ?3 + ?1");
    EXPECT_EQ(q.postgres_sql, "SELECT $2, $1, $2, $3 + $1");
}

TEST(QueryFileParameters, NamedParametersInOrderOfFirstUse) {
    const auto q = only_query(
        "-- name: a\n"
        "UPDATE t SET name = :name, email = @email\n"
        "WHERE id = :id AND (name <> :name OR :email IS NULL)\n");
    EXPECT_THAT(q.parameters, ElementsAre("name", "email", "id"));
    EXPECT_EQ(q.sqlite_sql,
              "UPDATE t SET name = ?1, email = ?2\nWHERE id = ?3 AND (name <> ?1 OR ?2 IS NULL)");
    EXPECT_EQ(q.postgres_sql,
              "UPDATE t SET name = $1, email = $2\nWHERE id = $3 AND (name <> $1 OR $2 IS NULL)");
    EXPECT_EQ(q.sql,
              "UPDATE t SET name = :name, email = @email\n"
              "WHERE id = :id AND (name <> :name OR :email IS NULL)");
}

TEST(QueryFileParameters, NamesStopAtTheFirstNonIdentifierCharacter) {
    const auto q = only_query("-- name: a\nSELECT :first_1+:_2,@x3.y\n");
    EXPECT_THAT(q.parameters, ElementsAre("first_1", "_2", "x3"));
    EXPECT_EQ(q.postgres_sql, "SELECT $1+$2,$3.y");
}

TEST(QueryFileParameters, CastsAssignmentsSlicesAndOperatorsAreNotParameters) {
    const auto q = only_query(
        "-- name: a\n"
        "SELECT x::text, y :: int, a[1:n], a[:n], b[lo:hi][1:2], tags @> :tags,\n"
        "       doc @@ query, doc @@to_tsquery('a'), @ -5, r <@ s, :=\n");
    EXPECT_THAT(q.parameters, ElementsAre("tags"));
    EXPECT_EQ(q.postgres_sql,
              "SELECT x::text, y :: int, a[1:n], a[:n], b[lo:hi][1:2], tags @> $1,\n"
              "       doc @@ query, doc @@to_tsquery('a'), @ -5, r <@ s, :=");
}

TEST(QueryFileParameters, ArrayConstructorsHoldParametersSubscriptsSlices) {
    const auto q = only_query(
        "-- name: a\n"
        "SELECT id FROM t WHERE id = ANY(ARRAY[:first, :second]) AND tags[1:n] = array [ :x ]\n"
        "  AND m[ARRAY[:y][1:k]] IS NULL\n");
    EXPECT_THAT(q.parameters, ElementsAre("first", "second", "x", "y"));
    EXPECT_EQ(q.postgres_sql,
              "SELECT id FROM t WHERE id = ANY(ARRAY[$1, $2]) AND tags[1:n] = array [ $3 ]\n"
              "  AND m[ARRAY[$4][1:k]] IS NULL");
}

TEST(QueryFileParameters, QuotesAndCommentsHideParameters) {
    const std::string sql =
        "SELECT '?', 'it''s :a', E'\\' ?', \"col?\", `x:y`, -- ? :b\n"
        "  /* ? /* nested :c */ @d */ $$ $1 ? $$, $fn$ :e $$ $fn$,\n"
        "  a$1, price$, ? AS q";
    const auto q = only_query("-- name: a\n" + sql + "\n");
    EXPECT_THAT(q.parameters, ElementsAre(""));
    std::string expected = sql;
    expected.replace(expected.rfind('?'), 1, "$1");
    EXPECT_EQ(q.postgres_sql, expected);
}

TEST(QueryFileParameters, EscapeStringNeedsAWholeWordE) {
    // After `xe` the quote opens an ordinary string: a backslash is no escape.
    const auto q = only_query("-- name: a\nSELECT 'a\\', ?, E'\\'', ?, xe'b\\', ?\n");
    EXPECT_EQ(q.sqlite_sql, "SELECT 'a\\', ?1, E'\\'', ?2, xe'b\\', ?3");
}

TEST(QueryFileParameters, RewritesKeepEveryOtherByteAndTheLines) {
    const std::string sql =
        "SELECT  a,\n"
        "\t'line\none' AS b -- :not\n"
        "FROM t\n"
        "WHERE c = :c\n"
        "  AND d = :d";
    const auto q = only_query("-- name: a\n" + sql);
    EXPECT_EQ(q.sql, sql);
    EXPECT_EQ(std::count(q.sqlite_sql.begin(), q.sqlite_sql.end(), '\n'), 5);
    EXPECT_EQ(std::count(q.postgres_sql.begin(), q.postgres_sql.end(), '\n'), 5);
    EXPECT_EQ(q.sqlite_sql,
              "SELECT  a,\n\t'line\none' AS b -- :not\nFROM t\nWHERE c = ?1\n  AND d = ?2");
    EXPECT_EQ(q.postgres_sql,
              "SELECT  a,\n\t'line\none' AS b -- :not\nFROM t\nWHERE c = $1\n  AND d = $2");
}

TEST(QueryFileParameters, MixingNamedAndPositional) {
    EXPECT_THAT(errors(parse("-- name: a\nSELECT :x,\n  ?\n")),
                ElementsAre("3: query a mixes named and positional parameters"));
    EXPECT_THAT(errors(parse("-- name: a\nSELECT $1,\n\n  @x\n")),
                ElementsAre("4: query a mixes named and positional parameters"));
}

TEST(QueryFileParameters, MixingQuestionMarksWithNumbered) {
    EXPECT_THAT(errors(parse("-- name: a\nSELECT ?,\n  $2\n")),
                ElementsAre("3: query a mixes ? with numbered parameters"));
    EXPECT_THAT(errors(parse("-- name: a\nSELECT ?1, ?\n")),
                ElementsAre("2: query a mixes ? with numbered parameters"));
}

TEST(QueryFileParameters, NumberedParametersWithAGap) {
    EXPECT_THAT(errors(parse("-- name: a\nSELECT $1,\n  $3\n")),
                ElementsAre("3: query a never uses parameter $2"));
    EXPECT_THAT(errors(parse("-- name: a\nSELECT\n ?2\n")),
                ElementsAre("3: query a never uses parameter ?1"));
}

TEST(QueryFileParameters, NumbersOutOfRange) {
    EXPECT_THAT(errors(parse("-- name: a\nSELECT 1\n  + $0\n")),
                ElementsAre("3: query a uses parameter $0; parameters are numbered 1 to 32766"));
    EXPECT_THAT(errors(parse("-- name: a\nSELECT ?32767\n")),
                ElementsAre("2: query a uses parameter ?32767; parameters are numbered 1 to "
                            "32766"));
    EXPECT_THAT(errors(parse("-- name: a\nSELECT $99999999999999999999999\n")),
                ElementsAre("2: query a uses parameter $99999999999999999999999; parameters are "
                            "numbered 1 to 32766"));
}

TEST(QueryFileParameters, TheLastAllowedNumber) {
    std::string sql = "SELECT ";
    for (int i = 1; i <= 32766; ++i)
        sql += (i > 1 ? ", ?" : "?");
    const auto parsed = parse("-- name: a\n" + sql + "\n");
    EXPECT_THAT(errors(parsed), ElementsAre());
    ASSERT_EQ(parsed.queries.size(), 1u);
    EXPECT_EQ(parsed.queries[0].parameters.size(), 32766u);
    EXPECT_THAT(errors(parse("-- name: a\n" + sql + ", ?\n")),
                ElementsAre("2: query a has more than 32766 parameters"));
}

// -- Files ------------------------------------------------------------------

TEST(QueryFileRead, ReadsAFile) {
    strata::test::scratch_directory dir;
    const auto path = dir / "users.sql";
    strata::test::write_file(path, "-- name: count_users :one\r\nSELECT count(*) FROM users;\r\n");
    const auto parsed = strata::read_query_file(path);
    EXPECT_THAT(errors(parsed), ElementsAre());
    ASSERT_EQ(parsed.queries.size(), 1u);
    EXPECT_EQ(parsed.queries[0].where.file, path.string());
    EXPECT_EQ(parsed.queries[0].where.line, 1);
    EXPECT_EQ(parsed.queries[0].sql, "SELECT count(*) FROM users");
}

TEST(QueryFileRead, FindingsNameTheFile) {
    strata::test::scratch_directory dir;
    const auto path = dir / "bad.sql";
    strata::test::write_file(path, "SELECT 1;\n");
    const auto parsed = strata::read_query_file(path);
    ASSERT_EQ(parsed.findings.size(), 1u);
    EXPECT_EQ(parsed.findings[0].where.file, path.string());
    EXPECT_EQ(parsed.findings[0].where.line, 1);
}

TEST(QueryFileRead, MissingFileIsAFinding) {
    strata::test::scratch_directory dir;
    for (const auto& path : {dir / "missing.sql", dir.path()}) {
        const auto parsed = strata::read_query_file(path);
        EXPECT_TRUE(parsed.queries.empty());
        ASSERT_EQ(parsed.findings.size(), 1u);
        EXPECT_EQ(parsed.findings[0].level, strata::severity::error);
        EXPECT_EQ(parsed.findings[0].kind, "query");
        EXPECT_EQ(parsed.findings[0].where.file, path.string());
        EXPECT_EQ(parsed.findings[0].where.line, 0);
        EXPECT_EQ(parsed.findings[0].message, "cannot read query file");
    }
}

// Several files, as `check --queries a.sql b.sql` reads them: a file named
// twice (another spelling of the same path) is read once; a name defined
// again in another file is an error at the second definition, naming the first.
TEST(QueryFileRead, SeveralFilesOneNameSpace) {
    strata::test::scratch_directory dir;
    strata::test::write_file(dir / "users.sql", "-- name: count_users :one\nSELECT 1;\n");
    strata::test::write_file(
        dir / "more.sql", "-- name: newest :one\nSELECT 2;\n\n-- name: count_users\nSELECT 3;\n");
    const std::string users = (dir / "users.sql").string();
    const std::string again = (dir / "." / "users.sql").string();
    strata::diagnostics findings;
    const auto queries =
        strata::read_query_files({users, again, (dir / "more.sql").string()}, findings);
    std::vector<std::string> names;
    for (const auto& q : queries)
        names.push_back(q.name);
    EXPECT_THAT(names, ElementsAre("count_users", "newest"));
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0].level, strata::severity::error);
    EXPECT_EQ(findings[0].where.file, (dir / "more.sql").string());
    EXPECT_EQ(findings[0].where.line, 4);
    EXPECT_EQ(findings[0].message, "query count_users is already defined at " + users + ":1");
}

// -- Found by the fuzz target tests/fuzz/fuzz_query_file.cpp (inputs kept in
// tests/fuzz/corpus/fuzz_query_file/) -----------------------------------------

// A comment between the statement and its `;` trails the SQL too: code that
// appends to the SQL must not land in a line comment.
TEST(QueryFileFuzzRegressions, CommentBeforeTheSemicolonIsNotPartOfTheSql) {
    const auto q =
        only_query("-- name: by_numbers :many\nSELECT ?2, ?1 FROM t WHERE x = ?1 -- note\n;\n");
    EXPECT_EQ(q.sql, "SELECT ?2, ?1 FROM t WHERE x = ?1");
    EXPECT_EQ(only_query("-- name: q\nSELECT 1 /* c */ ;\n").sql, "SELECT 1");
}

}  // namespace
