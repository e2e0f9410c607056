#include "strata/migration_version.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace {

using strata::version_rule;

strata::migration_version parsed(const char* text, version_rule rule, char next = '_') {
    auto parsed = strata::migration_version::parse(text, rule, next);
    if (!parsed)
        throw std::invalid_argument(std::string("test version does not parse: ") + text);
    return *parsed;
}

// sqlx's rule, the one the tests below without a rule in their name check.
strata::migration_version v(const char* text) {
    return parsed(text, version_rule::number);
}

strata::migration_version text(const char* text) {
    return parsed(text, version_rule::text);
}

strata::migration_version file(const char* text, char next = '_') {
    return parsed(text, version_rule::file_name, next);
}

TEST(Version, ParsesPlainDigits) {
    EXPECT_EQ(v("20250120120000").str(), "20250120120000");
}

TEST(Version, DieselDashedStyleDropsDashes) {
    EXPECT_EQ(text("2025-01-20-120000").str(), "20250120120000");
    EXPECT_EQ(text("2025-01-20-120000"), text("20250120120000"));
}

TEST(Version, KeepsLeadingZerosInText) {
    EXPECT_EQ(v("00000000000000").str(), "00000000000000");
    EXPECT_EQ(v("0001").str(), "0001");
}

TEST(Version, NumbersRejectMalformedText) {
    for (const char* bad :
         {"", "-", "-1", "1-", "1--2", "12abc", "a1", "1 2", "1_2", "1.2", "+1", "２"}) {
        for (auto rule : {version_rule::number, version_rule::file_name})
            EXPECT_FALSE(strata::migration_version::parse(bad, rule).has_value())
                << "'" << bad << "'";
    }
}

// diesel's version is whatever text its folder name starts with.
TEST(Version, TextTakesAnyTextButBlanksAndUnderscores) {
    for (const char* bad : {"", "-", "--", "1 2", "1_2", "a\tb"})
        EXPECT_FALSE(strata::migration_version::parse(bad, version_rule::text).has_value())
            << "'" << bad << "'";
    EXPECT_EQ(text("1--2").str(), "12");
    EXPECT_EQ(text("-1").str(), "1");
    EXPECT_EQ(text("2025-08-06-fix-entry").str(), "20250806fixentry");
    EXPECT_EQ(text("v0.15.1").str(), "v0.15.1");
    EXPECT_EQ(text("2025-11-19-091444-00af").str(), "2025111909144400af");
}

TEST(Version, DashedEqualsPlain) {
    EXPECT_EQ(v("2025-01-20-120000"), v("20250120120000"));
    EXPECT_EQ(v("2025-01-20-120000").compare(v("20250120120000")), 0);
}

TEST(Version, LeadingZerosDoNotMatter) {
    EXPECT_EQ(v("1"), v("001"));
    EXPECT_EQ(v("0"), v("00000000000000"));
    EXPECT_LT(v("00000000000000"), v("1"));
}

TEST(Version, ComparesNumericallyNotAsText) {
    EXPECT_LT(v("2"), v("10"));
    EXPECT_GT(v("10"), v("9"));
    EXPECT_LT(v("9"), v("0010"));
    EXPECT_EQ(v("2").compare(v("10")), -1);
    EXPECT_EQ(v("10").compare(v("2")), 1);
    EXPECT_NE(v("2"), v("20"));
}

TEST(Version, HugeVersionsDoNotOverflow) {
    auto a = v("123456789012345678901234567890");
    auto b = v("123456789012345678901234567891");
    EXPECT_LT(a, b);
    EXPECT_GT(b, a);
    EXPECT_LT(v("99999999999999999999"), a);
}

TEST(Version, SortsUnpaddedNumbers) {
    std::vector<strata::migration_version> versions;
    for (int i = 28; i >= 1; --i)
        versions.push_back(v(std::to_string(i).c_str()));
    std::sort(versions.begin(), versions.end());
    std::vector<std::string> got;
    for (const auto& x : versions)
        got.push_back(x.str());
    std::vector<std::string> expected;
    for (int i = 1; i <= 28; ++i)
        expected.push_back(std::to_string(i));
    EXPECT_EQ(got, expected);
}

TEST(Version, OperatorsAgree) {
    auto a = v("5");
    auto b = v("6");
    EXPECT_TRUE(a < b);
    EXPECT_TRUE(a <= b);
    EXPECT_TRUE(a <= v("05"));
    EXPECT_FALSE(a > b);
    EXPECT_TRUE(b > a);
    EXPECT_TRUE(a != b);
    EXPECT_FALSE(a == b);
}

// diesel: text, compared as text (diesel_migrations keeps a String).
TEST(Version, TextRuleTellsLeadingZerosApart) {
    EXPECT_NE(text("01"), text("1"));
    EXPECT_LT(text("01"), text("1"));
    EXPECT_EQ(text("00000000000000").str(), "00000000000000");
    EXPECT_NE(text("0"), text("00000000000000"));
}

TEST(Version, TextRuleComparesAsText) {
    EXPECT_LT(text("10"), text("9"));
    // An 18-digit version of 2025 before a 14-digit one of 2026.
    EXPECT_LT(text("2025-11-19-091444-0000"), text("2026-01-20-162913"));
    // `2024-03-13_170000_x` is version 20240313, after 20240306170000.
    EXPECT_GT(text("2024-03-13"), text("2024-03-06-170000"));
    EXPECT_LT(text("2024"), text("20240101"));
}

// dbmate: the digits identify; the file name orders.
TEST(Version, FileNameRuleOrdersAsTheFileNames) {
    EXPECT_LT(file("10"), file("1"));       // 10_b.sql < 1_a.sql
    EXPECT_LT(file("1", '.'), file("10"));  // 1.sql < 10_b.sql
    EXPECT_LT(file("1", '-'), file("10"));  // 1-x.sql < 10_b.sql
    EXPECT_LT(file("2"), file("3"));
    EXPECT_LT(file("20240101120000"), file("20240101"));  // as in their names
    EXPECT_EQ(file("1", '.'), file("1"));                 // one version
    EXPECT_NE(file("01"), file("1"));
}

// A directory that mixes layouts (an error of the set) still sorts.
TEST(Version, VersionsOfTwoRulesOrderByRuleAndAreNeverTheSame) {
    EXPECT_NE(text("1"), v("1"));
    EXPECT_LT(text("9"), v("1"));
    EXPECT_GT(v("1"), text("9"));
    EXPECT_LT(v("9"), file("1"));
    EXPECT_EQ(v("1").compare(file("0")), -1);
}

TEST(Version, RuleAndDigitsAreKept) {
    EXPECT_EQ(text("2025-01-20").rule(), version_rule::text);
    EXPECT_EQ(v("1").rule(), version_rule::number);
    EXPECT_EQ(file("1").rule(), version_rule::file_name);
}

}  // namespace
