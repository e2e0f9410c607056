// The `strata` subcommands, each a thin layer over the engine. They return
// the process exit code; engine errors propagate as strata::error.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace strata::cli {

struct common_options {
    std::string url;  // --url or DATABASE_URL, or the first line of --url-file
    std::string dir = "migrations";
    bool dir_given = false;  // --dir on the command line: schema commands read the set, not --url
    std::string tracking_table;
    double lock_timeout_seconds = 60;
    bool allow_irreversible = false;
    std::string reversible_from;  // round-trip findings before it are warnings
    std::string schema;  // postgres: the schema migrated and introspected; empty: current_schema()
    double wait_seconds = 0;  // --wait[=S]: retry a starting server this long
    // Where migrations are applied for schema, header, check and diff: sqlite
    // (in memory) and/or postgres (a scratch database on --postgres-url, or on
    // a throwaway local server). Default: the backend of --url, else sqlite.
    std::vector<std::string> backends;
    std::string postgres_url;       // --postgres-url or STRATA_POSTGRES_URL
    std::string postgres_url_file;  // the same, read from a file: kept out of command lines
    std::string url_file;           // --url-file: the --url, read from a file
};

// Replaces --url and --postgres-url by the contents of --url-file and
// --postgres-url-file when given.
void read_url_files(common_options& common);

struct new_options {
    std::string name;
    std::string layout;  // empty: the set's own
    bool sequential = false;
};

struct up_command {
    std::string to;
    bool dry_run = false;
    bool single_transaction = false;
    bool allow_modified = false;
    bool ignore_missing = false;
    std::string backup;  // SQLite: an online backup here before applying
    bool resume = false;
};

struct down_command {
    int steps = 1;
    std::string to;
    bool all = false;
    bool dry_run = false;
};

struct status_command {
    bool json = false;
    bool exit_code = false;
};

struct schema_command {
    std::string format = "sql";
};

struct header_command {
    std::string ns;
    std::string out;
    std::vector<std::string> type_overrides;  // table.column=type
};

// `embed` and `check --embed-*`: the generated source of EMBED.
struct embed_command {
    std::string ns = "db";
    std::string include;     // include path of the header: app/db_migrations.hpp
    std::string out_header;  // where to write it
    std::string out_source;
    // The backends whose connections get migrate() and check_schema().
    std::vector<std::string> backends{"sqlite", "postgres"};
};

struct check_command {
    std::string snapshot;
    std::string snapshot_refresh;  // the command that rewrites the snapshot, told on drift
    bool roundtrip = false;
    bool json = false;
    std::vector<std::string> queries;  // query files, prepared against the schema
    // For the build (the CMake package): after the checks pass, write the
    // header, a depfile naming every input of the set, and touch the stamp.
    header_command header;
    embed_command embed;
    std::string depfile;
    std::string stamp;
};

// adopt --from TOOL and baseline --version V: taking a database over.
struct adopt_command {
    std::string from;     // adopt: diesel, sqlx or dbmate
    std::string version;  // baseline: the last migration to mark
    bool force = false;   // record although the schema differs
    bool allow_modified = false;
    bool dry_run = false;
};

int run_new(const common_options& common, const new_options& options);
int run_up(const common_options& common, const up_command& options);
int run_down(const common_options& common, const down_command& options);
int run_redo(const common_options& common, int steps);
int run_status(const common_options& common, const status_command& options);
int run_schema(const common_options& common, const schema_command& options);
int run_header(const common_options& common, const header_command& options);
int run_check(const common_options& common, const check_command& options);
int run_adopt(const common_options& common, const adopt_command& options);
int run_baseline(const common_options& common, const adopt_command& options);
int run_diff(const common_options& common, bool json);
int run_embed(const common_options& common, const embed_command& options);

}  // namespace strata::cli
