// The CLI's words for the engine's terms: each remedy becomes the flag that
// gets past the error, each kind of error its exit code (docs/cli.md).
#include <gtest/gtest.h>

#include "output.hpp"
#include "strata/error.hpp"

namespace {

using strata::remedy;
using strata::cli::with_way_out;

TEST(CliWording, EachRemedyNamesItsFlag) {
    EXPECT_EQ(with_way_out("x", remedy::none), "x");
    EXPECT_EQ(with_way_out("x", remedy::allow_modified),
              "x, or pass --allow-modified to proceed anyway");
    EXPECT_EQ(with_way_out("x", remedy::ignore_missing),
              "x, or pass --ignore-missing to proceed anyway");
    EXPECT_EQ(with_way_out("x", remedy::resume), "x; `strata up --resume` resumes it");
    EXPECT_EQ(with_way_out("x", remedy::lock_timeout),
              "x; pass a longer --lock-timeout (seconds) to wait longer");
    EXPECT_EQ(with_way_out("x", remedy::postgres_server),
              "x; or pass --postgres-url (or set STRATA_POSTGRES_URL)");
    EXPECT_EQ(with_way_out("x", remedy::sequential),
              "x; pass --sequential to number the new migration instead");
}

TEST(CliWording, ExitCodesOfTheKinds) {
    EXPECT_EQ(strata::cli::exit_code(strata::error_kind::check), 1);
    EXPECT_EQ(strata::cli::exit_code(strata::error_kind::usage), 2);
    EXPECT_EQ(strata::cli::exit_code(strata::error_kind::connection), 3);
}

}  // namespace
