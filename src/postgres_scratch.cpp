#include "postgres_scratch.hpp"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>

#include <pqxx/nontransaction>
#include <pqxx/result>

#include "local_postgres_server.hpp"
#include "strata/error.hpp"

namespace strata {

namespace detail {

namespace {

constexpr const char* name_prefix = "strata_scratch_";
constexpr long long stale_after_seconds = 3600;

long long epoch_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// The scratch databases of this process, for the signal watcher.
struct registry {
    std::timed_mutex mutex;
    std::map<std::string, std::string> live;  // name -> admin conninfo
    std::unique_ptr<local_postgres_server> local_server;
};

// Never destroyed: the watcher thread may still use it while the process
// exits. The local server is stopped at exit by `stop_at_exit` instead.
registry& scratch_registry() {
    static registry* r = new registry;
    return *r;
}

struct stop_at_exit {
    ~stop_at_exit() {
        auto& r = scratch_registry();
        std::lock_guard<std::timed_mutex> guard(r.mutex);
        r.local_server.reset();
    }
};

void drop(const std::string& admin_conninfo, const std::string& name) {
    pqxx::connection admin(admin_conninfo);
    pqxx::nontransaction tx(admin);
    tx.exec("SET client_min_messages = warning");
    try {
        tx.exec("DROP DATABASE IF EXISTS " + tx.quote_name(name) + " WITH (FORCE)");
    } catch (const pqxx::syntax_error&) {
        // Before PostgreSQL 13: no FORCE, and our own connection is closed already.
        tx.exec("DROP DATABASE IF EXISTS " + tx.quote_name(name));
    }
}

// Scratch databases of strata runs that were killed: old, and unused.
void drop_stale(pqxx::nontransaction& tx) {
    const auto rows =
        tx.exec("SELECT datname FROM pg_database WHERE datname LIKE 'strata\\_scratch\\_%'");
    for (const auto& row : rows) {
        const std::string name = row[0].c_str();
        const long long created =
            std::atoll(name.c_str() + std::char_traits<char>::length(name_prefix));
        if (created <= 0 || epoch_seconds() - created < stale_after_seconds)
            continue;
        try {
            tx.exec("DROP DATABASE IF EXISTS " + tx.quote_name(name));  // fails while in use
        } catch (const pqxx::failure&) {
        }
    }
}

// Started once per process, without holding the registry while it starts
// (seconds), so that a signal meanwhile is handled at once.
const std::string& local_server_url() {
    static std::mutex starting;
    static stop_at_exit stopper;
    std::lock_guard<std::mutex> one_at_a_time(starting);
    auto& r = scratch_registry();
    {
        std::lock_guard<std::timed_mutex> guard(r.mutex);
        if (r.local_server)
            return r.local_server->url();
    }
    auto server = local_postgres_server::start();
    std::lock_guard<std::timed_mutex> guard(r.mutex);
    r.local_server = std::move(server);
    return r.local_server->url();
}

void register_live(const std::string& name, const std::string& admin_conninfo) {
    auto& r = scratch_registry();
    std::lock_guard<std::timed_mutex> guard(r.mutex);
    if (admin_conninfo.empty())
        r.live.erase(name);
    else
        r.live[name] = admin_conninfo;
}

std::string unique_name() {
    static std::atomic<unsigned> counter{0};
    return name_prefix + std::to_string(epoch_seconds()) + "_" + std::to_string(::getpid()) + "_" +
           std::to_string(counter++);
}

}  // namespace

postgres_scratch::postgres_scratch(const std::string& server_url) : name_(unique_name()) {
    const database_url server =
        parse_database_url(server_url.empty() ? local_server_url() : server_url);
    if (server.backend != backend_kind::postgres)
        throw error(error_kind::usage, "postgres scratch server '" + redact_url(server.text) +
                                           "' is not a postgres url");
    admin_conninfo_ = postgres_conninfo(server);
    // Known to the signal watcher before it exists: DROP ... IF EXISTS is harmless.
    register_live(name_, admin_conninfo_);
    try {
        try {
            pqxx::connection admin(admin_conninfo_);
            pqxx::nontransaction tx(admin);
            drop_stale(tx);
            tx.exec("CREATE DATABASE " + tx.quote_name(name_) + " TEMPLATE template0");
        } catch (const pqxx::failure& e) {
            throw error(error_kind::connection,
                        "cannot create a scratch database on '" + redact_url(server.text) +
                            "': " + redact_secrets(postgres_message(e), server.text));
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
    try {
        drop(admin_conninfo_, name_);
    } catch (...) {
        // Left for a later run's sweep of stale scratch databases.
    }
    try {
        register_live(name_, {});
    } catch (...) {
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
        std::thread([signals] {
            int received = 0;
            sigwait(&signals, &received);
            auto& r = detail::scratch_registry();
            // The main thread holds the registry only briefly; if it does not
            // let go (a bug), leave the cleanup to a later run's sweep.
            std::unique_lock<std::timed_mutex> guard(r.mutex, std::chrono::seconds(5));
            if (guard.owns_lock()) {
                for (const auto& [name, conninfo] : r.live) {
                    try {
                        detail::drop(conninfo, name);
                    } catch (...) {
                    }
                }
                r.local_server.reset();
            }
            signal(received, SIG_DFL);
            pthread_sigmask(SIG_UNBLOCK, &signals, nullptr);
            raise(received);
        }).detach();
    });
}

}  // namespace strata
