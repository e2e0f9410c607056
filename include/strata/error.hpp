// The one exception type of the engine: what went wrong, where, and the way
// past it.
#pragma once

#include <stdexcept>
#include <string>

namespace strata {

// What went wrong, as far as the caller must react differently. The values
// are no exit codes: the CLI maps each kind to its own (docs/cli.md, "Exit
// codes"), and an application chooses its own. None is 0, so that code which
// returns a kind as a process status (as was once documented) never reports
// success.
enum class error_kind {
    check = 1,   // a migration failed, a check failed, history is inconsistent
    usage,       // bad arguments or bad input the user must fix
    connection,  // the database cannot be reached or opened
};

// "check", "usage" or "connection".
inline const char* to_string(error_kind kind) noexcept {
    switch (kind) {
        case error_kind::check:
            return "check";
        case error_kind::usage:
            return "usage";
        case error_kind::connection:
            return "connection";
    }
    return "check";
}

// What the caller can do to get past an error, besides fixing its cause, in
// the engine's terms. A message says what happened and what to fix; the
// way past it is worded by whoever called: the CLI as a flag, the embedded
// API as an option of migrate_options or the tool that can do it.
enum class remedy {
    none,
    allow_modified,   // proceed although an applied up script changed since
    ignore_missing,   // proceed although applied migrations are gone from the set
    resume,           // continue a migration that stopped part way outside a transaction
    lock_timeout,     // wait longer for a lock that another connection holds
    postgres_server,  // name a PostgreSQL server for the checks
    sequential,       // number a new migration instead of dating it
};

// Where in a migration set an error points. `line` is 1-based, 0 when unknown.
struct source_location {
    std::string file;
    int line = 0;
};

class error : public std::runtime_error {
  public:
    error(error_kind kind, const std::string& message, source_location where = {},
          strata::remedy way_out = remedy::none)
        : std::runtime_error(message), kind_(kind), where_(std::move(where)), remedy_(way_out) {}

    error_kind kind() const noexcept { return kind_; }
    const source_location& where() const noexcept { return where_; }
    strata::remedy remedy() const noexcept { return remedy_; }

  private:
    error_kind kind_;
    source_location where_;
    strata::remedy remedy_;
};

// A migration script failed on the database. Carries the migration's version,
// the location of the failing statement and the database's own message.
class migration_error : public error {
  public:
    migration_error(std::string version, source_location where, std::string database_message,
                    const std::string& message)
        : error(error_kind::check, message, std::move(where)),
          version_(std::move(version)),
          database_message_(std::move(database_message)) {}
    // For the embedded API, where every failure is a migration_error: the kind
    // tells a lost connection (retry later) from a broken migration.
    migration_error(error_kind kind, std::string version, source_location where,
                    std::string database_message, const std::string& message,
                    strata::remedy way_out = remedy::none)
        : error(kind, message, std::move(where), way_out),
          version_(std::move(version)),
          database_message_(std::move(database_message)) {}

    const std::string& version() const noexcept { return version_; }
    const std::string& database_message() const noexcept { return database_message_; }

  private:
    std::string version_;
    std::string database_message_;
};

}  // namespace strata
