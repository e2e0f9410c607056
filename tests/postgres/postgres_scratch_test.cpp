// Scratch databases on PostgreSQL: created per check and dropped afterwards,
// when the check passes, fails, or is interrupted; the throwaway local server
// when none is configured; connecting (--wait, passwords from libpq's
// sources, no password in any output); the portability check.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "postgres.hpp"
#include "postgres_cli.hpp"
#include "strata_cli.hpp"

namespace fs = std::filesystem;
using namespace strata::test;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

class PostgresScratch : public ::testing::Test {
  protected:
    scratch_directory dir{"strata-pg-scratch"};
    const std::string server = postgres_server_url();

    void write_migration(const std::string& id, const std::string& up, const std::string& down) {
        write_file(dir / "migrations" / (id + ".up.sql"), up);
        write_file(dir / "migrations" / (id + ".down.sql"), down);
    }

    std::vector<std::string> check_args(std::vector<std::string> extra = {}) const {
        std::vector<std::string> args = {"--backends", "postgres", "--postgres-url", server,
                                         "check"};
        args.insert(args.end(), extra.begin(), extra.end());
        return args;
    }

    // `strata check` on both backends: the portability check.
    process_result check_on_both() const {
        return run_strata(dir.path(),
                          {"--backends", "sqlite,postgres", "--postgres-url", server, "check"});
    }

    // Runs strata and returns its result and pid.
    std::pair<process_result, int> run_with_pid(const process_spec& spec) {
        auto running = start_processes({spec});
        const int pid = running[0].pid();
        return {running[0].wait(), pid};
    }
};

TEST_F(PostgresScratch, PassingAndFailingChecksDropTheirDatabases) {
    write_migration("0001_users", "CREATE TABLE users (id bigint PRIMARY KEY, email text);\n",
                    "DROP TABLE users;\n");
    auto [passed, pid] = run_with_pid(strata_spec(dir.path(), check_args({"--roundtrip"})));
    EXPECT_EQ(passed.exit_code, 0) << passed.describe();
    EXPECT_THAT(passed.out, HasSubstr("ok: 1 migration(s)"));
    EXPECT_EQ(scratch_databases_of(pid), "");

    write_migration("0002_broken", "CREATE TABLE posts (id bigint PRIMARY KEY);\nSELECT nope;\n",
                    "DROP TABLE posts;\n");
    auto [failed, failed_pid] = run_with_pid(strata_spec(dir.path(), check_args()));
    EXPECT_EQ(failed.exit_code, 1) << failed.describe();
    EXPECT_THAT(failed.err,
                HasSubstr("migrations/0002_broken.up.sql:2: error: migration 0002_broken failed, "
                          "rolled back: column \"nope\" does not exist (SQLSTATE 42703)"));
    EXPECT_EQ(scratch_databases_of(failed_pid), "");
}

