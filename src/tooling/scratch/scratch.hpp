// Scratch databases: where the build-time checks apply a migration set
// without touching any real database. SQLite's live in memory; PostgreSQL's
// are uniquely named databases on a server, dropped afterwards.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "strata/database.hpp"
#include "strata/diagnostic.hpp"
#include "strata/migration_set.hpp"
#include "strata/postgres/database_url.hpp"
#include "strata/schema.hpp"

namespace strata {

// Which backend the checks run on, and for PostgreSQL, where.
struct scratch_target {
    backend_kind backend = backend_kind::sqlite;
    // postgres: a server on which Strata may create and drop databases. Empty:
    // a throwaway local server (see local_postgres_server.hpp).
    std::string server_url;
};

// What the database reports about a statement it prepared without running it.
struct described_column {
    std::string name;          // as the database names the result column (its alias)
    std::string type;          // SQLite: the origin column's declared type; PostgreSQL:
                               // format_type() of the column's type. Empty when unknown.
    std::string origin_table;  // the table (or view) the value is read from, or empty
    std::string origin_column;
};

struct statement_description {
    std::string error;  // the database's message when it cannot prepare the statement
    std::size_t error_offset = static_cast<std::size_t>(-1);  // byte in the SQL it points at
    std::vector<std::string> parameter_types;  // format_type() names; empty strings on SQLite
    std::vector<described_column> columns;
};

class scratch {
  public:
    virtual ~scratch() = default;

    // Applies migrations [0, count) of `set` (all when count is npos).
    // Throws strata::migration_error for a failing script.
    void apply(const migration_set& set, std::size_t count = static_cast<std::size_t>(-1));

    virtual database& backend() = 0;
    virtual strata::schema schema() { return backend().read_schema(); }
    // Equal fingerprints mean equal schemas; a cheap first comparison.
    // Written into `into`, whose memory a round trip reuses thousands of times.
    virtual void fingerprint(std::string& into);
    // Prepares `sql` (one statement, parameters numbered as this backend
    // spells them) against the current schema. Never runs it.
    virtual statement_description describe(const std::string& sql) = 0;
    // What the database finds wrong with its content after `m` ran (SQLite:
    // foreign_key_check, integrity_check), as findings about `m`; `last`: the
    // set's last migration ran. PostgreSQL checks every write: nothing to
    // find afterwards.
    virtual diagnostics violations_after(const migration& /*m*/, bool /*last*/) { return {}; }
};

// A fresh, empty scratch database on `target`.
std::unique_ptr<scratch> make_scratch(const scratch_target& target = {});

// Makes SIGINT, SIGTERM, SIGHUP and SIGQUIT drop the PostgreSQL scratch
// databases (and stop the throwaway server) before the process ends as the
// signal says. For programs (the strata CLI); call it before starting threads.
void drop_scratch_databases_on_signals();

// The schema that `set` produces on a fresh scratch database.
schema scratch_schema(const migration_set& set, const scratch_target& target = {});

// The schema that canonical SQL text (a snapshot file) describes.
schema schema_of_sql(const std::string& sql, const std::string& file,
                     const scratch_target& target = {});

}  // namespace strata
