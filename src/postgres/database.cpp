#include "strata/postgres/database.hpp"

#include <unistd.h>
#include <pqxx/pqxx>

#include <pqxx/except>
#include <pqxx/field>
#include <pqxx/result>
#include <pqxx/row>
#include <pqxx/version>

#include <algorithm>
#include <random>
#include <string_view>
#include <thread>

#include "postgres/internal/schema.hpp"
#include "sql/postgres_statements.hpp"
#include "sql/text.hpp"
#include "strata/error.hpp"

namespace strata {

namespace {

using clock = std::chrono::steady_clock;

std::string first_line(std::string_view text) {
    return std::string(text.substr(0, text.find('\n')));
}

// libpq marks the error position as "LINE n:" in the message, counting the
// lines of the statement that was sent; 0 when the error has no position.
int error_line(std::string_view message) {
    const auto at = message.find("\nLINE ");
    if (at == std::string_view::npos)
        return 0;
    int line = 0;
    for (std::size_t i = at + 6; i < message.size() && message[i] >= '0' && message[i] <= '9'; ++i)
        line = line * 10 + (message[i] - '0');
    return line;
}

// Failures that waiting cannot cure: the server answered and refused.
bool is_permanent(std::string_view message) {
    for (std::string_view refusal : {"password authentication failed", "does not exist",
                                     "no password supplied", "no pg_hba.conf entry"})
        if (message.find(refusal) != std::string_view::npos)
            return true;
    return false;
}

std::unique_ptr<pqxx::connection> connect(const database_url& url, std::chrono::milliseconds wait) {
    const auto deadline = clock::now() + wait;
    const std::string conninfo = postgres_conninfo(url);
    while (true) {
        try {
            return std::make_unique<pqxx::connection>(conninfo);
        } catch (const pqxx::broken_connection& e) {
            const std::string message = redact_secrets(postgres_message(e), url.text);
            // libpq checks parameter values (sslmode=bogus) only when connecting.
            if (message.find("invalid ") != std::string::npos &&
                message.find(" value") != std::string::npos)
                throw error(error_kind::usage,
                            "invalid postgres url '" + redact_url(url.text) + "': " + message);
            if (clock::now() >= deadline || is_permanent(message))
                throw error(error_kind::connection,
                            "cannot connect to '" + redact_url(url.text) + "': " + message);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
}

// The advisory lock's key: one per tracking table, so that sets with
// different tracking tables do not wait for each other.
long long lock_key(const std::string& schema, const std::string& table) {
    std::uint64_t hash = 14695981039346656037ull;  // FNV-1a
    for (unsigned char c : "strata:" + schema + "." + table) {
        hash ^= c;
        hash *= 1099511628211ull;
    }
    return static_cast<long long>(hash);
}

class advisory_lock final : public migration_lock {
  public:
    advisory_lock(postgres_database& db, long long key) : db_(db), key_(key) {}
    ~advisory_lock() override {
        try {
            db_.run("SELECT pg_advisory_unlock(" + std::to_string(key_) + ")");
        } catch (...) {
            // The session is gone, and the server released the lock with it.
        }
    }

  private:
    postgres_database& db_;
    long long key_;
};

// Whether `statement` runs the same in a batch as on its own. Not COPY,
// which talks a protocol of its own; not SET or RESET, since the server
// parses a whole batch before running it, so that a SET of how strings are
// read (standard_conforming_strings) would miss the statements after it;
// not what a transaction refuses, which the steps report at its line.
bool suits_a_batch(std::string_view statement) {
    const std::string keyword = first_keyword(statement);
    return keyword != "COPY" && keyword != "SET" && keyword != "RESET" &&
           transaction_control_keyword(statement).empty();
}

// Whether the session is gone: the connection broke, or the server ended it
// (a shutdown or restart, pg_terminate_backend: SQLSTATE classes 57P and 08).
bool session_lost(const pqxx::failure& e) {
    if (dynamic_cast<const pqxx::broken_connection*>(&e) != nullptr)
        return true;
    const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e);
    const std::string state = sql != nullptr ? sql->sqlstate() : "";
    return state.rfind("57P", 0) == 0 || state.rfind("08", 0) == 0;
}

template <typename F>
auto translate_errors(F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const pqxx::failure& e) {
        if (session_lost(e))
            throw error(error_kind::connection, "lost the connection: " + postgres_message(e));
        throw error(error_kind::check, postgres_message(e));
    }
}

}  // namespace

std::string postgres_message(const std::exception& e) {
    std::string message = first_line(e.what());
    for (std::string_view prefix : {"ERROR:  ", "FATAL:  ", "PANIC:  "})
        if (message.compare(0, prefix.size(), prefix) == 0)
            message.erase(0, prefix.size());
    if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e); sql && !sql->sqlstate().empty())
        message += " (SQLSTATE " + sql->sqlstate() + ")";
    return message;
}

