// Applied history against the files on disk: modified, CRLF-only changes,
// missing migrations, and what `status` and `up` make of them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "backend_test.hpp"

namespace fs = std::filesystem;
using strata::test::process_spec;
using strata::test::read_file;
using strata::test::status_line;
using strata::test::to_crlf;
using strata::test::write_file;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

class HistoryTest : public strata::test::backend_test<> {
  protected:
    HistoryTest() : backend_test("strata-e2e-history") {}

    void add(const std::string& stem, const std::string& up, const std::string& down) {
        write_file(dir / "migrations" / stem / "up.sql", up);
        write_file(dir / "migrations" / stem / "down.sql", down);
    }

    void add_three_and_apply_two() {
        add("0001_users",
            "CREATE TABLE users (id INTEGER PRIMARY KEY);\nCREATE INDEX u ON users (id);\n",
            "DROP TABLE users;\n");
        add("0002_posts", "CREATE TABLE posts (id INTEGER PRIMARY KEY);\n", "DROP TABLE posts;\n");
        auto r = db({"up"});
        ASSERT_EQ(r.exit_code, 0) << r.describe();
        add("0003_tags", "CREATE TABLE tags (id INTEGER PRIMARY KEY);\n", "DROP TABLE tags;\n");
    }

    bool has_table(const std::string& name) const { return database->has_table(name); }
    std::vector<std::string> tracked_versions() const { return database->tracked_versions(); }

    std::string checksum_of(const std::string& version) const {
        for (const auto& row : database->tracking())
            if (row.version == version)
                return row.checksum;
        return "<no row>";
    }
};

TEST_P(HistoryTest, EditedUpScriptIsModifiedAndBlocksUp) {
    add_three_and_apply_two();
    write_file(dir / "migrations/0001_users/up.sql",
               "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\n");

    auto status = db({"status"});
    EXPECT_EQ(status.exit_code, 0) << status.describe();
    EXPECT_EQ(status_line(status.out, "0001").rfind("modified", 0), 0u) << status.out;
    EXPECT_EQ(status_line(status.out, "0002").rfind("applied", 0), 0u) << status.out;
    EXPECT_EQ(status_line(status.out, "0003").rfind("pending", 0), 0u) << status.out;
    EXPECT_EQ(status_of("0001"), "modified");

    auto code = db({"status", "--exit-code"});
    EXPECT_EQ(code.exit_code, 1) << code.describe();

    auto up = db({"up"});
    EXPECT_EQ(up.exit_code, 1) << up.describe();
    EXPECT_THAT(up.err, HasSubstr("0001")) << up.describe();
    EXPECT_THAT(up.err, HasSubstr("modified")) << up.describe();
    EXPECT_THAT(up.err, HasSubstr("--allow-modified")) << up.describe();
    EXPECT_THAT(up.err, HasSubstr("restore")) << up.describe();
    EXPECT_FALSE(has_table("tags")) << "up went ahead despite the modified migration";
    EXPECT_EQ(tracked_versions(), (std::vector<std::string>{"0001", "0002"}));

    auto allowed = db({"up", "--allow-modified"});
    EXPECT_EQ(allowed.exit_code, 0) << allowed.describe();
    EXPECT_THAT(allowed.out, HasSubstr("applied 0003_tags"));
    EXPECT_THAT(allowed.out, Not(HasSubstr("applied 0001")));
    EXPECT_TRUE(has_table("tags"));
    EXPECT_EQ(tracked_versions(), (std::vector<std::string>{"0001", "0002", "0003"}));
    EXPECT_EQ(database->columns("users"), std::vector<std::string>{"id"})
        << "the modified migration was run again";
}

TEST_P(HistoryTest, StatusExitCodeAloneReportsModifiedWithNothingPending) {
    add("0001_users", "CREATE TABLE users (id INTEGER PRIMARY KEY);\n", "DROP TABLE users;\n");
    ASSERT_EQ(db({"up"}).exit_code, 0);
    ASSERT_EQ(db({"status", "--exit-code"}).exit_code, 0);
    write_file(dir / "migrations/0001_users/up.sql", "CREATE TABLE users (id INTEGER);\n");
    auto code = db({"status", "--exit-code"});
    EXPECT_EQ(code.exit_code, 1) << code.describe();
    EXPECT_THAT(code.out, HasSubstr("modified"));
}

