// The distinct C++ names of one scope of the generated header.
#include "tooling/codegen/internal/identifier_scope.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

// Found by the fuzz target tests/fuzz/fuzz_identifiers.cpp (input kept in
// tests/fuzz/corpus/fuzz_identifiers/): a keyword's identifier ends in '_',
// and a second one in the scope was `int__2`, a reserved identifier.
TEST(IdentifierScope, KeywordTakenTwiceGetsNoDoubleUnderscore) {
    strata::detail::identifier_scope scope({"row"});
    EXPECT_EQ(scope.add("int"), "int_");
    EXPECT_EQ(scope.add("int"), "int_2");
    EXPECT_EQ(scope.add("int_2"), "int_2_2");
    EXPECT_EQ(scope.add("row"), "row_2");
    EXPECT_EQ(scope.add("int"), "int_3");
}

}  // namespace
