// Crash safety: `strata up` on 1,000 migrations killed with SIGKILL at random
// moments, and on PostgreSQL a server restart under it. After every
// interruption the tracking table and the database agree (no migration
// recorded without its effects, no effects without the record), and resuming
// ends where a clean run ends. Label `long`; STRATA_CRASH_KILLS sets how many
// kills (default 100).
#include <signal.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <chrono>
#include <cstdlib>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "backend_test.hpp"
#include "postgres.hpp"

using strata::test::backend;
using strata::test::process_result;
using strata::test::write_file;
using ::testing::HasSubstr;

namespace {

using clock_type = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr int migration_count = 1000;
// Every 25th migration runs outside a transaction, the kind that can stop
// part way; its statements are written to be safe to run twice, as such a
// migration's must be (PostgreSQL may finish the statement a killed client
// sent).
constexpr int no_transaction_every = 25;

int kills_wanted() {
    const char* text = std::getenv("STRATA_CRASH_KILLS");
    return text && *text ? std::atoi(text) : 100;
}

std::string version_of(int i) {
    return fmt::format("{:04}", i);
}

bool runs_outside_transaction(int i) {
    return i % no_transaction_every == 0;
}

// 0001 creates `log`; each later migration creates t<i>, puts a row in it and
// logs its number: three effects the checks can see one by one.
void write_migrations(const std::filesystem::path& dir, backend b) {
    write_file(dir / "0001_log/up.sql", "CREATE TABLE log (i INTEGER PRIMARY KEY);\n");
    write_file(dir / "0001_log/down.sql", "DROP TABLE log;\n");
    for (int i = 2; i <= migration_count; ++i) {
        const auto folder = dir / (version_of(i) + "_step");
        const std::string t = "t" + std::to_string(i);
        if (runs_outside_transaction(i)) {
            write_file(
                folder / "up.sql",
                fmt::format("-- strata:no-transaction\n"
                            "CREATE TABLE IF NOT EXISTS {0} (id INTEGER PRIMARY KEY, v TEXT);\n"
                            "INSERT INTO {0} (id, v) SELECT 1, 'x' WHERE NOT EXISTS "
                            "(SELECT 1 FROM {0});\n"
                            "INSERT INTO log (i) SELECT {1} WHERE NOT EXISTS "
                            "(SELECT 1 FROM log WHERE i = {1});\n"
                            "CREATE INDEX {2}IF NOT EXISTS {0}_v ON {0} (v);\n",
                            t, i, b == backend::postgres ? "CONCURRENTLY " : ""));
        } else {
            write_file(folder / "up.sql",
                       fmt::format("CREATE TABLE {0} (id INTEGER PRIMARY KEY, v TEXT);\n"
                                   "INSERT INTO {0} (id, v) VALUES (1, 'x');\n"
                                   "INSERT INTO log (i) VALUES ({1});\n",
                                   t, i));
        }
        write_file(folder / "down.sql", fmt::format("DELETE FROM log WHERE i = {1};\n"
                                                    "DROP TABLE {0};\n",
                                                    t, i));
    }
}

class CrashTest : public strata::test::backend_test<> {
  protected:
    CrashTest() : backend_test("strata-crash") {}

    void SetUp() override { write_migrations(dir / "migrations", GetParam()); }

    // The same migrations on another database of the backend.
    std::unique_ptr<strata::test::test_database> another_database(const std::string& file) const {
        return strata::test::make_test_database(GetParam(), dir.path(), file);
    }

    // SQLite without fsync: a killed process loses nothing the kernel holds,
    // and the journal works the same; fsync only slows the test down.
    static std::string url_of(const strata::test::test_database& on) {
        return on.kind() == backend::sqlite ? on.url() + "?synchronous=off" : on.url();
    }

    process_result strata_on(const strata::test::test_database& on,
                             const std::vector<std::string>& args) const {
        std::vector<std::string> all = {"--url", url_of(on)};
        all.insert(all.end(), args.begin(), args.end());
        return strata::test::run_strata(dir.path(), all);
    }

