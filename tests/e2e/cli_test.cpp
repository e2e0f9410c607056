// Command-line basics: usage errors (2), unreachable databases (3),
// DATABASE_URL, passwords kept out of the output, safe migration names.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "process.hpp"
#include "strata_cli.hpp"

namespace fs = std::filesystem;
using strata::test::process_result;
using strata::test::process_spec;
using strata::test::read_file;
using strata::test::scratch_directory;
using strata::test::write_file;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

class CliTest : public ::testing::Test {
  protected:
    scratch_directory dir{"strata-e2e-cli"};

    void SetUp() override {
        write_file(dir / "migrations/0001_users/up.sql", "CREATE TABLE users (id INTEGER);\n");
        write_file(dir / "migrations/0001_users/down.sql", "DROP TABLE users;\n");
    }

    process_result strata(const std::vector<std::string>& args,
                          std::optional<std::string> database_url = std::nullopt) const {
        return strata::test::run_strata(dir.path(), args,
                                        {{"DATABASE_URL", std::move(database_url)}});
    }

    // Every file under the scratch directory, relative to it.
    std::vector<std::string> tree() const {
        std::vector<std::string> files;
        for (const auto& entry : fs::recursive_directory_iterator(dir.path()))
            files.push_back(fs::relative(entry.path(), dir.path()).generic_string());
        std::sort(files.begin(), files.end());
        return files;
    }
};

TEST_F(CliTest, VersionExitsZero) {
    auto r = strata({"--version"});
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_THAT(r.out, HasSubstr("strata"));
}

TEST_F(CliTest, NoSubcommandIsUsageError) {
    auto r = strata({});
    EXPECT_EQ(r.exit_code, 2) << r.describe();
    EXPECT_FALSE(r.err.empty()) << r.describe();
}

TEST_F(CliTest, UnknownSubcommandIsUsageError) {
    auto r = strata({"--url", "sqlite:test.db", "migrate-everything"});
    EXPECT_EQ(r.exit_code, 2) << r.describe();
    EXPECT_FALSE(fs::exists(dir / "test.db"));
}

TEST_F(CliTest, UnknownOptionIsUsageError) {
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"--url", "sqlite:test.db", "--frobnicate", "up"},
             {"--url", "sqlite:test.db", "up", "--frobnicate"},
             {"--url", "sqlite:test.db", "status", "--jsonn"},
             {"--url", "sqlite:test.db", "down", "--steps", "1", "--all"},
             {"--url", "sqlite:test.db", "down", "--steps", "many"},
             {"new", "--layout", "flyway", "x"},
             {"new"}}) {
        auto r = strata(args);
        EXPECT_EQ(r.exit_code, 2) << ::testing::PrintToString(args) << "\n" << r.describe();
        EXPECT_FALSE(r.err.empty()) << ::testing::PrintToString(args);
    }
    EXPECT_FALSE(fs::exists(dir / "test.db")) << "a usage error touched the database";
}

TEST_F(CliTest, InvalidVersionIsUsageErrorAndLeavesNoDatabaseBehind) {
    // diesel's versions are any text (its folder names up to '_'): these read
    // as versions no migration has. In sqlx's layout they are no versions.
    write_file(dir / "sqlx/0001_users.up.sql", "CREATE TABLE users (id INTEGER);\n");
    for (const auto& [args, message] :
         std::vector<std::pair<std::vector<std::string>, std::string>>{
             {{"--url", "sqlite:test.db", "up", "--to", "not-a-version"},
              "--to not-a-version: no such migration"},
             {{"--url", "sqlite:test.db", "down", "--to", "zz"}, "--to zz: no such migration"},
             {{"--dir", "sqlx", "--url", "sqlite:test.db", "up", "--to", "zz"},
              "--to 'zz' is not a version"},
             {{"--dir", "sqlx", "--url", "sqlite:test.db", "down", "--to", "1-"},
              "--to '1-' is not a version"}}) {
        auto r = strata(args);
        EXPECT_EQ(r.exit_code, 2) << ::testing::PrintToString(args) << "\n" << r.describe();
        EXPECT_THAT(r.err, HasSubstr(message)) << r.describe();
        // Arguments are checked before anything is opened: no empty database
        // file is left where the user mistyped a command.
        EXPECT_FALSE(fs::exists(dir / "test.db")) << ::testing::PrintToString(args);
        fs::remove(dir / "test.db");
    }
}

