// Scratch databases when strata does not end by itself. SIGINT and SIGTERM at
// random moments of `check --roundtrip` on a set big enough for several
// round-trip workers, and during its CREATE DATABASEs, leave none of the
// killed process's scratch databases (label `long`; STRATA_SCRATCH_INTERRUPTS
// interrupts, default 20). After a SIGKILL, the next strata on the server
// drops the dead owner's databases and leaves a live owner's alone. The test
// server is shared by tests running in parallel: databases are told apart by
// the pid in their name.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <random>
#include <set>
#include <string>
#include <thread>

#include <pqxx/pqxx>

#include "postgres.hpp"
#include "strata_cli.hpp"

using namespace strata::test;
using clock_type = std::chrono::steady_clock;
using std::chrono::milliseconds;
using ::testing::HasSubstr;

namespace {

int interrupts_wanted() {
    const char* text = std::getenv("STRATA_SCRATCH_INTERRUPTS");
    return text && *text ? std::atoi(text) : 20;
}

// One session on the test server for the test's own queries: polling through
// postgres_test_database would create a database per question.
class server_session {
  public:
    explicit server_session(const std::string& url) : connection_(url) {}

    std::string value(const std::string& sql) {
        pqxx::nontransaction tx(connection_);
        const pqxx::result r = tx.exec(sql);
        return r.empty() || r[0][0].is_null() ? "" : r[0][0].c_str();
    }
    std::vector<std::string> column(const std::string& sql) {
        pqxx::nontransaction tx(connection_);
        std::vector<std::string> values;
        for (const auto& row : tx.exec(sql))
            values.push_back(row[0].c_str());
        return values;
    }
    void exec(const std::string& sql) {
        pqxx::nontransaction tx(connection_);
        tx.exec(sql);
    }

    // LIKE pattern of the scratch database names of strata process `pid`.
    static std::string names_of(int pid) {
        return "strata\\_scratch\\_%\\_" + std::to_string(pid) + "\\_%";
    }
    std::string databases_of(int pid) {
        return value(
            "SELECT coalesce(string_agg(datname, ' ' ORDER BY datname), '') FROM "
            "pg_database WHERE datname LIKE '" +
            names_of(pid) + "'");
    }
    // What the server still does for a process that ended: a CREATE DATABASE
    // it sent, its sessions on its databases (the server notices a client
    // that died only when it next talks to it).
    void wait_until_finished(int pid) {
        const auto deadline = clock_type::now() + std::chrono::seconds(30);
        while (value("SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND "
                     "(datname LIKE '" +
                     names_of(pid) + "' OR (state = 'active' AND query LIKE '%" + names_of(pid) +
                     "'))") != "0") {
            ASSERT_LT(clock_type::now(), deadline) << "the server still works for " << pid;
            std::this_thread::sleep_for(milliseconds(10));
        }
    }
    // Drops what a failed round left, so that it fails alone.
    void drop_databases_of(int pid) {
        pqxx::nontransaction tx(connection_);
        for (const auto& row :
             tx.exec("SELECT datname FROM pg_database WHERE datname LIKE '" + names_of(pid) + "'"))
            tx.exec("DROP DATABASE IF EXISTS " + tx.quote_name(row[0].c_str()) + " WITH (FORCE)");
    }

  private:
    pqxx::connection connection_;
};

class ScratchSignals : public ::testing::Test {
  protected:
    scratch_directory dir{"strata-pg-signals"};
    const std::string server = postgres_server_url();
    server_session session{server};

    void write_migration(const std::filesystem::path& set, int i, const std::string& up,
                         const std::string& down) {
        char id[16];
        std::snprintf(id, sizeof id, "%04d", i);
        write_file(set / (std::string(id) + "_t" + std::to_string(i) + ".up.sql"), up);
        write_file(set / (std::string(id) + "_t" + std::to_string(i) + ".down.sql"), down);
    }

    process_spec check(const std::string& set, bool roundtrip = false) const {
        std::vector<std::string> args = {"--dir",    (dir / set).string(), "--backends",
                                         "postgres", "--postgres-url",     server,
                                         "check"};
        if (roundtrip)
            args.push_back("--roundtrip");
        return strata_spec(dir.path(), args);
    }