TEST_P(HistoryTest, EditedDownScriptIsNotModified) {
    add_three_and_apply_two();
    write_file(dir / "migrations/0002_posts/down.sql", "-- changed\nDROP TABLE IF EXISTS posts;\n");
    EXPECT_EQ(status_of("0002"), "applied");
    auto up = db({"up"});
    EXPECT_EQ(up.exit_code, 0) << up.describe();
}

TEST_P(HistoryTest, CrlfConversionIsNotModified) {
    add_three_and_apply_two();
    const fs::path file = dir / "migrations/0001_users/up.sql";
    const std::string crlf = to_crlf(read_file(file));
    ASSERT_NE(crlf, read_file(file));
    write_file(file, crlf);

    EXPECT_EQ(status_of("0001"), "applied");
    auto code = db({"status", "--exit-code"});
    EXPECT_EQ(code.exit_code, 1) << "0003 is pending\n" << code.describe();
    auto up = db({"up"});
    EXPECT_EQ(up.exit_code, 0) << up.describe();
    EXPECT_TRUE(has_table("tags"));
    code = db({"status", "--exit-code"});
    EXPECT_EQ(code.exit_code, 0) << code.describe();
    EXPECT_THAT(code.out, Not(HasSubstr("modified")));
}

TEST_P(HistoryTest, CrlfFileAppliedThenConvertedToLfIsNotModified) {
    add("0001_users", to_crlf("CREATE TABLE users (id INTEGER PRIMARY KEY);\n-- done\n"),
        to_crlf("DROP TABLE users;\n"));
    ASSERT_EQ(db({"up"}).exit_code, 0);
    write_file(dir / "migrations/0001_users/up.sql",
               "CREATE TABLE users (id INTEGER PRIMARY KEY);\n-- done\n");
    EXPECT_EQ(status_of("0001"), "applied");
    auto code = db({"status", "--exit-code"});
    EXPECT_EQ(code.exit_code, 0) << code.describe();
}

TEST_P(HistoryTest, ChecksumIsSha256OfTheUpScriptWithLf) {
    const std::string lf = "CREATE TABLE users (id INTEGER PRIMARY KEY);\n\n-- a comment\n";
    add("0001_users", to_crlf(lf), "DROP TABLE users;\n");
    ASSERT_EQ(db({"up"}).exit_code, 0);

    const fs::path sha256sum = "/usr/bin/sha256sum";
    if (!fs::exists(sha256sum))
        GTEST_SKIP() << "no " << sha256sum;
    write_file(dir / "lf.sql", lf);
    process_spec spec;
    spec.argv = {sha256sum.string(), "lf.sql"};
    spec.cwd = dir.path();
    auto sum = strata::test::run_process(spec);
    ASSERT_EQ(sum.exit_code, 0) << sum.describe();
    EXPECT_EQ(checksum_of("0001"), sum.out.substr(0, 64));
}

TEST_P(HistoryTest, DeletedMigrationIsMissingAndBlocksUp) {
    add_three_and_apply_two();
    fs::remove_all(dir / "migrations/0002_posts");

    auto status = db({"status"});
    EXPECT_EQ(status.exit_code, 0) << status.describe();
    const std::string line = status_line(status.out, "0002");
    EXPECT_EQ(line.rfind("missing", 0), 0u) << status.out;
    EXPECT_THAT(line, HasSubstr("posts")) << "the name comes from the tracking table";
    const auto json = status_json();
    bool found = false;
    for (const auto& row : json) {
        if (row.at("version") != "0002")
            continue;
        found = true;
        EXPECT_EQ(row.at("status"), "missing") << json.dump(2);
        EXPECT_EQ(row.at("name"), "posts") << json.dump(2);
        EXPECT_FALSE(row.at("applied_at").is_null()) << json.dump(2);
        EXPECT_TRUE(row.at("file").is_null()) << json.dump(2);
    }
    EXPECT_TRUE(found) << json.dump(2);

    auto code = db({"status", "--exit-code"});
    EXPECT_EQ(code.exit_code, 1) << code.describe();

    auto up = db({"up"});
    EXPECT_EQ(up.exit_code, 1) << up.describe();
    EXPECT_THAT(up.err, HasSubstr("0002")) << up.describe();
    EXPECT_THAT(up.err, HasSubstr("missing")) << up.describe();
    EXPECT_THAT(up.err, HasSubstr("--ignore-missing")) << up.describe();
    EXPECT_FALSE(has_table("tags"));

    auto ignored = db({"up", "--ignore-missing"});
    EXPECT_EQ(ignored.exit_code, 0) << ignored.describe();
    EXPECT_THAT(ignored.out, HasSubstr("applied 0003_tags"));
    EXPECT_TRUE(has_table("tags"));
    EXPECT_TRUE(has_table("posts")) << "ignoring a missing migration does not revert it";
    EXPECT_EQ(tracked_versions(), (std::vector<std::string>{"0001", "0002", "0003"}));
}