TEST_F(CliTest, MissingUrlIsUsageError) {
    for (const char* command : {"up", "down", "status", "redo"}) {
        auto r = strata({command});
        EXPECT_EQ(r.exit_code, 2) << command << "\n" << r.describe();
        EXPECT_THAT(r.err, HasSubstr("--url")) << r.describe();
        EXPECT_THAT(r.err, HasSubstr("DATABASE_URL")) << r.describe();
    }
}

TEST_F(CliTest, DatabaseUrlFromEnvironment) {
    auto r = strata({"up"}, "sqlite:from_env.db");
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_THAT(r.out, HasSubstr("applied 0001_users"));
    ASSERT_TRUE(fs::exists(dir / "from_env.db"));
    SQLite::Database d((dir / "from_env.db").string(), SQLite::OPEN_READONLY);
    EXPECT_TRUE(d.tableExists("users"));

    auto status = strata({"status", "--exit-code"}, "sqlite:from_env.db");
    EXPECT_EQ(status.exit_code, 0) << status.describe();
}

TEST_F(CliTest, UrlOptionWinsOverEnvironment) {
    auto r = strata({"--url", "sqlite:from_option.db", "up"}, "sqlite:from_env.db");
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_TRUE(fs::exists(dir / "from_option.db"));
    EXPECT_FALSE(fs::exists(dir / "from_env.db"));
}

TEST_F(CliTest, MemoryDatabase) {
    auto r = strata({"--url", "sqlite::memory:", "up"});
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_THAT(r.out, HasSubstr("applied 0001_users"));
}

TEST_F(CliTest, MemoryDatabaseLeavesNoFiles) {
    const auto before = tree();
    for (const char* command : {"up", "status", "down"}) {
        auto r = strata({"--url", "sqlite::memory:", command});
        EXPECT_EQ(r.exit_code, 0) << command << "\n" << r.describe();
    }
    EXPECT_EQ(tree(), before) << "an in-memory database wrote files into the working directory";
}

TEST_F(CliTest, UnsupportedSchemeIsUsageError) {
    for (const char* url : {"mysql://u@localhost/db", "oracle://x", "http://example.com/db"}) {
        auto r = strata({"--url", url, "status"});
        EXPECT_EQ(r.exit_code, 2) << url << "\n" << r.describe();
        EXPECT_FALSE(r.err.empty());
    }
}

TEST_F(CliTest, DatabaseInMissingDirectoryCannotBeOpenedByUp) {
    auto r = strata({"--url", "sqlite:no/such/dir/test.db", "up"});
    EXPECT_EQ(r.exit_code, 3) << r.describe();
    EXPECT_THAT(r.err, HasSubstr("no/such/dir/test.db")) << r.describe();
    EXPECT_FALSE(fs::exists(dir / "no"));
}

TEST_F(CliTest, DatabaseInMissingDirectoryCannotBeOpenedByDown) {
    auto r = strata({"--url", "sqlite:no/such/dir/test.db", "down"});
    EXPECT_EQ(r.exit_code, 3) << r.describe();
    EXPECT_FALSE(fs::exists(dir / "no"));
}

TEST_F(CliTest, DatabaseInMissingDirectoryCannotBeOpenedByStatus) {
    // The database cannot exist there, and `up` could not create it: status
    // must say so instead of reporting everything pending.
    auto r = strata({"--url", "sqlite:no/such/dir/test.db", "status"});
    EXPECT_EQ(r.exit_code, 3) << r.describe();
    EXPECT_THAT(r.err, HasSubstr("no/such/dir/test.db")) << r.describe();
}

TEST_F(CliTest, FileThatIsNotADatabase) {
    write_file(dir / "notes.db",
               "These are my notes, not a database. SQLite checks the 16-byte header first.\n");
    const std::string before = read_file(dir / "notes.db");
    for (const char* command : {"up", "status", "down"}) {
        auto r = strata({"--url", "sqlite:notes.db", command});
        EXPECT_EQ(r.exit_code, 3) << command << "\n" << r.describe();
        EXPECT_THAT(r.err, HasSubstr("notes.db")) << r.describe();
    }
    EXPECT_EQ(read_file(dir / "notes.db"), before) << "the file was changed";
}