TEST_F(PostgresScratch, InterruptedCheckDropsItsDatabase) {
    write_migration("0001_slow", "CREATE TABLE t (id int);\nSELECT pg_sleep(30);\n",
                    "DROP TABLE t;\n");
    auto running = start_processes({strata_spec(dir.path(), check_args())});
    const int pid = running[0].pid();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (scratch_databases_of(pid).empty() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    ASSERT_NE(scratch_databases_of(pid), "") << "the check never created its scratch database";
    ::kill(pid, SIGINT);
    const auto r = running[0].wait();
    EXPECT_EQ(r.signal, SIGINT) << r.describe();
    EXPECT_EQ(scratch_databases_of(pid), "");
}

TEST_F(PostgresScratch, ThrowawayLocalServerWhenNoneIsConfigured) {
    write_migration("0001_users",
                    "CREATE TYPE mood AS ENUM ('ok', 'meh');\n"
                    "CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
                    "m mood);\n",
                    "DROP TABLE users;\nDROP TYPE mood;\n");
    const auto r = run_strata(dir.path(), {"--backends", "postgres", "check", "--roundtrip"},
                              {{"XDG_CACHE_HOME", (dir / "cache").string()}});
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_THAT(r.out, HasSubstr("ok: 1 migration(s)"));
    // Stopped afterwards: a running server keeps postmaster.pid in its data directory.
    const fs::path cache =
        ::geteuid() == 0 ? fs::path("/var/lib/strata") : dir / "cache" / "strata";
    int clusters = 0;
    for (const auto& entry : fs::directory_iterator(cache)) {
        if (!fs::is_directory(entry.path() / "data"))
            continue;
        ++clusters;
        EXPECT_FALSE(fs::exists(entry.path() / "data" / "postmaster.pid")) << entry.path();
    }
    EXPECT_GE(clusters, 1);
    const auto schema = run_strata(dir.path(), {"--backends", "postgres", "schema"},
                                   {{"XDG_CACHE_HOME", (dir / "cache").string()}});
    EXPECT_EQ(schema.exit_code, 0) << schema.describe();
    EXPECT_THAT(schema.out, HasSubstr("CREATE TYPE mood AS ENUM ('ok', 'meh')"));
}

TEST_F(PostgresScratch, PortabilityNamesFailingStatementsAndTypeClasses) {
    write_migration("0001_events",
                    "CREATE TABLE events (id integer PRIMARY KEY, happened DATETIME, done "
                    "BOOLEAN, note TEXT);\n",
                    "DROP TABLE events;\n");
    auto r = check_on_both();
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    // DATETIME is no PostgreSQL type: the statement fails there, and only there.
    EXPECT_THAT(r.err, HasSubstr("migrations/0001_events.up.sql:1: error: on postgres: "
                                 "statement of migration 0001_events fails: type \"datetime\" "
                                 "does not exist (SQLSTATE 42704)"));
    EXPECT_THAT(r.err, Not(HasSubstr("on sqlite")));

    // Every statement that fails is named, not only the first.
    write_migration("0001_events",
                    "CREATE TABLE events (id integer PRIMARY KEY, note TEXT);\n"
                    "INSERT OR IGNORE INTO events VALUES (1, 'a');\n"
                    "CREATE INDEX events_note ON events (note);\n",
                    "DROP TABLE events;\n");
    write_migration("0002_more",
                    "ALTER TABLE events ADD COLUMN at TEXT DEFAULT (datetime('now'));\n"
                    "ALTER TABLE events ADD COLUMN n INTEGER;\n",
                    "ALTER TABLE events DROP COLUMN n;\nALTER TABLE events DROP COLUMN at;\n");
    r = check_on_both();
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_THAT(r.err, HasSubstr("migrations/0001_events.up.sql:2: error: on postgres: "
                                 "statement of migration 0001_events fails: syntax error at or "
                                 "near \"OR\""));
    EXPECT_THAT(r.err, HasSubstr("migrations/0002_more.up.sql:1: error: on postgres: statement "
                                 "of migration 0002_more fails: function datetime(unknown) does "
                                 "not exist"));
    EXPECT_THAT(r.err, Not(HasSubstr("0001_events.up.sql:3")));
    EXPECT_THAT(r.err, Not(HasSubstr("0002_more.up.sql:2")));
    std::filesystem::remove(dir / "migrations" / "0002_more.up.sql");
    std::filesystem::remove(dir / "migrations" / "0002_more.down.sql");

    write_migration("0001_events",
                    "CREATE TABLE events (id integer PRIMARY KEY, happened TIMESTAMP, done "
                    "BOOLEAN, note TEXT, flag SMALLINT, score REAL);\n",
                    "DROP TABLE events;\n");
    r = check_on_both();
    EXPECT_EQ(r.exit_code, 0) << r.describe();

    write_migration("0001_events", "CREATE TABLE events (id integer PRIMARY KEY, payload BLOB);\n",
                    "DROP TABLE events;\n");
    r = check_on_both();
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_THAT(r.err, HasSubstr("on postgres: statement of migration 0001_events fails"));
    EXPECT_THAT(r.err, HasSubstr("type \"blob\" does not exist"));

    write_migration("0001_events",
                    "CREATE TABLE events (id integer PRIMARY KEY, created VARCHAR(30));\n"
                    "ALTER TABLE events ADD COLUMN amount NUMERIC;\n",
                    "DROP TABLE events;\n");
    r = check_on_both();
    EXPECT_EQ(r.exit_code, 0) << r.describe();

    // Type names both accept, holding different kinds of values.
    write_migration("0001_events",
                    "CREATE TABLE events (id SERIAL PRIMARY KEY, token UUID, note TEXT);\n",
                    "DROP TABLE events;\n");
    r = check_on_both();
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_THAT(r.err, HasSubstr("error: table events: column id: real on sqlite (SERIAL) but "
                                 "integer on postgres (integer)"));
    EXPECT_THAT(r.err, HasSubstr("error: table events: column token: real on sqlite (UUID) but "
                                 "text on postgres (uuid)"));
    EXPECT_THAT(r.err, Not(HasSubstr("column note")));

    write_migration("0001_events",
                    "CREATE TABLE events (id integer PRIMARY KEY, at TEXT, on_time INTEGER);\n",
                    "DROP TABLE events;\n");
    write_migration("0002_retype", "ALTER TABLE events ADD COLUMN seen timestamp;\n",
                    "ALTER TABLE events DROP COLUMN seen;\n");
    r = check_on_both();
    EXPECT_EQ(r.exit_code, 0) << r.describe();
}

int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    socklen_t length = sizeof address;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    ::close(fd);
    return ntohs(address.sin_port);
}

