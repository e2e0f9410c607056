// Migrations compiled into an application, and migrating at startup: what
// `add_migrations(... EMBED app/db_migrations.hpp)` generates code for. The
// generated functions (app::db::migrate, app::db::check_schema) call the
// overloads for each backend's connection type: strata/sqlite/embedded.hpp
// (Strata::sqlite) and strata/postgres/embedded.hpp (Strata::postgres).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "strata/foreign_history.hpp"
#include "strata/migration_set.hpp"
#include "strata/schema_diff.hpp"
#include "strata/tracking.hpp"

namespace strata {

class database;

// One migration as the generated source holds it: no file I/O at run time.
struct embedded_migration {
    std::string_view version;
    std::string_view name;
    std::string_view up_file;  // relative to the set's parent directory
    int up_first_line;
    std::string_view up;
    std::string_view down_file;  // empty when it has no down script to run
    int down_first_line;
    std::string_view down;
    std::string_view checksum;
    bool run_in_transaction;
    bool revert_in_transaction;
    strata::reversal reversal;
};

struct embedded_set {
    std::string_view name;  // the migration directory's name
    strata::layout layout;  // whose rule tells its versions apart
    const embedded_migration* migrations;
    std::size_t size;
    // The schema the set produces, as to_json writes it; empty when it was not
    // computed (PostgreSQL's needs add_migrations(... BACKEND postgres)).
    std::string_view sqlite_schema;
    std::string_view postgres_schema;
};

struct migrate_options {
    std::optional<std::string> target_version;  // apply up to and including this one
    bool dry_run = false;                       // report what would be applied, change nothing
    std::chrono::milliseconds lock_timeout{std::chrono::seconds(60)};
    std::string tracking_table = default_tracking_table;
    // A database with migrations this binary does not know (a newer
    // deployment ran first) is refused unless this is set.
    bool allow_unknown_applied = false;
    // A database that this tool migrated is taken over first, as `strata
    // adopt --from` does: its history is imported (the tool's table is left
    // as it is) once the live schema is the one those migrations produce.
    // Without the tool's table, nothing happens: a fresh database migrates.
    std::optional<foreign_tool> adopt_from;
    // Called after each migration with its version, name and duration.
    std::function<void(std::string_view version, std::string_view name,
                       std::chrono::milliseconds elapsed)>
        progress;
};

struct migrate_report {
    struct step {
        std::string version;
        std::string name;
        std::chrono::milliseconds elapsed{0};
    };
    std::vector<step> applied;  // in order; with dry_run, what would be applied
};

// The embedded set as the engine reads sets. The migrations are validated
// when generated; this copies the text into the engine's types.
migration_set to_migration_set(const embedded_set& set);

// Applies what is pending, with the same tracking table, checksums and lock
// as the CLI. Every failure is a strata::migration_error carrying the version,
// the file and line, and the database's own message.
migrate_report migrate(database& db, const embedded_set& set, const migrate_options& options = {});

// How the live database differs from the schema compiled in for its backend
// (expected -> live); empty when it has exactly that schema.
std::vector<schema_change> check_schema(database& db, const embedded_set& set);

}  // namespace strata