TEST_F(CliTest, MissingMigrationDirectoryIsUsageError) {
    for (const char* command : {"up", "status", "down"}) {
        auto r = strata({"--url", "sqlite:test.db", "--dir", "no_such_dir", command});
        EXPECT_EQ(r.exit_code, 2) << command << "\n" << r.describe();
        EXPECT_THAT(r.err, HasSubstr("no_such_dir")) << r.describe();
    }
    EXPECT_FALSE(fs::exists(dir / "test.db")) << "the database was created without migrations";
}

TEST_F(CliTest, DefaultMigrationDirectoryMissingIsUsageError) {
    fs::remove_all(dir / "migrations");
    auto r = strata({"--url", "sqlite:test.db", "up"});
    EXPECT_EQ(r.exit_code, 2) << r.describe();
    EXPECT_THAT(r.err, HasSubstr("migrations")) << r.describe();
}

TEST_F(CliTest, DirOptionWithoutValueIsUsageError) {
    auto r = strata({"--url", "sqlite:test.db", "status", "--dir"});
    EXPECT_EQ(r.exit_code, 2) << r.describe();
}

TEST_F(CliTest, PasswordNeverAppearsInOutput) {
    const std::vector<std::string> urls = {
        "postgres://u:s3cret@127.0.0.1:1/db",
        "postgresql://u:s3cret@127.0.0.1:1/db",
        "postgres://u:s3cret@127.0.0.1:1/db?sslmode=disable&connect_timeout=1",
        "postgres://:s3cret@127.0.0.1:1/db",
        "postgres://u:s3cret@:1/db",
        "postgres://u:s3cret@127.0.0.1:notaport/db",
        "postgres://u:s3cret@[::1]:1/db",
        "mysql://u:s3cret@127.0.0.1:1/db",
    };
    const std::vector<std::vector<std::string>> commands = {
        {"status"}, {"status", "--json"}, {"up"},         {"down"},
        {"redo"},   {"up", "--dry-run"},  {"frobnicate"}, {"status", "--bogus"}};
    for (const auto& url : urls) {
        for (const auto& command : commands) {
            std::vector<std::string> args = {"--url", url};
            args.insert(args.end(), command.begin(), command.end());
            auto r = strata(args);
            EXPECT_THAT(r.all_output(), Not(HasSubstr("s3cret")))
                << ::testing::PrintToString(args) << "\n"
                << r.describe();
            EXPECT_NE(r.exit_code, 0) << ::testing::PrintToString(args);
            // The same through the environment.
            auto env = strata(command, url);
            EXPECT_THAT(env.all_output(), Not(HasSubstr("s3cret")))
                << "DATABASE_URL=" << url << " " << ::testing::PrintToString(command) << "\n"
                << env.describe();
        }
    }
}

TEST_F(CliTest, PercentEncodedPasswordNeverAppearsInOutput) {
    auto r = strata({"--url", "postgres://u:s3cr%40t%2Fx@127.0.0.1:1/db", "status"});
    EXPECT_THAT(r.all_output(), Not(HasSubstr("s3cr"))) << r.describe();
    EXPECT_NE(r.exit_code, 0);
}

TEST_F(CliTest, PasswordInQueryStringNeverAppearsInOutput) {
    // libpq reads `password` from the query string as well.
    for (const char* url : {"postgres://u@127.0.0.1:1/db?password=s3cret",
                            "postgresql://127.0.0.1:1/db?user=u&password=s3cret&sslmode=disable"}) {
        auto r = strata({"--url", url, "status"});
        EXPECT_THAT(r.all_output(), Not(HasSubstr("s3cret"))) << url << "\n" << r.describe();
        EXPECT_NE(r.exit_code, 0);
    }
}

TEST_F(CliTest, NewRejectsPathsInTheName) {
    const auto before = tree();
    for (const char* name : {"a/b", "../escape", "..", "x/../../y", "/abs", "a\\b"}) {
        auto r = strata({"new", name});
        EXPECT_EQ(r.exit_code, 2) << name << "\n" << r.describe();
        EXPECT_FALSE(r.err.empty()) << name;
    }
    EXPECT_EQ(tree(), before) << "a rejected name created files";
    EXPECT_FALSE(fs::exists(dir.path().parent_path() / "escape"));
    EXPECT_FALSE(fs::exists(dir.path().parent_path() / "y"));
}

TEST_F(CliTest, NewRejectsEmptyName) {
    auto r = strata({"new", ""});
    EXPECT_EQ(r.exit_code, 2) << r.describe();
}

}  // namespace