    // A server finishes what a killed client sent before it notices; the
    // checks look at the database once nothing of strata's is left on it.
    static void wait_until_alone(const strata::test::test_database& on) {
        if (on.kind() != backend::postgres)
            return;
        const auto deadline = clock_type::now() + std::chrono::seconds(30);
        while (on.column("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                         "current_database() AND pid <> pg_backend_pid() AND backend_type = "
                         "'client backend'") != std::vector<std::string>{"0"}) {
            ASSERT_LT(clock_type::now(), deadline) << "strata's session outlived it";
            std::this_thread::sleep_for(milliseconds(10));
        }
    }

    // The tracking table and the database agree: every applied migration's
    // three effects are there, no pending one's are, and a partial one has
    // those of its finished statements and none past the one it stopped in.
    // Returns how many migrations are applied.
    int expect_consistent(const strata::test::test_database& on) const {
        auto r = strata_on(on, {"status", "--json"});
        EXPECT_EQ(r.exit_code, 0) << r.describe();
        if (r.exit_code != 0)
            return 0;
        const auto rows = nlohmann::json::parse(r.out);
        // Killed before it created the file, strata left nothing to read.
        const auto table_list = on.exists() ? on.tables() : std::vector<std::string>{};
        const std::set<std::string> tables(table_list.begin(), table_list.end());
        std::set<int> logged;
        if (tables.count("log"))
            for (const auto& i : on.column("SELECT i FROM log"))
                logged.insert(std::stoi(i));
        // Each table's row count, 400 tables a query (SQLite allows 500
        // terms in a compound SELECT).
        std::map<int, int> rows_in;
        std::vector<std::string> counted;
        for (const auto& table : table_list)
            if (table.size() > 1 && table[0] == 't')
                counted.push_back(table);
        for (std::size_t from = 0; from < counted.size(); from += 400) {
            std::string sql;
            for (std::size_t k = from; k < from + 400 && k < counted.size(); ++k)
                sql +=
                    fmt::format("{}SELECT {}, count(*) FROM {}", sql.empty() ? "" : " UNION ALL ",
                                counted[k].substr(1), counted[k]);
            for (const auto& row : on.query(sql))
                rows_in[std::stoi(row.at(0))] = std::stoi(row.at(1));
        }
        int applied = 0;
        bool past_frontier = false;
        for (const auto& row : rows) {
            const int i = std::stoi(row.at("version").get<std::string>());
            const std::string status = row.at("status");
            const std::string t = "t" + std::to_string(i);
            // effects: 1 table, 2 its row, 3 the log entry
            int effects = 0;
            if (i == 1) {
                effects = tables.count("log") ? 3 : 0;
            } else if (tables.count(t)) {
                effects = rows_in[i] == 1 ? (logged.count(i) ? 3 : 2) : 1;
            }
            EXPECT_TRUE(status == "applied" || status == "pending" || status == "partial")
                << "migration " << i << ": " << status;
            if (status == "applied") {
                EXPECT_FALSE(past_frontier) << "migration " << i << " applied after a gap";
                EXPECT_EQ(effects, 3) << "migration " << i << " recorded without its effects";
                ++applied;
            } else if (status == "pending") {
                past_frontier = true;
                EXPECT_EQ(effects, 0) << "migration " << i << " has effects but no record";
            } else {
                EXPECT_FALSE(past_frontier) << "migration " << i << " partial after a gap";
                past_frontier = true;
                EXPECT_TRUE(runs_outside_transaction(i)) << "migration " << i;
                const int done = row.at("statements_done");
                // SQLite commits each statement with its progress; a server may
                // finish the statement in flight.
                const int at_most = std::min(3, on.kind() == backend::sqlite ? done : done + 1);
                EXPECT_GE(effects, std::min(done, 3)) << "migration " << i << " lost a statement";
                EXPECT_LE(effects, at_most) << "migration " << i << " ran past its record";
            }
            if (i > 1 && status != "applied" && logged.count(i) && status != "partial")
                ADD_FAILURE() << "migration " << i << " logged but " << status;
        }
        return applied;
    }

