// The SQL tokenizer and the canonical spelling of token sequences that the
// schema model compares expressions, views and triggers with.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "sql/tokens.hpp"

using strata::canonical_sql;
using strata::is_sql_keyword;
using strata::quote_name;
using strata::token_kind;
using strata::tokenize_sql;

namespace {

const char* kind_name(token_kind k) {
    switch (k) {
        case token_kind::word:
            return "word";
        case token_kind::quoted_identifier:
            return "quoted";
        case token_kind::string:
            return "string";
        case token_kind::number:
            return "number";
        case token_kind::blob:
            return "blob";
        case token_kind::parameter:
            return "parameter";
        case token_kind::punct:
            return "punct";
    }
    return "?";
}

// "kind:text" per token.
std::vector<std::string> tokens(const std::string& sql) {
    std::vector<std::string> out;
    for (const auto& t : tokenize_sql(sql))
        out.push_back(std::string(kind_name(t.kind)) + ":" + t.text);
    return out;
}

using list = std::vector<std::string>;

TEST(Tokenize, WordsNumbersStringsAndPunctuation) {
    EXPECT_EQ(tokens("SELECT a1, _b FROM t WHERE x >= 10 AND y <> 'it''s';"),
              (list{"word:SELECT", "word:a1", "punct:,", "word:_b", "word:FROM", "word:t",
                    "word:WHERE", "word:x", "punct:>=", "number:10", "word:AND", "word:y",
                    "punct:<>", "string:'it''s'", "punct:;"}));
}

TEST(Tokenize, QuotedIdentifiersInEveryStyleHoldTheUnquotedName) {
    EXPECT_EQ(tokens(R"("a b" [c d] `e f` "x""y" `p``q` [r"s])"),
              (list{"quoted:a b", "quoted:c d", "quoted:e f", "quoted:x\"y", "quoted:p`q",
                    "quoted:r\"s"}));
}

TEST(Tokenize, CommentsAndWhitespaceAreDropped) {
    EXPECT_EQ(tokens("a -- line comment ' \" [\n\t b /* block\n comment */ c -- at the end"),
              (list{"word:a", "word:b", "word:c"}));
    EXPECT_EQ(tokens("'-- not a comment' '/* nor this */'"),
              (list{"string:'-- not a comment'", "string:'/* nor this */'"}));
}

TEST(Tokenize, OffsetsPointIntoTheText) {
    const auto ts = tokenize_sql("  ab /*x*/ 'c'");
    ASSERT_EQ(ts.size(), 2u);
    EXPECT_EQ(ts[0].offset, 2u);
    EXPECT_EQ(ts[1].offset, 11u);
}

TEST(Tokenize, Numbers) {
    EXPECT_EQ(tokens("1 2.5 .5 1e10 1E-3 2.5e+4 0x1F"),
              (list{"number:1", "number:2.5", "number:.5", "number:1e10", "number:1E-3",
                    "number:2.5e+4", "number:0x1F"}));
}

// 0x1e is a complete hexadecimal literal: `0x1e-5` is a subtraction, as
// SQLite reads it (SELECT 0x1e-5 gives 25).
TEST(Tokenize, HexadecimalLiteralFollowedByMinus) {
    EXPECT_EQ(tokens("0x1e-5"), (list{"number:0x1e", "punct:-", "number:5"}));
    EXPECT_EQ(canonical_sql("x > 0x1e-5"), canonical_sql("x > 0x1e - 5"));
}

TEST(Tokenize, BlobsAndParameters) {
    EXPECT_EQ(tokens("x'00ff' X'AB' ? ?12 :name @v $p $1"),
              (list{"blob:X'00ff'", "blob:X'AB'", "parameter:?", "parameter:?12", "parameter::name",
                    "parameter:@v", "parameter:$p", "parameter:$1"}));
}

TEST(Tokenize, MultiCharacterOperators) {
    EXPECT_EQ(tokens("a||b<=c>=d==e!=f<>g<<h>>i->j->>k::l"),
              (list{"word:a", "punct:||",  "word:b", "punct:<=", "word:c", "punct:>=",
                    "word:d", "punct:==",  "word:e", "punct:!=", "word:f", "punct:<>",
                    "word:g", "punct:<<",  "word:h", "punct:>>", "word:i", "punct:->",
                    "word:j", "punct:->>", "word:k", "punct:::", "word:l"}));
}