postgres_database::postgres_database(const database_url& url, const postgres_options& options)
    : owned_(connect(url, options.wait)), connection_(owned_.get()), options_(options) {
    configure();
}

postgres_database::postgres_database(pqxx::connection& connection, const postgres_options& options)
    : connection_(&connection), options_(options) {
    configure();
}

postgres_database::~postgres_database() {
    if (!owned_ && session_) {
        try {
            restore_session_settings();
        } catch (...) {
            // The connection is broken; the application will find out.
        }
    }
}

// Back to the session as it was before: RESET ALL, then what the session
// had SET (captured in configure()); for a connection the application lent.
std::string postgres_database::restored_settings_sql() const {
    std::string sql = "RESET ALL";
    for (const auto& [name, value] : session_settings_)
        sql += "; SELECT set_config(" + session_->quote(name) + ", " + session_->quote(value) +
               ", false)";
    return sql;
}

void postgres_database::restore_session_settings() {
    run(restored_settings_sql());
}

// Not DISCARD ALL: it would release the advisory lock. RESET ALL leaves the
// role alone, which a connection the application lent keeps.
std::string postgres_database::session_reset_sql() const {
    std::string sql = owned_ ? "RESET ALL; RESET ROLE" : restored_settings_sql();
    sql += "; SET client_min_messages = warning";
    if (sets_search_path_)
        sql += "; SET search_path TO " + session_->quote_name(options_.schema);
    return sql;
}

void postgres_database::configure() {
    check_table_name(options_.tracking_table);
#if PQXX_VERSION_MAJOR < 7
    // libpqxx 6 reconnects a broken connection silently at the next query,
    // which would run the rest of a migration outside its transaction. Not
    // on a connection the application owns: it may rely on reactivation.
    if (owned_) {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
        connection_->inhibit_reactivation(true);
#pragma GCC diagnostic pop
    }
#endif
    translate_errors(
        [&] { session_ = std::make_unique<pqxx::nontransaction>(*connection_, "strata"); });
    if (!owned_)
        for (const auto& row : run("SELECT name, current_setting(name) FROM pg_catalog.pg_settings "
                                   "WHERE source = 'session'"))
            session_settings_.emplace_back(row[0].c_str(), row[1].c_str());
    // NOTICEs ("relation already exists, skipping") are noise in a migration log.
    run("SET client_min_messages = warning");
    if (options_.schema.empty()) {
        const auto current = run("SELECT current_schema()");
        options_.schema = current[0][0].is_null() ? "public" : current[0][0].c_str();
    } else {
        // As the URL's options=-csearch_path=... would: the migrations' own
        // unqualified names land in the schema too.
        run("SET search_path TO " + session_->quote_name(options_.schema));
        sets_search_path_ = true;
    }
    qualified_table_ =
        session_->quote_name(options_.schema) + "." + session_->quote_name(options_.tracking_table);
}

pqxx::result postgres_database::run(const std::string& sql) {
    return translate_errors([&] { return session_->exec(sql); });
}