    // What a finished run leaves: the canonical schema, the log, every table's
    // row, and the tracking table's versions and states.
    std::string outcome(const strata::test::test_database& on) const {
        auto schema = strata_on(on, {"schema"});
        EXPECT_EQ(schema.exit_code, 0) << schema.describe();
        std::string text = schema.out;
        for (const auto& i : on.column("SELECT i FROM log ORDER BY i"))
            text += i + ",";
        // 400 tables a query: SQLite allows 500 terms in a compound SELECT.
        for (int from = 2; from <= migration_count; from += 400) {
            std::string counts;
            for (int i = from; i < from + 400 && i <= migration_count; ++i)
                counts += fmt::format("{}SELECT count(*) AS c FROM t{}",
                                      counts.empty() ? "" : " UNION ALL ", i);
            text += "\nrows " + on.column("SELECT sum(c) FROM (" + counts + ") AS counts").at(0);
        }
        auto status = strata_on(on, {"status", "--json"});
        for (const auto& row : nlohmann::json::parse(status.out))
            text += "\n" + row.at("version").get<std::string>() + " " +
                    row.at("status").get<std::string>();
        return text;
    }
};

TEST_P(CrashTest, SigkillAtRandomMomentsLeavesAConsistentResumableDatabase) {
    // A clean run: what the interrupted ones must end with, and how long a run
    // and a start with nothing to do take.
    auto clean = another_database("clean.db");
    auto start = clock_type::now();
    auto r = strata_on(*clean, {"up"});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    const auto run_time = std::chrono::duration_cast<milliseconds>(clock_type::now() - start);
    start = clock_type::now();
    r = strata_on(*clean, {"up"});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    const auto idle_time = std::chrono::duration_cast<milliseconds>(clock_type::now() - start);
    const std::string expected = outcome(*clean);

    // Kills land between the middle of the start and a fiftieth of a run
    // after it, so that about a hundred of them walk through the whole set.
    std::mt19937 random(20261123);
    std::uniform_int_distribution<long> delay_ms(idle_time.count() / 2,
                                                 idle_time.count() + run_time.count() / 50);
    const int kills = kills_wanted();
    int killed = 0;
    int partial_seen = 0;
    int finished_runs = 0;
    std::vector<int> reached;  // migrations applied at each kill
    while (killed < kills) {
        std::vector<std::string> argv = {STRATA_EXE, "--url", url_of(*database), "up", "--resume"};
        strata::test::process_spec spec;
        spec.argv = argv;
        spec.cwd = dir.path();
        auto running = strata::test::start_processes({spec});
        std::this_thread::sleep_for(milliseconds(delay_ms(random)));
        ::kill(running[0].pid(), SIGKILL);
        const auto result = running[0].wait();
        if (result.signal != SIGKILL) {
            // It finished first: start over on a fresh database.
            ASSERT_EQ(result.exit_code, 0) << result.describe();
            ++finished_runs;
            ASSERT_EQ(expect_consistent(*database), migration_count);
            database = another_database("run" + std::to_string(finished_runs) + ".db");
            continue;
        }
        ++killed;
        wait_until_alone(*database);
        reached.push_back(expect_consistent(*database));
        if (HasFailure())
            FAIL() << "after kill " << killed << ":\n" << strata_on(*database, {"status"}).out;
        auto status = strata_on(*database, {"status"});
        if (status.out.find("partial") != std::string::npos) {
            ++partial_seen;
            // A plain `up` names where it stopped and changes nothing.
            const std::string before = database->dump();
            auto plain = strata_on(*database, {"up"});
            EXPECT_EQ(plain.exit_code, 1) << plain.describe();
            EXPECT_THAT(plain.err, HasSubstr("--resume"));
            // The statement's line, or the file when every statement finished.
            EXPECT_THAT(plain.err, ::testing::ContainsRegex("/up\\.sql(:[0-9]+|\\))"));
            EXPECT_EQ(database->dump(), before);
        }
    }
    r = strata_on(*database, {"up", "--resume"});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_EQ(expect_consistent(*database), migration_count);
    EXPECT_EQ(outcome(*database), expected);
    RecordProperty("kills", killed);
    RecordProperty("partial_seen", partial_seen);
    RecordProperty("finished_runs", finished_runs);
    std::cout << "kills " << killed << ", stopped part way outside a transaction " << partial_seen
              << ", runs finished before a kill " << finished_runs << "; applied at each kill:";
    for (int n : reached)
        std::cout << " " << n;
    std::cout << "\n";
}

// A PostgreSQL server of the test's own (tests/postgres/server), which the
// test may restart; the test databases of the process live on it meanwhile.
class private_postgres_server {
  public:
    explicit private_postgres_server(const std::filesystem::path& state) : state_(state) {
        const char* shared = std::getenv("STRATA_TEST_POSTGRES_URL");
        shared_url_ = shared ? shared : "";
        auto r = script("start", {{"STRATA_TEST_POSTGRES_URL", std::nullopt}});
        if (r.exit_code != 0)
            throw std::runtime_error("cannot start a PostgreSQL server: " + r.describe());
        url_ = strata::test::read_file(state_ / "url");
        url_.erase(url_.find_last_not_of("\n") + 1);
        ::setenv("STRATA_TEST_POSTGRES_URL", url_.c_str(), 1);
    }
    ~private_postgres_server() {
        script("stop", {});
        if (shared_url_.empty())
            ::unsetenv("STRATA_TEST_POSTGRES_URL");
        else
            ::setenv("STRATA_TEST_POSTGRES_URL", shared_url_.c_str(), 1);
    }

