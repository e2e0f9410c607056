// A password in a URL appears nowhere: not in what any command prints with
// the test server's real URL, a wrong password, an unreachable port or a
// database that does not exist; not in the files the commands write; not in
// the engine's exception texts. (The CMake side, build files and CTest logs
// included, is PostgresConsumerTest in tests/cmake.)
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "postgres.hpp"
#include "process.hpp"
#include "strata/error.hpp"
#include "strata/postgres/database_url.hpp"
#include "strata_cli.hpp"
#include "tooling/open_database.hpp"

namespace fs = std::filesystem;
using strata::test::process_result;
using strata::test::write_file;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

// `url` with its password replaced by `password`.
std::string with_password(const std::string& url, const std::string& password) {
    const auto colon = url.find(':', url.find("://") + 3);
    const auto at = url.find('@');
    return url.substr(0, colon + 1) + password + url.substr(at);
}

std::string with_port(const std::string& url, const std::string& port) {
    const auto at = url.find('@');
    const auto colon = url.find(':', at);
    const auto slash = url.find('/', colon);
    return url.substr(0, colon + 1) + port + url.substr(slash);
}

class SecretsTest : public ::testing::Test {
  protected:
    const std::string server = strata::test::postgres_server_url();
    const std::string password = "strata-test";  // tests/postgres/server's
    const std::string wrong = "wr0ng-s3cret-pw";
    strata::test::postgres_test_database database{"strata_secrets"};
    strata::test::scratch_directory dir{"strata-secrets"};

    void SetUp() override {
        ASSERT_THAT(server, HasSubstr(":" + password + "@"));
        write_file(dir / "migrations/0001_users/up.sql",
                   "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n");
        write_file(dir / "migrations/0001_users/down.sql", "DROP TABLE users;\n");
        write_file(dir / "migrations/0002_broken/up.sql", "CREATE TABLE broken (id nosuchtype);\n");
        write_file(dir / "migrations/0002_broken/down.sql", "DROP TABLE broken;\n");
    }

    // Every command a user could run on `url`, and what each printed.
    std::vector<process_result> every_command(const std::string& url) const {
        const std::vector<std::vector<std::string>> commands = {
            {"status"},
            {"status", "--json"},
            {"up", "--to", "0001"},
            {"up"},  // 0002 fails on the server: its message is printed
            {"up", "--dry-run"},
            {"schema"},
            {"schema", "--format", "json"},
            {"diff"},
            {"diff", "--json"},
            {"header", "--namespace", "app::db", "--out", "out/db.hpp"},
            {"redo"},
            {"down", "--all"},
            {"baseline", "--version", "0001"},
            {"adopt", "--from", "sqlx"},
            {"check", "--backends", "postgres", "--postgres-url", url},
            {"--wait=1", "status"},
        };
        std::vector<process_result> results;
        for (const auto& command : commands) {
            std::vector<std::string> args = {"--url", url};
            args.insert(args.end(), command.begin(), command.end());
            results.push_back(strata::test::run_strata(dir.path(), args));
            results.push_back(
                strata::test::run_strata(dir.path(), command, {{"DATABASE_URL", url}}));
        }
        return results;
    }

    void expect_nowhere(const std::string& secret, const std::vector<process_result>& results) {
        for (const auto& r : results)
            EXPECT_THAT(r.all_output(), Not(HasSubstr(secret))) << r.describe();
        for (const auto& entry : fs::recursive_directory_iterator(dir.path())) {
            if (!entry.is_regular_file())
                continue;
            EXPECT_THAT(strata::test::read_file(entry.path()), Not(HasSubstr(secret)))
                << entry.path();
        }
    }
};

TEST_F(SecretsTest, RealPasswordAppearsInNoOutputAndNoFile) {
    const auto results = every_command(database.url());
    // The commands did reach the server: the failing migration's message.
    bool server_spoke = false;
    for (const auto& r : results)
        server_spoke |= r.err.find("type \"nosuchtype\" does not exist") != std::string::npos;
    EXPECT_TRUE(server_spoke);
    expect_nowhere(password, results);
}

TEST_F(SecretsTest, WrongPasswordIsRefusedWithoutShowingIt) {
    const auto results = every_command(with_password(database.url(), wrong));
    bool refused = false;
    for (const auto& r : results)
        refused |=
            r.exit_code == 3 && r.err.find("password authentication failed") != std::string::npos;
    EXPECT_TRUE(refused);
    expect_nowhere(wrong, results);
}

TEST_F(SecretsTest, UnreachablePortDoesNotShowThePassword) {
    const auto results = every_command(with_port(with_password(database.url(), wrong), "1"));
    expect_nowhere(wrong, results);
}

TEST_F(SecretsTest, MissingDatabaseDoesNotShowThePassword) {
    expect_nowhere(password, every_command(strata::test::with_database(server, "no_such_db_here")));
}

TEST_F(SecretsTest, MissingDatabaseAndWrongPasswordDoNotShowIt) {
    expect_nowhere(wrong, every_command(strata::test::with_database(with_password(server, wrong),
                                                                    "no_such_db_here")));
}

TEST_F(SecretsTest, EngineExceptionsDoNotCarryThePassword) {
    for (const std::string& url :
         {with_password(database.url(), wrong), with_port(with_password(server, wrong), "1"),
          strata::test::with_database(with_password(server, wrong), "no_such_database_here")}) {
        try {
            strata::open_database(strata::parse_database_url(url));
            ADD_FAILURE() << "opened " << url.size() << "-byte URL";
        } catch (const std::exception& e) {
            EXPECT_THAT(e.what(), Not(HasSubstr(wrong)));
            EXPECT_THAT(e.what(), Not(HasSubstr(password)));
        }
    }
}

}  // namespace