TEST(PostgresConnect, WaitRetriesUntilTheServerHasStarted) {
    scratch_directory dir("strata-pg-wait");
    write_file(dir / "migrations" / "0001_t.up.sql", "CREATE TABLE t (id int);\n");
    write_file(dir / "migrations" / "0001_t.down.sql", "DROP TABLE t;\n");
    const std::string port = std::to_string(free_port());
    const std::string url = "postgres://postgres:strata-test@127.0.0.1:" + port + "/postgres";

    auto refused = run_strata(dir.path(), {"--url", url, "status"});
    EXPECT_EQ(refused.exit_code, 3) << refused.describe();
    EXPECT_THAT(refused.err, HasSubstr("Connection refused"));
    EXPECT_THAT(refused.err, Not(HasSubstr("strata-test")));

    process_spec starter;
    starter.argv = {"/bin/sh", "-c", "sleep 2; exec \"$0\" start \"$1\"",
                    STRATA_POSTGRES_SERVER_SCRIPT, (dir / "server").string()};
    starter.env = {{"STRATA_TEST_POSTGRES_PORT", port}, {"STRATA_TEST_POSTGRES_URL", ""}};
    auto started =
        start_processes({starter, strata_spec(dir.path(), {"--url", url, "--wait=90", "up"})});
    const auto server = started[0].wait();
    const auto up = started[1].wait();
    process_spec stopper;
    stopper.argv = {STRATA_POSTGRES_SERVER_SCRIPT, "stop", (dir / "server").string()};
    run_process(stopper);
    ASSERT_EQ(server.exit_code, 0) << server.describe();
    EXPECT_EQ(up.exit_code, 0) << up.describe();
    EXPECT_THAT(up.out, HasSubstr("applied 0001_t"));
}

class PostgresPasswords : public ::testing::Test {
  protected:
    scratch_directory dir{"strata-pg-password"};
    postgres_test_database db{"password"};

    // The database's URL without its password.
    std::string url_without_password() const {
        std::string url = db.url();
        const auto colon = url.find(':', url.find("://") + 3);
        const auto at = url.find('@');
        return url.erase(colon, at - colon);
    }

    void SetUp() override {
        write_file(dir / "migrations" / "0001_t.up.sql", "CREATE TABLE t (id int);\n");
        write_file(dir / "migrations" / "0001_t.down.sql", "DROP TABLE t;\n");
        ASSERT_THAT(db.url(), HasSubstr(":strata-test@"));
    }
};