    process_result restart() const { return script("restart", {}); }

  private:
    process_result script(const std::string& action,
                          std::map<std::string, std::optional<std::string>> env) const {
        strata::test::process_spec spec;
        spec.argv = {STRATA_POSTGRES_SERVER_SCRIPT, action, state_.string()};
        spec.env = std::move(env);
        return strata::test::run_process(spec);
    }

    std::filesystem::path state_;
    std::string url_;
    std::string shared_url_;
};

class PostgresRestartTest : public CrashTest {
  protected:
    static int applied_so_far(const std::string& url) {
        try {
            pqxx::connection c(url);
            pqxx::nontransaction tx(c);
            return tx.exec1("SELECT count(*) FROM _strata_migrations")[0].as<int>();
        } catch (const std::exception&) {
            return 0;  // no tracking table yet
        }
    }
};

TEST_P(PostgresRestartTest, ServerRestartDuringUpIsAClearErrorAndTheNextUpCompletes) {
    // The clean run, on the shared server.
    auto clean = another_database("clean");
    auto start = clock_type::now();
    auto r = strata_on(*clean, {"up"});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    const auto run_time = clock_type::now() - start;
    const std::string expected = outcome(*clean);

    private_postgres_server server(dir / "server");
    {
        auto restarted = another_database("restarted");
        strata::test::process_spec spec;
        spec.argv = {STRATA_EXE, "--url", restarted->url(), "up"};
        spec.cwd = dir.path();
        auto running = strata::test::start_processes({spec});
        // Restart once a good part has been applied, on a connection of its
        // own: the test database's would not survive the restart.
        const auto deadline = clock_type::now() + run_time * 2 + std::chrono::seconds(30);
        while (applied_so_far(restarted->url()) < migration_count / 4 &&
               clock_type::now() < deadline)
            std::this_thread::sleep_for(milliseconds(20));
        auto restart = server.restart();
        ASSERT_EQ(restart.exit_code, 0) << restart.describe();
        const auto result = running[0].wait();
        ASSERT_NE(result.exit_code, 0) << "up finished before the restart; " << result.describe();
        EXPECT_EQ(result.exit_code, 3) << result.describe();
        EXPECT_THAT(result.err,
                    ::testing::ContainsRegex("(migration [0-9]+_step lost the connection to the "
                                             "database|lost the connection to the database "
                                             "during migration [0-9]+_step)"))
            << result.describe();
        const int applied = expect_consistent(*restarted);
        EXPECT_GT(applied, 0);
        EXPECT_LT(applied, migration_count);
        std::cout << "restart after " << applied << " migrations: " << result.err;

        r = strata_on(*restarted, {"up", "--resume"});
        ASSERT_EQ(r.exit_code, 0) << r.describe();
        EXPECT_EQ(expect_consistent(*restarted), migration_count);
        EXPECT_EQ(outcome(*restarted), expected);
    }
}

INSTANTIATE_TEST_SUITE_P(Postgres, PostgresRestartTest, ::testing::Values(backend::postgres),
                         strata::test::backend_name());

INSTANTIATE_TEST_SUITE_P(Backends, CrashTest, ::testing::ValuesIn(strata::test::all_backends),
                         strata::test::backend_name());

}  // namespace
