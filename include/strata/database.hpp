// What the engine needs from a database backend.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "strata/backend.hpp"
#include "strata/error.hpp"
#include "strata/migration.hpp"
#include "strata/schema.hpp"
#include "strata/tracking.hpp"

namespace strata {

struct migration_set;

// Held while migrations are checked and applied, so that concurrent
// migrators apply each migration exactly once. Released on destruction, and by
// the operating system if the process dies.
class migration_lock {
  public:
    virtual ~migration_lock() = default;
};

// The tracking table: which migrations ran, and how far a partial one got.
class tracking_store {
  public:
    virtual ~tracking_store() = default;

    // Creates the tracking table unless it exists. Needs no open transaction.
    virtual void ensure_tracking_table() = 0;
    // Sorted by version; empty when there is no tracking table.
    virtual std::vector<applied_migration> applied_migrations() = 0;
    virtual bool is_recorded(const std::string& version) = 0;
    // Inserts or replaces the row of `row.version`.
    virtual void record(const applied_migration& row) = 0;
    virtual void forget(const std::string& version) = 0;
};

// Running scripts: in a transaction of Strata's, or statement by statement.
class script_runner {
  public:
    virtual ~script_runner() = default;

    virtual void begin() = 0;
    virtual void commit() = 0;
    virtual void rollback() noexcept = 0;

    // Runs the statements of `s` one by one, calling `after_statement` with the
    // number finished so far. On failure throws strata::error whose location is
    // the failing statement's file and line and whose message is the
    // database's own. Statements before `from` (0-based) count as finished
    // and are not sent: resuming a migration that stopped part way.
    // Outside begin()'s transaction, a backend that can runs each statement
    // and its `after_statement` in one transaction of their own, so that the
    // progress a migration records commits with the statement (SQLite, but
    // for statements that cannot run in a transaction: VACUUM, PRAGMA, ATTACH,
    // DETACH and the script's own transaction control).
    virtual void execute(const script& s, const std::function<void(int)>& after_statement = {},
                         int from = 0) = 0;

    // Where statement `index` (0-based, counted as execute() counts them) of
    // `s` begins; nullopt when it has fewer.
    virtual std::optional<source_location> statement_location(const script& s, int index) = 0;

    // Runs every statement of `s` outside any transaction of Strata's, each on
    // its own: a failing one goes to `on_failure` (an error as execute throws
    // it) and the next one runs. For listing all that a backend rejects.
    virtual void execute_all(const script& s,
                             const std::function<void(const error&)>& on_failure) = 0;

    // Restores connection settings a script may have changed (SQLite:
    // PRAGMA foreign_keys; PostgreSQL: SET, SET ROLE), so that each migration
    // meets the session the next run would give it. Called after each one.
    virtual void reset_session() {}

    // Runs `s`, records `row` and commits, all in one transaction; for
    // servers, in one round trip. The caller resets the session. Returns
    // false, having changed nothing, when it could not (a failing statement,
    // a script it cannot batch, or a backend without such a path): the caller
    // then takes the steps one by one, which name the failing statement.
    // Throws on a lost connection. `row.execution_ms` is measured here.
    virtual bool apply_at_once(const script& /*s*/, const applied_migration& /*row*/) {
        return false;
    }

    // Throws when `statement` would end or restart the transaction that
    // begin() opened: its COMMIT would leave the migration half applied.
    static void refuse_transaction_control(std::string_view statement,
                                           const source_location& where);
};

// What the database holds.
class schema_reader {
  public:
    virtual ~schema_reader() = default;

    // The schema model, without the tracking table.
    virtual strata::schema read_schema() = 0;
    // The schema `migrations` produce on a new, empty database of this
    // backend, made aside without touching this one; nullopt where the
    // backend makes none at run time (PostgreSQL would need a server
    // database). Adopting a history that covers part of a set compares with it.
    virtual std::optional<strata::schema> schema_from_scratch(const migration_set& migrations);

    // Whether the schema Strata works in holds a table called `name`.
    virtual bool has_table(const std::string& name) = 0;
    // Every row of a query of Strata's own (reading another tool's history),
    // each value as text, NULL as nullopt.
    using text_row = std::vector<std::optional<std::string>>;
    virtual std::vector<text_row> query(const std::string& sql) = 0;
};

// A backend: the three roles over one connection, with its lock and backup.
// The engine takes the role it needs where one is enough.
class database : public tracking_store, public script_runner, public schema_reader {
  public:
    virtual backend_kind backend() const = 0;

    // Waits up to `timeout` for other migrators to finish.
    virtual std::unique_ptr<migration_lock> lock(std::chrono::milliseconds timeout) = 0;

    // An online copy of the whole database into `file`, replacing it (SQLite's
    // backup API). Throws strata::error (usage) where there is none, or when
    // `file` cannot be written.
    virtual void backup_to(const std::string& file);
};

// A transaction of script_runner::begin(): rolled back when it leaves scope
// uncommitted, by an exception or an early return, as SQLiteCpp's and
// libpqxx's transactions are.
class transaction {
  public:
    explicit transaction(script_runner& db) : db_(db) { db_.begin(); }
    transaction(const transaction&) = delete;
    transaction& operator=(const transaction&) = delete;
    ~transaction() {
        if (open_)
            db_.rollback();
    }

    // When commit() throws, the transaction is still open: it rolls back.
    void commit() {
        db_.commit();
        open_ = false;
    }

  private:
    script_runner& db_;
    bool open_ = true;
};

}  // namespace strata