TEST_F(PostgresPasswords, FromPgpasswordAndPgpassfile) {
    const std::string url = url_without_password();
    auto r = run_strata(dir.path(), {"--url", url, "up"}, {{"PGPASSWORD", "strata-test"}});
    EXPECT_EQ(r.exit_code, 0) << r.describe();

    write_file(dir / "pgpass", "*:*:*:postgres:strata-test\n");
    fs::permissions(dir / "pgpass", fs::perms::owner_read | fs::perms::owner_write);
    r = run_strata(dir.path(), {"--url", url, "status", "--exit-code"},
                   {{"PGPASSFILE", (dir / "pgpass").string()}});
    EXPECT_EQ(r.exit_code, 0) << r.describe();

    r = run_strata(dir.path(), {"--url", url, "status"});
    EXPECT_EQ(r.exit_code, 3) << r.describe();
    EXPECT_THAT(r.err, HasSubstr("cannot connect to"));
}

TEST_F(PostgresPasswords, WrongPasswordIsAConnectionErrorThatShowsNoPassword) {
    std::string url = db.url();
    url.replace(url.find(":strata-test@"), 13, ":Sekr3t-pw@");
    for (const std::string command : {"status", "up", "schema"}) {
        const auto r = run_strata(dir.path(), {"--url", url, command});
        EXPECT_EQ(r.exit_code, 3) << r.describe();
        EXPECT_THAT(r.err, HasSubstr("password authentication failed"));
        EXPECT_THAT(r.all_output(), Not(HasSubstr("Sekr3t"))) << command;
    }
    const auto r = run_strata(dir.path(), {"--url", url + "?bogus_parameter=1", "status"});
    EXPECT_EQ(r.exit_code, 2) << r.describe();
    EXPECT_THAT(r.all_output(), Not(HasSubstr("Sekr3t")));
}

// --schema: migrations, the tracking table and introspection in one schema,
// as if the URL set search_path; the default schema stays untouched.
TEST(PostgresSchemaOption, MigratesAndDescribesTheNamedSchema) {
    scratch_directory dir("strata-pg-schema");
    postgres_test_database db("schema_option");
    write_file(dir / "migrations" / "0001_invoices.up.sql",
               "CREATE TABLE invoices (id bigint PRIMARY KEY, total numeric(10, 2));\n");
    write_file(dir / "migrations" / "0001_invoices.down.sql", "DROP TABLE invoices;\n");
    const auto up = run_strata(dir.path(), {"--url", db.url(), "--schema", "billing", "up"});
    ASSERT_EQ(up.exit_code, 0) << up.describe();
    EXPECT_EQ(db.query_value("SELECT string_agg(schemaname || '.' || tablename, ' ' ORDER BY "
                             "tablename) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', "
                             "'information_schema')"),
              "billing._strata_migrations billing.invoices");

    const auto billing =
        run_strata(dir.path(), {"--url", db.url(), "--schema", "billing", "schema"});
    EXPECT_EQ(billing.exit_code, 0) << billing.describe();
    EXPECT_THAT(billing.out, HasSubstr("CREATE TABLE invoices"));
    EXPECT_THAT(billing.out, Not(HasSubstr("billing.")));
    const auto status =
        run_strata(dir.path(), {"--url", db.url(), "--schema", "billing", "status", "--exit-code"});
    EXPECT_EQ(status.exit_code, 0) << status.describe();

    const auto current = run_strata(dir.path(), {"--url", db.url(), "schema"});
    EXPECT_EQ(current.exit_code, 0) << current.describe();
    EXPECT_THAT(current.out, Not(HasSubstr("invoices")));
    const auto pending = run_strata(dir.path(), {"--url", db.url(), "status", "--exit-code"});
    EXPECT_EQ(pending.exit_code, 1) << pending.describe();
}

}  // namespace