std::unique_ptr<migration_lock> postgres_database::lock(std::chrono::milliseconds timeout) {
    const long long key = lock_key(options_.schema, options_.tracking_table);
    // A session-level lock: it spans the several transactions of one run and
    // ends with the session if the process dies. Polled with the try variant,
    // never waited for in a statement: a waiting statement holds a snapshot,
    // and CREATE INDEX CONCURRENTLY in the holder's migration waits for every
    // snapshot, so each would wait for the other (deadlock detected). Between
    // tries the session is idle outside any transaction; the deadline is
    // kept here, not by the server's lock_timeout.
    const std::string try_lock = "SELECT pg_try_advisory_lock(" + std::to_string(key) + ")";
    // A timeout too long to add to now (milliseconds::max(): wait forever)
    // saturates instead of overflowing into the past.
    const auto start = clock::now();
    const auto deadline = timeout >= std::chrono::duration_cast<std::chrono::milliseconds>(
                                         clock::time_point::max() - start)
                              ? clock::time_point::max()
                              : start + timeout;
    // Short at first, since a holder that finds nothing to apply lets go
    // within milliseconds (instances starting at once); then doubling to a
    // cap, since one applying migrations may hold it for minutes, and an
    // instance behind it should cost the server a few queries a second.
    // Each pause is drawn from its upper half: waiters that started together
    // would otherwise poll together, and only one of them wins each round.
    std::chrono::milliseconds pause{5};
    constexpr std::chrono::milliseconds longest_pause{250};
    // Seeded by the clock: std::random_device may throw where it has no source.
    std::minstd_rand random(static_cast<std::minstd_rand::result_type>(
        std::chrono::steady_clock::now().time_since_epoch().count() ^ ::getpid()));
    while (!run(try_lock)[0][0].as<bool>()) {
        const auto now = clock::now();
        if (now >= deadline)
            throw error(error_kind::connection,
                        "timed out after " + std::to_string(timeout.count()) +
                            " ms waiting for another migrator (advisory lock " +
                            std::to_string(key) + ")",
                        {}, remedy::lock_timeout);
        const std::chrono::microseconds full = pause;
        const std::chrono::microseconds drawn{
            std::uniform_int_distribution<long long>(full.count() / 2, full.count())(random)};
        std::this_thread::sleep_for(std::min<clock::duration>(drawn, deadline - now));
        pause = std::min(pause * 2, longest_pause);
    }
    return std::make_unique<advisory_lock>(*this, key);
}

bool postgres_database::has_tracking_table() {
    return has_table(options_.tracking_table);
}

bool postgres_database::has_table(const std::string& name) {
    return translate_errors([&] {
        return !session_
                    ->exec_params(
                        "SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = $1 AND "
                        "tablename = $2",
                        options_.schema, name)
                    .empty();
    });
}

std::vector<database::text_row> postgres_database::query(const std::string& sql) {
    std::vector<text_row> rows;
    for (const auto& r : run(sql)) {
        text_row& row = rows.emplace_back();
        for (const auto& field : r)
            row.push_back(field.is_null() ? std::nullopt
                                          : std::optional<std::string>(field.c_str()));
    }
    return rows;
}

void postgres_database::ensure_tracking_table() {
    if (has_tracking_table())
        return;
    // CREATE SCHEMA IF NOT EXISTS needs CREATE on the database even when the
    // schema exists, which an application's role often lacks.
    const bool schema_exists = translate_errors([&] {
        return !session_
                    ->exec_params("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1",
                                  options_.schema)
                    .empty();
    });
    if (!schema_exists)
        run("CREATE SCHEMA " + session_->quote_name(options_.schema));
    run("CREATE TABLE IF NOT EXISTS " + qualified_table_ +
        " (\n"
        "  version TEXT PRIMARY KEY NOT NULL,\n"
        "  name TEXT NOT NULL,\n"
        "  checksum TEXT NOT NULL,\n"
        "  applied_at TEXT NOT NULL,\n"
        "  execution_ms BIGINT NOT NULL,\n"
        "  state TEXT NOT NULL DEFAULT 'applied',\n"
        "  statements_done INTEGER NOT NULL DEFAULT 0\n"
        ")");
}

std::vector<applied_migration> postgres_database::applied_migrations() {
    std::vector<applied_migration> rows;
    if (!has_tracking_table())
        return rows;
    const auto result = run(
        "SELECT version, name, checksum, applied_at, execution_ms, state, statements_done FROM " +
        qualified_table_);
    for (const auto& r : result) {
        applied_migration row;
        row.version = r[0].c_str();
        row.name = r[1].c_str();
        row.checksum = r[2].c_str();
        row.applied_at = r[3].c_str();
        row.execution_ms = r[4].as<long long>();
        row.state = record_state_from(r[5].c_str());
        row.statements_done = r[6].as<int>();
        rows.push_back(std::move(row));
    }
    sort_by_version(rows);
    return rows;
}

bool postgres_database::is_recorded(const std::string& version) {
    return translate_errors([&] {
        return !session_
                    ->exec_params("SELECT 1 FROM " + qualified_table_ + " WHERE version = $1",
                                  version)
                    .empty();
    });
}