TEST(Tokenize, UnterminatedQuotesRunToTheEnd) {
    EXPECT_EQ(tokens("a 'open"), (list{"word:a", "string:'open"}));
    EXPECT_EQ(tokens("a \"open"), (list{"word:a", "quoted:open"}));
    EXPECT_EQ(tokens("a [open"), (list{"word:a", "quoted:open"}));
    EXPECT_EQ(tokens("a /* open"), (list{"word:a"}));
}

TEST(Tokenize, NonAsciiIdentifiers) {
    EXPECT_EQ(tokens("SELECT café, 表 FROM t"),
              (list{"word:SELECT", "word:café", "punct:,", "word:表", "word:FROM", "word:t"}));
}

TEST(Keywords, AreRecognisedCaseInsensitively) {
    for (const char* k : {"SELECT", "select", "Select", "WITHOUT", "autoincrement",
                          "CURRENT_TIMESTAMP", "returning"})
        EXPECT_TRUE(is_sql_keyword(k)) << k;
    // ROWID and STRICT are not keywords in SQLite; neither are function names.
    for (const char* w : {"users", "rowid", "strict", "lower", "true", "selects", ""})
        EXPECT_FALSE(is_sql_keyword(w)) << w;
}

TEST(CanonicalSql, KeywordsUpperIdentifiersLowerSingleSpaces) {
    EXPECT_EQ(canonical_sql("select  Id,Name\nfrom   Users where Id>0"),
              "SELECT id, name FROM users WHERE id > 0");
}

TEST(CanonicalSql, NoSpaceAroundDotsCommasClosingParensAndCallParens) {
    EXPECT_EQ(canonical_sql("lower ( new . name ) , count( * ) , x IN ( 1 , 2 )"),
              "lower(new.name), count(*), x IN (1, 2)");
}

TEST(CanonicalSql, QuotingIsRemovedWhereNotNeeded) {
    EXPECT_EQ(canonical_sql(R"(SELECT "id", [name], `x` FROM "users")"),
              "SELECT id, name, x FROM users");
    EXPECT_EQ(canonical_sql(R"(SELECT "order", [full name], "a""b" FROM t)"),
              R"(SELECT "order", "full name", "a""b" FROM t)");
}

TEST(CanonicalSql, LiteralsAreKeptAsWritten) {
    EXPECT_EQ(canonical_sql("x = 'MiXeD ''q''' OR y = x'aB' OR z = 1e5"),
              "x = 'MiXeD ''q''' OR y = X'AB' OR z = 1E5");
}

TEST(CanonicalSql, EquivalentSpellingsAgree) {
    const std::vector<std::pair<std::string, std::string>> same = {
        {"CASE WHEN a>1 THEN 'x' ELSE NULL END", "case when a > 1 then 'x' else null end"},
        {"a||' '||b", "a || ' ' || b"},
        {"coalesce(a,b)", "COALESCE ( a , b )"},
        {"x BETWEEN 1 AND 2 -- range", "x between /* lo */ 1 and 2"},
        {"\"t\".\"c\" = [t].[c]", "t.c = t . c"},
        {"CAST(x AS INTEGER)", "cast ( x as integer )"},
    };
    for (const auto& [a, b] : same)
        EXPECT_EQ(canonical_sql(a), canonical_sql(b)) << a << " | " << b;
    EXPECT_NE(canonical_sql("a > 1"), canonical_sql("a >= 1"));
    EXPECT_NE(canonical_sql("x = 'A'"), canonical_sql("x = 'a'"));
}

TEST(QuoteName, BareOnlyForPlainNonKeywordIdentifiers) {
    EXPECT_EQ(quote_name("users"), "users");
    EXPECT_EQ(quote_name("Users"), "Users");
    EXPECT_EQ(quote_name("_x1"), "_x1");
    EXPECT_EQ(quote_name("é"), "é");
    EXPECT_EQ(quote_name("order"), "\"order\"");
    EXPECT_EQ(quote_name("Select"), "\"Select\"");
    EXPECT_EQ(quote_name("full name"), "\"full name\"");
    EXPECT_EQ(quote_name("1st"), "\"1st\"");
    EXPECT_EQ(quote_name("a\"b"), "\"a\"\"b\"");
    EXPECT_EQ(quote_name("a$b"), "\"a$b\"");
    EXPECT_EQ(quote_name(""), "\"\"");
}

// Found by fuzz_migration_set: a number glued to a '.' before or after it
// read back as one longer number, so canonical text was not canonical.
TEST(CanonicalSql, IsAFixedPointAfterANumberFollowedByADot) {
    for (const char* sql : {"0_a\n.sql", "x.\n2025"}) {
        const std::string once = canonical_sql(sql);
        EXPECT_EQ(canonical_sql(once), once) << sql;
    }
}

}  // namespace
