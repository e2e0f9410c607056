// The one SQL lexer and the differences of its dialects.
#include "sql/lexer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace {

using strata::sql::dialect;
using strata::sql::lexeme_kind;

// Each lexeme as "kind:text" (blanks left out), "!" after an unclosed one.
std::vector<std::string> lexemes(std::string_view text, dialect d) {
    static const char* names[] = {"blank", "comment", "string", "dollar", "name",
                                  "blob",  "number",  "param",  "word",   "punct"};
    std::vector<std::string> out;
    for (const auto& x : strata::sql::lex(text, d)) {
        if (x.kind == lexeme_kind::blank)
            continue;
        out.push_back(std::string(names[static_cast<int>(x.kind)]) + ":" +
                      std::string(text.substr(x.begin, x.end - x.begin)) + (x.closed ? "" : "!"));
    }
    return out;
}

using list = std::vector<std::string>;

TEST(Lexer, BlockCommentsNestInPostgresOnly) {
    const std::string sql = "/* a /* b */ c */ x";
    EXPECT_EQ(lexemes(sql, dialect::sqlite),
              (list{"comment:/* a /* b */", "word:c", "punct:*", "punct:/", "word:x"}));
    EXPECT_EQ(lexemes(sql, dialect::postgres), (list{"comment:/* a /* b */ c */", "word:x"}));
    EXPECT_EQ(lexemes(sql, dialect::portable), lexemes(sql, dialect::postgres));
}

TEST(Lexer, LineCommentEndsBeforeTheLineBreak) {
    EXPECT_EQ(lexemes("-- a; b\nx", dialect::sqlite), (list{"comment:-- a; b", "word:x"}));
}

TEST(Lexer, QuotedNamesByDialect) {
    const std::string sql = "\"a\"\"b\" `c` [d]";
    EXPECT_EQ(lexemes(sql, dialect::sqlite), (list{"name:\"a\"\"b\"", "name:`c`", "name:[d]"}));
    EXPECT_EQ(lexemes(sql, dialect::postgres), (list{"name:\"a\"\"b\"", "punct:`", "word:c",
                                                     "punct:`", "punct:[", "word:d", "punct:]"}));
    EXPECT_EQ(lexemes(sql, dialect::portable),
              (list{"name:\"a\"\"b\"", "name:`c`", "punct:[", "word:d", "punct:]"}));
}

TEST(Lexer, EscapeStringsAreBackslashedInPostgresOnly) {
    const std::string sql = R"(E'a\'b' x)";
    EXPECT_EQ(lexemes(sql, dialect::postgres), (list{R"(string:E'a\'b')", "word:x"}));
    EXPECT_EQ(lexemes(sql, dialect::sqlite),
              (list{"word:E", R"(string:'a\')", "word:b", "string:' x!"}));
}

TEST(Lexer, DollarQuotesInPostgresAndQueryFiles) {
    const std::string sql = "$f$ a; 'b $f$ $$c$$ $1 a$b";
    const list expected{"dollar:$f$ a; 'b $f$", "dollar:$$c$$", "param:$1", "word:a$b"};
    EXPECT_EQ(lexemes(sql, dialect::postgres), expected);
    EXPECT_EQ(lexemes(sql, dialect::portable), expected);
    EXPECT_EQ(lexemes("$$ a", dialect::postgres), (list{"dollar:$$ a!"}));
    // A dollar quote opens right where one closes, as psql reads it.
    EXPECT_EQ(lexemes("$a$x$a$$$ y", dialect::postgres), (list{"dollar:$a$x$a$", "dollar:$$ y!"}));
}

// Where the old splitter and psql disagreed, psql's reading.
TEST(Lexer, AfterADollarQuoteOrAParameterAsPsqlReads) {
    EXPECT_EQ(lexemes(R"($$a$$E'b\'c')", dialect::postgres),
              (list{"dollar:$$a$$", R"(string:E'b\'c')"}));
    EXPECT_EQ(lexemes("$1$a$ x $a$", dialect::postgres), (list{"param:$1", "dollar:$a$ x $a$"}));
}

TEST(Lexer, ParametersByDialect) {
    const std::string sql = "? ?2 :a @b $c $1";
    EXPECT_EQ(lexemes(sql, dialect::sqlite),
              (list{"param:?", "param:?2", "param::a", "param:@b", "param:$c", "param:$1"}));
    EXPECT_EQ(lexemes(sql, dialect::postgres),
              (list{"punct:?", "punct:?", "number:2", "punct::", "word:a", "punct:@", "word:b",
                    "word:$c", "param:$1"}));
    EXPECT_EQ(lexemes(sql, dialect::portable), (list{"param:?", "param:?2", "param::a", "param:@b",
                                                     "punct:$", "word:c", "param:$1"}));
}

TEST(Lexer, QueryFileColonsThatAreNoPlaceholders) {
    EXPECT_EQ(lexemes("a::int b := c[1:n] ARRAY[:x] d @@ e", dialect::portable),
              (list{"word:a", "punct:::", "word:int", "word:b", "punct::=", "word:c", "punct:[",
                    "number:1", "punct::", "word:n", "punct:]", "word:ARRAY", "punct:[", "param::x",
                    "punct:]", "word:d", "punct:@@", "word:e"}));
}

TEST(Lexer, NumbersAndBlobs) {
    EXPECT_EQ(lexemes("1.5e-3 0x1F X'00ff' .5", dialect::sqlite),
              (list{"number:1.5e-3", "number:0x1F", "blob:X'00ff'", "number:.5"}));
    // PostgreSQL takes a sign only inside an exponent.
    EXPECT_EQ(lexemes("1e+$1", dialect::postgres), (list{"number:1e", "punct:+", "param:$1"}));
}

TEST(Lexer, UnclosedQuotesRunToTheEnd) {
    EXPECT_EQ(lexemes("'a", dialect::sqlite), (list{"string:'a!"}));
    EXPECT_EQ(lexemes("\"a", dialect::postgres), (list{"name:\"a!"}));
    EXPECT_EQ(lexemes("[a", dialect::sqlite), (list{"name:[a!"}));
    EXPECT_EQ(lexemes("/* a", dialect::postgres), (list{"comment:/* a!"}));
}

TEST(Lexer, SkipsBlanksAndComments) {
    const std::string sql = " /* a /* b */ c */ -- d\n x";
    EXPECT_EQ(strata::sql::skip_blank_and_comments(sql, dialect::postgres), sql.find('x'));
    EXPECT_EQ(strata::sql::skip_blank_and_comments(sql, dialect::sqlite), sql.find('c'));
    EXPECT_EQ(strata::sql::skip_blank_and_comments("  ", dialect::sqlite), 2u);
}

}  // namespace