void postgres_database::record(const applied_migration& row) {
    translate_errors([&] {
        session_->exec_params(
            "INSERT INTO " + qualified_table_ +
                " (version, name, checksum, applied_at, execution_ms, state, statements_done) "
                "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (version) DO UPDATE SET "
                "name = EXCLUDED.name, checksum = EXCLUDED.checksum, applied_at = "
                "EXCLUDED.applied_at, execution_ms = EXCLUDED.execution_ms, state = "
                "EXCLUDED.state, statements_done = EXCLUDED.statements_done",
            row.version, row.name, row.checksum, row.applied_at,
            static_cast<long long>(row.execution_ms), std::string(to_string(row.state)),
            row.statements_done);
    });
}

void postgres_database::forget(const std::string& version) {
    translate_errors([&] {
        session_->exec_params("DELETE FROM " + qualified_table_ + " WHERE version = $1", version);
    });
}

void postgres_database::begin() {
    run("BEGIN");
    in_transaction_ = true;
}

void postgres_database::commit() {
    in_transaction_ = false;
    run("COMMIT");
}

void postgres_database::rollback() noexcept {
    in_transaction_ = false;
    try {
        session_->exec("ROLLBACK");
    } catch (...) {
        // No transaction open, or no connection: nothing left to undo here.
    }
}

void postgres_database::execute(const script& s, const std::function<void(int)>& after_statement,
                                int from) {
    run_statements(s, after_statement, {}, from);
}

std::optional<source_location> postgres_database::statement_location(const script& s, int index) {
    return detail::statement_location(s, detail::split_postgres_statements(s.sql), index);
}

void postgres_database::execute_all(const script& s,
                                    const std::function<void(const error&)>& on_failure) {
    run_statements(s, {}, on_failure);
}

void postgres_database::run_statements(const script& s,
                                       const std::function<void(int)>& after_statement,
                                       const std::function<void(const error&)>& on_failure,
                                       int from) {
    const std::string_view sql = s.sql;
    int finished = 0;
    for (const auto& span : detail::split_postgres_statements(sql)) {
        if (finished < from) {
            ++finished;
            continue;
        }
        const std::string statement(sql.substr(span.begin, span.end - span.begin));
        if (in_transaction_)
            refuse_transaction_control(statement,
                                       {s.file, s.first_line + lines_before(sql, span.begin)});
        try {
            session_->exec(statement);
        } catch (const pqxx::failure& e) {
            const int line = error_line(e.what());
            const bool broken = session_lost(e);
            const error failure(
                broken ? error_kind::connection : error_kind::check, postgres_message(e),
                {s.file, s.first_line + lines_before(sql, span.begin) + (line > 0 ? line - 1 : 0)});
            if (!on_failure || broken)
                throw failure;
            on_failure(failure);
            continue;
        }
        ++finished;
        if (after_statement)
            after_statement(finished);
    }
}

void postgres_database::reset_session() {
    run(session_reset_sql());
}

bool postgres_database::apply_at_once(const script& s, const applied_migration& row) {
    const std::string_view sql = s.sql;
    std::string batch = "BEGIN;\n";
    for (const auto& span : detail::split_postgres_statements(sql)) {
        const std::string_view statement = sql.substr(span.begin, span.end - span.begin);
        if (!suits_a_batch(statement))
            return false;
        batch.append(statement);
        // A last statement without its semicolon may end in a -- comment.
        batch += !statement.empty() && statement.back() == ';' ? "\n" : "\n;\n";
    }
    // A plain INSERT: a row that a migrator without the lock wrote meanwhile
    // fails it, and the steps one by one then find the row and stop.
    batch += "INSERT INTO " + qualified_table_ +
             " (version, name, checksum, applied_at, execution_ms, state, statements_done) "
             "VALUES (" +
             session_->quote(row.version) + ", " + session_->quote(row.name) + ", " +
             session_->quote(row.checksum) + ", " + session_->quote(row.applied_at) +
             ", (extract(epoch FROM clock_timestamp() - transaction_timestamp()) * 1000)::bigint, "
             "'applied', 0);\nCOMMIT";
    try {
        session_->exec(batch);
    } catch (const pqxx::failure& e) {
        // Not a retry on a new session: it would hold neither the lock nor
        // the session's settings. The server rolled back what did not commit.
        if (session_lost(e))
            throw error(error_kind::connection, "lost the connection: " + postgres_message(e),
                        {s.file, 0});
        // The failed statement aborted the rest of the batch and left the
        // transaction open and failed, with the script's SETs undone.
        rollback();
        return false;
    }
    return true;
}

schema postgres_database::read_schema() {
    return translate_errors(
        [&] { return read_postgres_schema(*session_, options_.schema, options_.tracking_table); });
}

}  // namespace strata
