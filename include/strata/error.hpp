// The one exception type of the engine, and the exit codes it maps to.
#pragma once

#include <stdexcept>
#include <string>

namespace strata {

// What went wrong, as far as the caller must react differently. The values are
// the CLI's exit codes (docs/cli.md, "Exit codes").
enum class error_kind {
    check = 1,       // a migration failed, a check failed, history is inconsistent
    usage = 2,       // bad arguments or bad input the user must fix
    connection = 3,  // the database cannot be reached or opened
};

// Where in a migration set an error points. `line` is 1-based, 0 when unknown.
struct source_location {
    std::string file;
    int line = 0;
};

class error : public std::runtime_error {
  public:
    error(error_kind kind, const std::string& message, source_location where = {})
        : std::runtime_error(message), kind_(kind), where_(std::move(where)) {}

    error_kind kind() const noexcept { return kind_; }
    const source_location& where() const noexcept { return where_; }

  private:
    error_kind kind_;
    source_location where_;
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
                    std::string database_message, const std::string& message)
        : error(kind, message, std::move(where)),
          version_(std::move(version)),
          database_message_(std::move(database_message)) {}

    const std::string& version() const noexcept { return version_; }
    const std::string& database_message() const noexcept { return database_message_; }

  private:
    std::string version_;
    std::string database_message_;
};

}  // namespace strata
