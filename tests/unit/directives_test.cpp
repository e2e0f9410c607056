#include "migrations/internal/directives.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

struct read_result {
    strata::directives found;
    strata::diagnostics diagnostics;
};

read_result read(const std::string& sql, int first_line = 1, const std::string& file = "up.sql") {
    read_result r;
    r.found = strata::read_directives(strata::script{sql, file, first_line}, r.diagnostics);
    return r;
}

TEST(Directives, NoneInAPlainScript) {
    auto r = read("CREATE TABLE t (x INTEGER);\n");
    EXPECT_FALSE(r.found.no_transaction);
    EXPECT_FALSE(r.found.irreversible);
    EXPECT_TRUE(r.diagnostics.empty());
}

TEST(Directives, NoTransaction) {
    auto r = read("-- strata:no-transaction\nCREATE INDEX i ON t (x);\n");
    EXPECT_TRUE(r.found.no_transaction);
    EXPECT_FALSE(r.found.irreversible);
    EXPECT_TRUE(r.diagnostics.empty());
}

TEST(Directives, Irreversible) {
    auto r = read("-- strata:irreversible\nDROP TABLE legacy;\n");
    EXPECT_FALSE(r.found.no_transaction);
    EXPECT_TRUE(r.found.irreversible);
    EXPECT_TRUE(r.diagnostics.empty());
}

TEST(Directives, BothAmongOtherComments) {
    auto r = read(
        "-- Build the search index.\n"
        "\n"
        "  --   strata:irreversible  \n"
        "/* block */\n"
        "--strata:no-transaction\r\n"
        "CREATE INDEX i ON t (x);\n");
    EXPECT_TRUE(r.found.no_transaction);
    EXPECT_TRUE(r.found.irreversible);
    EXPECT_TRUE(r.diagnostics.empty());
}

TEST(Directives, DirectiveAsTheWholeScript) {
    auto r = read("-- strata:irreversible");
    EXPECT_TRUE(r.found.irreversible);
    EXPECT_TRUE(r.diagnostics.empty());
}

TEST(Directives, UnknownDirectiveIsAnErrorWithItsLine) {
    auto r = read("-- header\n-- strata:no-transaction\n-- strata:foo\nSELECT 1;\n", 1,
                  "migrations/1_x/up.sql");
    EXPECT_TRUE(r.found.no_transaction);
    ASSERT_EQ(r.diagnostics.size(), 1u);
    const auto& d = r.diagnostics[0];
    EXPECT_EQ(d.level, strata::severity::error);
    EXPECT_EQ(d.kind, "directive");
    EXPECT_EQ(d.where.file, "migrations/1_x/up.sql");
    EXPECT_EQ(d.where.line, 3);
    EXPECT_NE(d.message.find("strata:foo"), std::string::npos) << d.message;
}

TEST(Directives, MisspeltNoTransactionIsAnError) {
    auto r = read("-- strata:no_transaction\nVACUUM;\n");
    EXPECT_FALSE(r.found.no_transaction);
    ASSERT_EQ(r.diagnostics.size(), 1u);
    EXPECT_EQ(r.diagnostics[0].kind, "directive");
    EXPECT_EQ(r.diagnostics[0].where.line, 1);
}

TEST(Directives, LineCountsFromTheScriptsFirstLine) {
    // A dbmate section starts part way into its file.
    auto r = read("\n-- strata:bogus\nSELECT 1;\n", 7, "20250101000000_x.sql");
    ASSERT_EQ(r.diagnostics.size(), 1u);
    EXPECT_EQ(r.diagnostics[0].where.file, "20250101000000_x.sql");
    EXPECT_EQ(r.diagnostics[0].where.line, 8);
}

TEST(Directives, OnlyTheLeadingCommentCounts) {
    auto r = read(
        "CREATE TABLE t (x INTEGER);\n"
        "-- strata:no-transaction\n"
        "-- strata:irreversible\n"
        "-- strata:foo\n"
        "CREATE INDEX i ON t (x);\n");
    EXPECT_FALSE(r.found.no_transaction);
    EXPECT_FALSE(r.found.irreversible);
    EXPECT_TRUE(r.diagnostics.empty());
}

TEST(Directives, CommentAfterAStatementOnTheSameLineDoesNotCount) {
    auto r = read("SELECT 1; -- strata:no-transaction\n");
    EXPECT_FALSE(r.found.no_transaction);
    EXPECT_TRUE(r.diagnostics.empty());
}

TEST(Directives, OtherCommentsMentioningStrataAreNotDirectives) {
    auto r = read("-- see strata:no-transaction in the docs\n-- stratum: no\nSELECT 1;\n");
    EXPECT_FALSE(r.found.no_transaction);
    EXPECT_TRUE(r.diagnostics.empty());
}

}  // namespace
