#include "tooling/scratch/postgres_scratch.hpp"

#include <libpq-fe.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include "strata/error.hpp"
#include "tooling/scratch/internal/local_postgres_server.hpp"

namespace strata {

namespace detail {

namespace {

constexpr const char* name_prefix = "strata_scratch_";
// Names of this build: their owner holds the advisory lock. Older builds read
// an epoch right after "strata_scratch_" and skip a name without one, so
// they never touch these.
constexpr const char* locked_prefix = "strata_scratch_lock_";
// Older builds' names, `strata_scratch_<epoch>_<pid>_<n>`, hold no lock.
constexpr long long stale_after_seconds = 3600;
// How long an interrupted strata waits for CREATE DATABASEs (and a local
// server's start) in flight before dropping what exists.
constexpr auto creations_wait = std::chrono::seconds(30);
// A second signal this long after the first ends strata without the cleanup.
constexpr auto impatience_after = std::chrono::seconds(2);

long long epoch_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

bool starts_with(const std::string& text, const char* prefix) {
    return text.compare(0, std::char_traits<char>::length(prefix), prefix) == 0;
}

// --- libpq, without libpqxx: libpqxx 6 reconnects a broken connection
// silently, which would lose the advisory lock between taking it and CREATE.

struct connection_closer {
    void operator()(PGconn* connection) const noexcept { PQfinish(connection); }
};
using connection_ptr = std::unique_ptr<PGconn, connection_closer>;

struct result_clearer {
    void operator()(PGresult* result) const noexcept { PQclear(result); }
};
using result_ptr = std::unique_ptr<PGresult, result_clearer>;

struct pg_failure : std::runtime_error {
    pg_failure(const std::string& message, std::string state)
        : std::runtime_error(message), sqlstate(std::move(state)) {}
    std::string sqlstate;
};

std::string trimmed(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
        text.pop_back();
    return text;
}

void ignore_notice(void*, const char*) {}

connection_ptr connect_admin(const std::string& conninfo) {
    connection_ptr connection(PQconnectdb(conninfo.c_str()));
    if (!connection)
        throw pg_failure("out of memory", "");
    if (PQstatus(connection.get()) != CONNECTION_OK) {
        // The first line, as for every connection (the rest is libpq's hint).
        const std::string message = PQerrorMessage(connection.get());
        throw pg_failure(trimmed(message.substr(0, message.find('\n'))), "");
    }
    // "database ... does not exist, skipping" is no news to anybody.
    PQsetNoticeProcessor(connection.get(), ignore_notice, nullptr);
    return connection;
}

// Runs one statement; throws pg_failure with "message (SQLSTATE x)".
result_ptr exec(PGconn* connection, const std::string& sql) {
    result_ptr result(PQexec(connection, sql.c_str()));
    const auto status = PQresultStatus(result.get());
    if (result && (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK))
        return result;
    const char* primary = PQresultErrorField(result.get(), PG_DIAG_MESSAGE_PRIMARY);
    const char* state = PQresultErrorField(result.get(), PG_DIAG_SQLSTATE);
    std::string message = trimmed(primary ? primary : PQerrorMessage(connection));
    if (state)
        message += std::string(" (SQLSTATE ") + state + ")";
    throw pg_failure(message, state ? state : "");
}

std::string quoted(PGconn* connection, const std::string& name) {
    char* text = PQescapeIdentifier(connection, name.c_str(), name.size());
    if (!text)
        throw pg_failure(trimmed(PQerrorMessage(connection)), "");
    std::string out(text);
    PQfreemem(text);
    return out;
}

// FORCE ends the sessions still connected (a worker's, or a killed owner's
// query that the server is still running).
void drop_database(PGconn* connection, const std::string& name) {
    const std::string drop = "DROP DATABASE IF EXISTS " + quoted(connection, name);
    try {
        exec(connection, drop + " WITH (FORCE)");
    } catch (const pg_failure& e) {
        if (e.sqlstate != "42601")
            throw;
        exec(connection, drop);  // before PostgreSQL 13: no FORCE
    }
}

// The two-int4 form (objsubid 2 in pg_locks), so that no key can equal the
// migration lock's bigint key (objsubid 1).
struct lock_key {
    std::uint32_t first;
    std::uint32_t second;
    bool operator<(const lock_key& other) const {
        return first != other.first ? first < other.first : second < other.second;
    }
};

lock_key lock_key_of(const std::string& name) {
    std::uint64_t hash = 14695981039346656037ull;  // FNV-1a
    for (unsigned char c : name) {
        hash ^= c;
        hash *= 1099511628211ull;
    }
    return {static_cast<std::uint32_t>(hash >> 32), static_cast<std::uint32_t>(hash)};
}

std::string as_int4(std::uint32_t key) {
    return std::to_string(static_cast<std::int32_t>(key));
}

// Also keeps a server's idle_session_timeout (PostgreSQL 14) from ending the
// session, and the lock with it, while a long check runs.
bool try_lock(PGconn* connection, const std::string& name) {
    const lock_key key = lock_key_of(name);
    const std::string keep_alive =
        PQserverVersion(connection) >= 140000 ? "SET idle_session_timeout = 0; " : "";
    const auto result = exec(connection, keep_alive + "SELECT pg_try_advisory_lock(" +
                                             as_int4(key.first) + ", " + as_int4(key.second) + ")");
    return PQgetvalue(result.get(), 0, 0)[0] == 't';
}

// Drops the scratch databases whose owner is gone, as the server sees it (a
// pid means nothing on a shared server). The owner of a strata_scratch_lock_
// database takes its lock before CREATE and lets go after DROP, so one that
// is listed here and whose key nobody holds when pg_locks is read afterwards
// has no owner left. Read the other way round, a database created in between
// would look abandoned. pg_locks rather than pg_try_advisory_lock: advisory
// locks belong to one database, and another run's URL may name another.
void drop_abandoned(PGconn* connection) {
    std::vector<std::pair<std::string, bool>> names;  // name, in use (old names only)
    {
        const auto listed =
            exec(connection,
                 "SELECT d.datname, EXISTS (SELECT 1 FROM pg_catalog.pg_stat_activity "
                 "a WHERE a.datid = d.oid) FROM pg_catalog.pg_database d "
                 "WHERE d.datname LIKE 'strata\\_scratch\\_%'");
        for (int i = 0; i < PQntuples(listed.get()); ++i)
            names.emplace_back(PQgetvalue(listed.get(), i, 0),
                               PQgetvalue(listed.get(), i, 1)[0] == 't');
    }
    if (names.empty())
        return;
    std::set<lock_key> held;
    const auto locks = exec(connection,
                            "SELECT classid, objid FROM pg_catalog.pg_locks WHERE locktype = "
                            "'advisory' AND objsubid = 2 AND granted");
    for (int i = 0; i < PQntuples(locks.get()); ++i)
        held.insert(
            {static_cast<std::uint32_t>(std::strtoul(PQgetvalue(locks.get(), i, 0), nullptr, 10)),
             static_cast<std::uint32_t>(std::strtoul(PQgetvalue(locks.get(), i, 1), nullptr, 10))});
    for (const auto& [name, in_use] : names) {
        try {
            if (starts_with(name, locked_prefix)) {
                if (!held.count(lock_key_of(name)))
                    drop_database(connection, name);
                continue;
            }
            // An older build's: no owner to ask. Old, and nobody connected;
            // a plain DROP fails should somebody connect meanwhile.
            const long long created =
                std::atoll(name.c_str() + std::char_traits<char>::length(name_prefix));
            if (created > 0 && epoch_seconds() - created >= stale_after_seconds && !in_use)
                exec(connection, "DROP DATABASE IF EXISTS " + quoted(connection, name));
        } catch (const pg_failure&) {
            // Another role's, or in use: not ours to force.
        }
    }
}

// --- What the signal watcher needs to know, shared by all threads.
struct registry {
    std::mutex mutex;
    std::condition_variable changed;
    // The watcher began: no creation may start, and the process is ending.
    bool ending = false;
    // CREATE DATABASEs (and a local server's start) under way: their outcome
    // is unknown until they return, so the watcher waits for them.
    int creating = 0;
    // Databases that exist or may: name -> conninfo of the admin database.
    std::map<std::string, std::string> live;
    std::unique_ptr<local_postgres_server> local_server;
    std::set<std::string> swept;  // admin conninfos whose abandoned databases we dropped
};

// Never destroyed: the watcher thread may still use it while the process
// exits.
registry& scratch_registry() {
    static registry* r = new registry;
    return *r;
}

// Once the watcher began, the signal ends the process: a thread that would
// start something new, or exit() before the watcher is done, waits for that.
[[noreturn]] void wait_for_the_end(std::unique_lock<std::mutex>& lock) {
    auto& r = scratch_registry();
    while (true)
        r.changed.wait(lock);
}

// A creation under way, as the watcher sees it; `name` empty for the server.
class creation {
  public:
    creation(const std::string& name, const std::string& conninfo) {
        auto& r = scratch_registry();
        std::unique_lock<std::mutex> lock(r.mutex);
        if (r.ending)
            wait_for_the_end(lock);
        ++r.creating;
        if (!name.empty())
            r.live[name] = conninfo;
    }
    ~creation() {
        auto& r = scratch_registry();
        std::lock_guard<std::mutex> lock(r.mutex);
        --r.creating;
        r.changed.notify_all();
    }
    creation(const creation&) = delete;
    creation& operator=(const creation&) = delete;
};

void forget(const std::string& name) {
    auto& r = scratch_registry();
    std::lock_guard<std::mutex> lock(r.mutex);
    r.live.erase(name);
}

// First scratch database of the process on this server: drop abandoned ones.
bool first_on(const std::string& admin_conninfo) {
    auto& r = scratch_registry();
    std::lock_guard<std::mutex> lock(r.mutex);
    return r.swept.insert(admin_conninfo).second;
}

struct stop_at_exit {
    ~stop_at_exit() {
        auto& r = scratch_registry();
        std::unique_ptr<local_postgres_server> server;
        std::unique_lock<std::mutex> lock(r.mutex);
        if (r.ending)
            wait_for_the_end(lock);  // the watcher stops it
        server = std::move(r.local_server);
        lock.unlock();
    }
};

// Started once per process, outside the registry's lock (seconds), as a
// creation: an interrupt meanwhile waits for it, then stops it.
std::string local_server_url() {
    static std::mutex starting;
    static stop_at_exit stopper;
    std::lock_guard<std::mutex> one_at_a_time(starting);
    auto& r = scratch_registry();
    {
        std::unique_lock<std::mutex> lock(r.mutex);
        if (r.ending)
            wait_for_the_end(lock);
        if (r.local_server)
            return r.local_server->url();
    }
    creation in_flight({}, {});
    auto server = local_postgres_server::start();
    std::lock_guard<std::mutex> lock(r.mutex);
    r.local_server = std::move(server);
    return r.local_server->url();
}

// strata_scratch_lock_<epoch>_<pid>_<n>_<random>: the pid and the epoch for
// people reading pg_database; the random part tells apart hosts that share
// the server (containers have small, equal pids).
std::string unique_name() {
    static const std::uint32_t run = [] {
        try {
            return static_cast<std::uint32_t>(std::random_device{}());
        } catch (const std::exception&) {
            return static_cast<std::uint32_t>(
                std::chrono::steady_clock::now().time_since_epoch().count());
        }
    }();
    static std::atomic<unsigned> counter{0};
    char random[9];
    std::snprintf(random, sizeof random, "%08x", run);
    return locked_prefix + std::to_string(epoch_seconds()) + "_" + std::to_string(::getpid()) +
           "_" + std::to_string(counter++) + "_" + random;
}

// The watcher's part: no creation starts any more; those under way finish
// (a CREATE whose client is gone still commits on the server); then every
// database that exists or may is dropped, and the local server stopped.
void drop_all_before_the_end() {
    auto& r = scratch_registry();
    std::map<std::string, std::string> live;
    std::unique_ptr<local_postgres_server> server;
    {
        std::unique_lock<std::mutex> lock(r.mutex);
        r.ending = true;
        r.changed.wait_for(lock, creations_wait, [&] { return r.creating == 0; });
        live = r.live;
        server = std::move(r.local_server);
    }
    std::map<std::string, connection_ptr> admins;  // null: cannot connect
    for (const auto& [name, conninfo] : live) {
        auto admin = admins.find(conninfo);
        if (admin == admins.end()) {
            connection_ptr connection;
            try {
                connection = connect_admin(conninfo);
            } catch (const pg_failure&) {
            }
            admin = admins.emplace(conninfo, std::move(connection)).first;
        }
        if (!admin->second)
            continue;  // left for a later run: our locks die with us
        try {
            drop_database(admin->second.get(), name);
        } catch (const pg_failure&) {
        }
    }
}

void hold_exit_while_ending() {
    auto& r = scratch_registry();
    std::unique_lock<std::mutex> lock(r.mutex);
    if (r.ending)
        wait_for_the_end(lock);
}

[[noreturn]] void end_by(int signal_number) {
    sigset_t only;
    sigemptyset(&only);
    sigaddset(&only, signal_number);
    ::signal(signal_number, SIG_DFL);
    pthread_sigmask(SIG_UNBLOCK, &only, nullptr);
    ::raise(signal_number);
    std::_Exit(128 + signal_number);  // not reached: the default action ends the process
}

}  // namespace

postgres_scratch::postgres_scratch(const std::string& server_url) {
    const database_url server =
        parse_database_url(server_url.empty() ? local_server_url() : server_url);
    if (server.backend != backend_kind::postgres)
        throw error(error_kind::usage, "postgres scratch server '" + redact_url(server.text) +
                                           "' is not a postgres url");
    admin_conninfo_ = postgres_conninfo(server);
    // The watcher's own connections must not hang on a server that is gone.
    const std::string cleanup_conninfo =
        server.parameters.count("connect_timeout")
            ? admin_conninfo_
            : postgres_conninfo(server, {{"connect_timeout", "10"}});
    try {
        try {
            // A name whose lock somebody holds is taken (in practice never).
            for (int attempt = 1;; ++attempt) {
                name_ = unique_name();
                keeper_.reset();
                keeper_.reset(
                    connect_admin(postgres_conninfo(server, {{"fallback_application_name", name_}}))
                        .release());
                if (attempt == 1 && first_on(admin_conninfo_)) {
                    try {
                        drop_abandoned(keeper_.get());
                    } catch (const pg_failure&) {
                        // Somebody else's sweep will do.
                    }
                }
                if (try_lock(keeper_.get(), name_))
                    break;
                if (attempt == 3)
                    throw pg_failure("the advisory locks of three new names are taken", "");
            }
            creation in_flight(name_, cleanup_conninfo);
            may_exist_ = true;
            exec(keeper_.get(),
                 "CREATE DATABASE " + quoted(keeper_.get(), name_) + " TEMPLATE template0");
        } catch (const pg_failure& e) {
            throw error(error_kind::connection, "cannot create a scratch database on '" +
                                                    redact_url(server.text) +
                                                    "': " + redact_secrets(e.what(), server.text));
        }
        database_url scratch_url = server;
        scratch_url.parameters["dbname"] = name_;
        conninfo_ = postgres_conninfo(scratch_url);
        db_ = std::make_unique<postgres_database>(scratch_url);
    } catch (...) {
        drop_quietly();
        throw;
    }
}

postgres_scratch::~postgres_scratch() {
    describer_.reset();  // connections would keep DROP DATABASE waiting
    db_.reset();
    drop_quietly();
}

void postgres_scratch::drop_quietly() noexcept {
    if (!may_exist_) {
        keeper_.reset();
        return;
    }
    bool dropped = false;
    try {
        if (keeper_) {
            drop_database(keeper_.get(), name_);
            dropped = true;
        }
    } catch (...) {
    }
    if (!dropped) {
        try {
            const auto admin = connect_admin(admin_conninfo_);
            drop_database(admin.get(), name_);
            dropped = true;
        } catch (...) {
        }
    }
    // Letting go of the lock: a database still there is a later run's to drop.
    keeper_.reset();
    if (dropped) {
        try {
            forget(name_);
        } catch (...) {
        }
    }
}

}  // namespace detail

void drop_scratch_databases_on_signals() {
    static std::once_flag once;
    std::call_once(once, [] {
        sigset_t signals;
        sigemptyset(&signals);
        for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT})
            sigaddset(&signals, s);
        // Blocked here and in every thread started later, so that only the
        // watcher receives them, as an ordinary thread that may use libpq.
        pthread_sigmask(SIG_BLOCK, &signals, nullptr);
        // An interrupted strata ends by its signal, after the watcher's work,
        // even when the main thread finishes meanwhile.
        std::atexit(detail::hold_exit_while_ending);
        std::thread([signals] {
            int first = 0;
            sigwait(&signals, &first);
            const auto received = std::chrono::steady_clock::now();
            // The cleanup runs beside the watcher, so that a second signal can
            // end strata at once when the server does not answer; a later run
            // drops what that leaves, as no lock outlives the process. Not a
            // second Ctrl-C pressed with the first: the cleanup takes well
            // under a second on a server that answers.
            std::thread([first] {
                detail::drop_all_before_the_end();
                detail::end_by(first);
            }).detach();
            while (true) {
                int second = 0;
                sigwait(&signals, &second);
                if (std::chrono::steady_clock::now() - received >= detail::impatience_after)
                    detail::end_by(second);
            }
        }).detach();
    });
}

}  // namespace strata
