// `strata check --roundtrip`: down scripts that run but do not restore the
// schema fail the check (exit 1), each named by its down file and line with
// the difference printed; `--json` gives the findings as an array; correct
// sets pass.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "../schema/wrong_downs.hpp"
#include "process.hpp"
#include "strata_cli.hpp"

namespace fs = std::filesystem;
namespace wd = strata::test::wrong_downs;
using strata::test::process_result;
using strata::test::process_spec;
using strata::test::scratch_directory;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

process_result strata_in(const fs::path& cwd, const std::vector<std::string>& args) {
    return strata::test::run_strata(cwd, args);
}

class CheckRoundtrip : public ::testing::TestWithParam<wd::migration_set_files> {
  protected:
    scratch_directory dir{"strata-e2e-check"};

    void SetUp() override { wd::write_set(dir / "migrations", GetParam()); }

    process_result check(std::vector<std::string> extra = {}) const {
        std::vector<std::string> args = {"--dir", "migrations", "check", "--roundtrip"};
        args.insert(args.end(), extra.begin(), extra.end());
        return strata_in(dir.path(), args);
    }
};

TEST_P(CheckRoundtrip, FailsNamingTheDownFileAndShowingTheDiff) {
    const auto r = check();
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_THAT(r.out, Not(HasSubstr("ok:"))) << r.describe();
    std::size_t position = 0;
    for (const auto& e : GetParam().expected) {
        // "<file>:<line>: error: <message>", then the changes, indented.
        std::string block =
            "migrations/" + e.file + ":" + std::to_string(e.line) + ": error: " + e.message;
        for (const auto& c : e.changes)
            block += "\n    " + c.text;
        const auto at = r.err.find(block, position);
        EXPECT_NE(at, std::string::npos) << "expected, in order:\n"
                                         << block << "\n"
                                         << r.describe();
        if (at != std::string::npos)
            position = at + block.size();
        // The message names the migration.
        EXPECT_THAT(r.err, HasSubstr(e.file.substr(0, e.file.find('.'))));
    }
}

TEST_P(CheckRoundtrip, JsonListsEveryFinding) {
    const auto r = check({"--json"});
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    nlohmann::json findings;
    ASSERT_NO_THROW(findings = nlohmann::json::parse(r.out)) << r.describe();
    ASSERT_TRUE(findings.is_array()) << r.out;
    // Notes (an ignored file, ...) may come along; the errors are exactly these.
    std::vector<nlohmann::json> errors;
    for (const auto& f : findings)
        if (f.value("severity", "error") == "error")
            errors.push_back(f);
    const auto& expected = GetParam().expected;
    ASSERT_EQ(errors.size(), expected.size()) << findings.dump(2);
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const auto& f = errors[i];
        const auto& e = expected[i];
        SCOPED_TRACE(f.dump(2));
        EXPECT_EQ(f.at("kind"), e.kind);
        EXPECT_EQ(f.at("version"), e.version);
        EXPECT_EQ(f.at("file"), "migrations/" + e.file);
        EXPECT_EQ(f.at("line"), e.line);
        EXPECT_THAT(f.at("message").get<std::string>(), ::testing::StartsWith(e.message));
        if (!e.changes.empty()) {
            ASSERT_EQ(f.at("changes").size(), e.changes.size());
            for (std::size_t k = 0; k < e.changes.size(); ++k) {
                EXPECT_EQ(f.at("changes").at(k).at("object_kind"), e.changes[k].object_kind);
                EXPECT_EQ(f.at("changes").at(k).at("object"), e.changes[k].object);
                EXPECT_EQ(f.at("changes").at(k).at("attribute"), e.changes[k].attribute);
            }
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Sets, CheckRoundtrip,
                         ::testing::Values(wd::forgets_index(), wd::other_default(),
                                           wd::other_type(), wd::loses_foreign_key(),
                                           wd::loses_trigger(), wd::drops_wrong_table(),
                                           wd::comment_only_down(), wd::failing_down(),
                                           wd::leaves_seed_data(), wd::several_wrong()),
                         [](const auto& param_info) { return param_info.param.name; });

TEST(Check, ReferenceMigrationsPassTheRoundtrip) {
    scratch_directory dir("strata-e2e-check");
    // The repository's reference set, next to tests/ (not found through
    // __FILE__, which a compiler cache may make relative).
    const std::string migrations = REFERENCE_MIGRATIONS;
    const auto r = strata_in(dir.path(), {"--dir", migrations, "check", "--roundtrip"});
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_THAT(r.out, HasSubstr("ok: 5 migration(s) in " + migrations + " pass every check"));
    EXPECT_THAT(r.err, Not(HasSubstr("error")));

    const auto json =
        strata_in(dir.path(), {"--dir", migrations, "check", "--roundtrip", "--json"});
    EXPECT_EQ(json.exit_code, 0) << json.describe();
    const auto findings = nlohmann::json::parse(json.out);
    ASSERT_TRUE(findings.is_array());
    for (const auto& f : findings)
        EXPECT_NE(f.at("severity"), "error") << f.dump();
}

TEST(Check, CorrectSetPassesTheRoundtrip) {
    scratch_directory dir("strata-e2e-check");
    wd::write_set(dir / "migrations", wd::correct_set());
    const auto r = strata_in(dir.path(), {"--dir", "migrations", "check", "--roundtrip"});
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_EQ(r.out, "ok: 7 migration(s) in migrations pass every check\n");
    EXPECT_EQ(r.err, "");
    const auto json =
        strata_in(dir.path(), {"--dir", "migrations", "check", "--roundtrip", "--json"});
    EXPECT_EQ(json.exit_code, 0) << json.describe();
    EXPECT_EQ(nlohmann::json::parse(json.out), nlohmann::json::array());
}

// Without --roundtrip a down script is not run: the wrong default goes unnoticed.
TEST(Check, RoundtripOnlyWhenAsked) {
    scratch_directory dir("strata-e2e-check");
    wd::write_set(dir / "migrations", wd::other_default());
    const auto r = strata_in(dir.path(), {"--dir", "migrations", "check"});
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_EQ(r.out, "ok: 2 migration(s) in migrations pass every check\n");
}

// A missing down is reported whether or not --roundtrip is given.
TEST(Check, CommentOnlyDownIsAMissingDown) {
    scratch_directory dir("strata-e2e-check");
    wd::write_set(dir / "migrations", wd::comment_only_down());
    const auto r = strata_in(dir.path(), {"--dir", "migrations", "check"});
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_THAT(r.err, HasSubstr("migrations/0002_nickname.down.sql:1: error: down script holds no "
                                 "SQL statement"));
}

}  // namespace
