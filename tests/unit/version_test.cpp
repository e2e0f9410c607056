#include "strata/version.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace {

strata::version v(const char* text) {
    auto parsed = strata::version::parse(text);
    if (!parsed)
        throw std::invalid_argument(std::string("test version does not parse: ") + text);
    return *parsed;
}

TEST(Version, ParsesPlainDigits) {
    auto parsed = strata::version::parse("20250120120000");
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(parsed->str(), "20250120120000");
}

TEST(Version, DieselDashedStyleDropsDashes) {
    auto parsed = strata::version::parse("2025-01-20-120000");
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(parsed->str(), "20250120120000");
}

TEST(Version, KeepsLeadingZerosInText) {
    EXPECT_EQ(v("00000000000000").str(), "00000000000000");
    EXPECT_EQ(v("0001").str(), "0001");
}

TEST(Version, RejectsMalformedText) {
    for (const char* bad :
         {"", "-", "-1", "1-", "1--2", "12abc", "a1", "1 2", "1_2", "1.2", "+1", "２"}) {
        EXPECT_FALSE(strata::version::parse(bad).has_value()) << "'" << bad << "'";
    }
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
    std::vector<strata::version> versions;
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

}  // namespace