    // Until `pid` has a scratch database (false: it ended or 20 s passed).
    bool wait_for_scratch(int pid) {
        const auto deadline = clock_type::now() + std::chrono::seconds(20);
        while (session.databases_of(pid).empty()) {
            if (clock_type::now() > deadline || ::kill(pid, 0) != 0)
                return false;
            std::this_thread::sleep_for(milliseconds(20));
        }
        return true;
    }
};

// 128 migrations: `check --roundtrip` shares them among workers, one per core
// up to 8 (two at least on two cores), each with its own scratch database.
TEST_F(ScratchSignals, InterruptsAtAnyMomentLeaveNoScratchDatabase) {
    constexpr int migrations = 128;
    for (int i = 1; i <= migrations; ++i)
        write_migration(dir / "migrations", i,
                        "CREATE TABLE t" + std::to_string(i) + " (id int);\n",
                        "DROP TABLE t" + std::to_string(i) + ";\n");

    // A run to its end: how long one lasts, and it leaves nothing either.
    auto started = clock_type::now();
    auto reference = start_processes({check("migrations", true)});
    const auto reference_result = reference[0].wait();
    const auto run_time = std::chrono::duration_cast<milliseconds>(clock_type::now() - started);
    ASSERT_EQ(reference_result.exit_code, 0) << reference_result.describe();
    ASSERT_THAT(reference_result.out, HasSubstr("ok: 128 migration(s)"));
    session.wait_until_finished(reference[0].pid());
    EXPECT_EQ(session.databases_of(reference[0].pid()), "");

    std::mt19937 random(std::random_device{}());
    const int rounds = interrupts_wanted();
    int leaving = 0;
    for (int round = 0; round < rounds; ++round) {
        // Even rounds: any moment of the run. Odd rounds: while the server
        // runs the first or second CREATE DATABASE strata sent (the round
        // trip's workers create theirs at once), when a database whose
        // creation has not committed yet can escape a DROP. SIGINT, SIGTERM,
        // SIGTERM, SIGINT: two rounds already have both signals and moments.
        const bool during_create = round % 2 == 1;
        const int signal = (round + 1) / 2 % 2 == 0 ? SIGINT : SIGTERM;
        auto running = start_processes({check("migrations", true)});
        const int pid = running[0].pid();
        started = clock_type::now();
        std::string moment;
        if (!during_create) {
            const auto at =
                milliseconds(std::uniform_int_distribution<long>(0, run_time.count())(random));
            std::this_thread::sleep_until(started + at);
            moment = std::to_string(at.count()) + " ms after the start";
        } else {
            const std::size_t which = std::uniform_int_distribution<int>(1, 2)(random);
            const auto extra = milliseconds(std::uniform_int_distribution<long>(0, 40)(random));
            std::set<std::string> seen;
            const auto deadline = started + run_time * 2;
            while (seen.size() < which && clock_type::now() < deadline && ::kill(pid, 0) == 0) {
                for (auto& query : session.column(
                         "SELECT query FROM pg_stat_activity WHERE state = 'active' AND query "
                         "LIKE 'CREATE DATABASE %" +
                         server_session::names_of(pid) + "'"))
                    seen.insert(std::move(query));
                std::this_thread::sleep_for(milliseconds(2));
            }
            std::this_thread::sleep_for(extra);
            moment = std::to_string(extra.count()) + " ms into CREATE DATABASE number " +
                     std::to_string(which) + " (" + std::to_string(seen.size()) + " seen)";
        }
        ::kill(pid, signal);
        const auto r = running[0].wait();
        // Killed, or it ended before the signal came.
        EXPECT_TRUE(r.signal == signal || r.exit_code == 0)
            << "round " << round << ", " << strsignal(signal) << " " << moment << ": "
            << r.describe();
        session.wait_until_finished(pid);
        const std::string left = session.databases_of(pid);
        std::cout << "round " << round << ": " << strsignal(signal) << " " << moment << ": "
                  << (r.signal ? "killed" : "ended first") << ", "
                  << (left.empty() ? "nothing left" : "left " + left) << "\n";
        EXPECT_EQ(left, "") << "round " << round << ": " << strsignal(signal) << " " << moment;
        if (!left.empty()) {
            ++leaving;
            session.drop_databases_of(pid);
        }
    }
    EXPECT_EQ(leaving, 0) << leaving << " of " << rounds << " interrupted runs left databases";
}

// A SIGKILL leaves the scratch databases behind; the next strata on the
// server drops them as their owner is gone (no session holds their lock),
// while another strata that is still running keeps its own. Names of older
// Strata builds, which hold no lock: dropped after an hour, unless in use.
TEST_F(ScratchSignals, NextRunDropsADeadOwnersDatabasesNotALiveOnes) {
    write_migration(dir / "slow", 1, "CREATE TABLE t1 (id int);\nSELECT pg_sleep(60);\n",
                    "DROP TABLE t1;\n");
    write_migration(dir / "quick", 1, "CREATE TABLE t1 (id int);\n", "DROP TABLE t1;\n");

    // Older builds' names, `strata_scratch_<epoch>_<pid>_<n>`, with pid 0.
    const long long now = std::chrono::duration_cast<std::chrono::seconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
    const std::string tag = std::to_string(::getpid());
    const std::string old_stale =
        "strata_scratch_" + std::to_string(now - 7200) + "_0_" + tag + "1";
    const std::string old_busy = "strata_scratch_" + std::to_string(now - 7200) + "_0_" + tag + "2";
    const std::string old_recent = "strata_scratch_" + std::to_string(now - 60) + "_0_" + tag + "3";
    struct dropper {
        server_session& session;
        std::vector<std::string> names;
        ~dropper() {
            for (const auto& name : names)
                session.exec("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
        }
    } cleanup{session, {old_stale, old_busy, old_recent}};
    for (const auto& name : cleanup.names)
        session.exec("CREATE DATABASE \"" + name + "\" TEMPLATE template0");
    pqxx::connection busy(with_database(server, old_busy));

    auto owners = start_processes({check("slow"), check("slow")});
    const int live = owners[0].pid();
    const int killed = owners[1].pid();
    ASSERT_TRUE(wait_for_scratch(live)) << owners[0].wait().describe();
    ASSERT_TRUE(wait_for_scratch(killed)) << owners[1].wait().describe();
    ::kill(killed, SIGKILL);
    EXPECT_EQ(owners[1].wait().signal, SIGKILL);
    const std::string left = session.databases_of(killed);
    ASSERT_NE(left, "");
    // The server ends the dead process's idle sessions as soon as it reads
    // their sockets' end; its session running pg_sleep lives on.
    const auto deadline = clock_type::now() + std::chrono::seconds(10);
    while (session.value("SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE '" +
                         server_session::names_of(killed) + "'") != "0") {
        ASSERT_LT(clock_type::now(), deadline) << "the killed process's sessions outlived it";
        std::this_thread::sleep_for(milliseconds(10));
    }

    auto next = start_processes({check("quick")});
    const auto next_result = next[0].wait();
    EXPECT_EQ(next_result.exit_code, 0) << next_result.describe();
    session.wait_until_finished(next[0].pid());
    EXPECT_EQ(session.databases_of(next[0].pid()), "");
    EXPECT_EQ(session.databases_of(killed), "") << "left by the killed strata: " << left;
    EXPECT_NE(session.databases_of(live), "") << "the running strata's database was dropped";
    const auto exists = [&](const std::string& name) {
        return session.value("SELECT count(*) FROM pg_database WHERE datname = '" + name + "'") ==
               "1";
    };
    EXPECT_FALSE(exists(old_stale)) << old_stale;
    EXPECT_TRUE(exists(old_busy)) << old_busy;
    EXPECT_TRUE(exists(old_recent)) << old_recent;

    // The live one, interrupted, drops its own.
    ::kill(live, SIGINT);
    const auto live_result = owners[0].wait();
    EXPECT_EQ(live_result.signal, SIGINT) << live_result.describe();
    session.wait_until_finished(live);
    EXPECT_EQ(session.databases_of(live), "");
    session.drop_databases_of(killed);
}

}  // namespace