TEST_P(HistoryTest, MissingLatestMigrationWithNothingPending) {
    add("0001_users", "CREATE TABLE users (id INTEGER PRIMARY KEY);\n", "DROP TABLE users;\n");
    add("0002_posts", "CREATE TABLE posts (id INTEGER PRIMARY KEY);\n", "DROP TABLE posts;\n");
    ASSERT_EQ(db({"up"}).exit_code, 0);
    fs::remove_all(dir / "migrations/0002_posts");

    EXPECT_EQ(status_of("0002"), "missing");
    auto code = db({"status", "--exit-code"});
    EXPECT_EQ(code.exit_code, 1) << code.describe();
    auto up = db({"up"});
    EXPECT_EQ(up.exit_code, 1) << up.describe();
    EXPECT_THAT(up.err, HasSubstr("--ignore-missing")) << up.describe();
    auto ignored = db({"up", "--ignore-missing"});
    EXPECT_EQ(ignored.exit_code, 0) << ignored.describe();
}

TEST_P(HistoryTest, DryRunAlsoRefusesModified) {
    add_three_and_apply_two();
    write_file(dir / "migrations/0002_posts/up.sql", "CREATE TABLE posts (id INTEGER);\n");
    auto dry = db({"up", "--dry-run"});
    EXPECT_EQ(dry.exit_code, 1) << dry.describe();
    EXPECT_THAT(dry.err, HasSubstr("--allow-modified")) << dry.describe();
    auto allowed = db({"up", "--dry-run", "--allow-modified"});
    EXPECT_EQ(allowed.exit_code, 0) << allowed.describe();
    EXPECT_THAT(allowed.out, HasSubstr("0003_tags"));
    EXPECT_FALSE(has_table("tags"));
}

TEST_P(HistoryTest, MissingMigrationCannotBeRevertedOrRedone) {
    add("0001_users", "CREATE TABLE users (id INTEGER PRIMARY KEY);\n", "DROP TABLE users;\n");
    add("0002_posts", "CREATE TABLE posts (id INTEGER PRIMARY KEY);\n", "DROP TABLE posts;\n");
    ASSERT_EQ(db({"up"}).exit_code, 0);
    fs::remove_all(dir / "migrations/0002_posts");

    for (const char* command : {"down", "redo"}) {
        auto r = db({command});
        EXPECT_EQ(r.exit_code, 1) << command << "\n" << r.describe();
        EXPECT_THAT(r.err, HasSubstr("0002")) << r.describe();
        EXPECT_TRUE(has_table("posts")) << command;
        EXPECT_TRUE(has_table("users")) << command;
        EXPECT_EQ(tracked_versions(), (std::vector<std::string>{"0001", "0002"})) << command;
    }
}

TEST_P(HistoryTest, DbmateModifiedUpSection) {
    write_file(dir / "db/0001_users.sql",
               "-- migrate:up\nCREATE TABLE users (id INTEGER);\n\n-- migrate:down\nDROP TABLE "
               "users;\n");
    ASSERT_EQ(db({"--dir", "db", "up"}).exit_code, 0);

    // CRLF only: not modified.
    write_file(dir / "db/0001_users.sql", to_crlf(read_file(dir / "db/0001_users.sql")));
    auto code = db({"--dir", "db", "status", "--exit-code"});
    EXPECT_EQ(code.exit_code, 0) << code.describe();

    write_file(
        dir / "db/0001_users.sql",
        "-- migrate:up\nCREATE TABLE users (id INTEGER, name TEXT);\n\n-- migrate:down\nDROP "
        "TABLE users;\n");
    code = db({"--dir", "db", "status", "--exit-code"});
    EXPECT_EQ(code.exit_code, 1) << code.describe();
    EXPECT_THAT(code.out, HasSubstr("modified"));
    auto up = db({"--dir", "db", "up"});
    EXPECT_EQ(up.exit_code, 1) << up.describe();
    EXPECT_THAT(up.err, HasSubstr("--allow-modified")) << up.describe();
}

INSTANTIATE_TEST_SUITE_P(Backends, HistoryTest, ::testing::ValuesIn(strata::test::all_backends),
                         strata::test::backend_name());

}  // namespace
