// strata: database migrations inside the C++ build. See README.md.
#include <sqlite3.h>
#include <CLI/CLI.hpp>

#include <iostream>

#include "commands.hpp"
#include "output.hpp"
#include "strata/error.hpp"
#include "strata/version.hpp"
#include "tooling/scratch/scratch.hpp"

namespace {

using namespace strata::cli;

void add_common_options(CLI::App& app, common_options& common) {
    app.add_option("--url", common.url,
                   "database URL: sqlite:path, sqlite::memory:, postgres://...")
        ->envname("DATABASE_URL");
    app.add_option("--url-file", common.url_file,
                   "file holding the --url, to keep a password off command lines");
    app.add_option("--dir", common.dir, "migration directory")
        ->capture_default_str()
        ->each([&common](const std::string&) { common.dir_given = true; });
    app.add_option("--tracking-table", common.tracking_table,
                   "tracking table name (default _strata_migrations)");
    app.add_option("--lock-timeout", common.lock_timeout_seconds,
                   "seconds to wait for a busy database or another migrator")
        ->capture_default_str();
    app.add_flag("--allow-irreversible", common.allow_irreversible,
                 "check: accept migrations without a down script");
    app.add_option("--reversible-from", common.reversible_from,
                   "check: missing, failing or non-restoring down scripts of migrations before "
                   "this version are warnings, from it on errors");
    app.add_option("--schema", common.schema,
                   "postgres: the schema migrations run in (search_path), which holds the "
                   "tracking table and is introspected (default: the connection's current one)");
    app.add_flag("--wait{60}", common.wait_seconds,
                 "postgres: wait up to S seconds (default 60) for a server that is starting");
    app.add_option("--backends", common.backends,
                   "scratch databases of schema, header, check and diff: sqlite,postgres")
        ->delimiter(',')
        ->check(CLI::IsMember({"sqlite", "postgres"}));
    app.add_option("--postgres-url", common.postgres_url,
                   "postgres server for scratch databases (default: a throwaway local one)")
        ->envname("STRATA_POSTGRES_URL");
    app.add_option("--postgres-url-file", common.postgres_url_file,
                   "file holding the --postgres-url, to keep a password off command lines");
}

}  // namespace

int main(int argc, char** argv) {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    CLI::App app{"strata: database migrations inside the C++ build", "strata"};
    app.require_subcommand(1);
    app.fallthrough();
    app.set_version_flag("--version", "strata " STRATA_VERSION_STRING);

    common_options common;
    add_common_options(app, common);
    std::function<int()> command;

    new_options new_opts;
    auto* new_cmd = app.add_subcommand("new", "create the up and down files of a new migration");
    new_cmd->add_option("name", new_opts.name, "migration name")->required();
    new_cmd->add_option("--layout", new_opts.layout, "diesel, sqlx or dbmate (default: the set's)")
        ->check(CLI::IsMember({"diesel", "sqlx", "dbmate"}));
    new_cmd->add_flag("--sequential", new_opts.sequential, "number instead of a UTC timestamp");
    new_cmd->callback([&] { command = [&] { return run_new(common, new_opts); }; });

    up_command up_opts;
    auto* up_cmd = app.add_subcommand("up", "apply pending migrations");
    up_cmd->add_option("--to", up_opts.to, "apply up to and including this version");
    up_cmd->add_flag("--dry-run", up_opts.dry_run, "print what would run, change nothing");
    up_cmd->add_flag("--single-transaction", up_opts.single_transaction,
                     "apply all pending migrations in one transaction");
    up_cmd->add_flag("--allow-modified", up_opts.allow_modified,
                     "proceed although applied migrations changed on disk");
    up_cmd->add_flag("--ignore-missing", up_opts.ignore_missing,
                     "proceed although applied migrations are missing on disk");
    up_cmd->add_option("--backup", up_opts.backup,
                       "SQLite: copy the database to this file before applying anything");
    up_cmd->add_flag("--resume", up_opts.resume,
                     "continue a migration that stopped part way outside a transaction");
    up_cmd->callback([&] { command = [&] { return run_up(common, up_opts); }; });

    down_command down_opts;
    auto* down_cmd = app.add_subcommand("down", "revert the latest applied migrations");
    auto* steps = down_cmd->add_option("--steps", down_opts.steps, "how many (default 1)");
    auto* to = down_cmd->add_option("--to", down_opts.to, "revert everything after this version");
    auto* all = down_cmd->add_flag("--all", down_opts.all, "revert everything");
    steps->excludes(to)->excludes(all);
    to->excludes(all);
    down_cmd->add_flag("--dry-run", down_opts.dry_run, "print what would run, change nothing");
    down_cmd->callback([&] { command = [&] { return run_down(common, down_opts); }; });

    int redo_steps = 1;
    auto* redo_cmd =
        app.add_subcommand("redo", "revert the latest migrations and apply them again");
    redo_cmd->add_option("--steps", redo_steps, "how many (default 1)");
    redo_cmd->callback([&] { command = [&] { return run_redo(common, redo_steps); }; });

    status_command status_opts;
    auto* status_cmd =
        app.add_subcommand("status", "applied, pending, modified and missing migrations");
    status_cmd->add_flag("--json", status_opts.json, "machine-readable output");
    status_cmd->add_flag("--exit-code", status_opts.exit_code,
                         "exit 1 when anything is pending, modified or missing");
    status_cmd->callback([&] { command = [&] { return run_status(common, status_opts); }; });

    schema_command schema_opts;
    auto* schema_cmd = app.add_subcommand(
        "schema", "the canonical schema of --url, or of --dir applied to a scratch database");
    schema_cmd->add_option("--format", schema_opts.format, "sql, json, mermaid or dot")
        ->check(CLI::IsMember({"sql", "json", "mermaid", "dot"}))
        ->capture_default_str();
    schema_cmd->callback([&] { command = [&] { return run_schema(common, schema_opts); }; });

    header_command header_opts;
    auto* header_cmd = app.add_subcommand("header", "write the C++ schema header");
    header_cmd->add_option("--namespace", header_opts.ns, "C++ namespace, like app::db")
        ->required();
    header_cmd->add_option("--out", header_opts.out, "header file (rewritten only on change)")
        ->required();
    header_cmd->add_option("--type", header_opts.type_overrides,
                           "table.column=C++ type, overriding the type mapping");
    header_cmd->callback([&] { command = [&] { return run_header(common, header_opts); }; });

    check_command check_opts;
    auto* check_cmd = app.add_subcommand("check", "every build-time check of the migration set");
    check_cmd->add_option("--snapshot", check_opts.snapshot, "canonical schema file to compare");
    check_cmd->add_flag("--roundtrip", check_opts.roundtrip,
                        "prove each down script restores the schema before its up script");
    check_cmd->add_flag("--json", check_opts.json, "findings as JSON");
    check_cmd->add_option("--queries", check_opts.queries,
                          "query files of named queries (-- name: x) to prepare against the "
                          "schema; --header then declares their types");
    check_cmd->add_option("--snapshot-refresh", check_opts.snapshot_refresh,
                          "the command that rewrites the snapshot, shown on drift");
    check_cmd->add_option("--header", check_opts.header.out,
                          "when the checks pass, write the C++ schema header here");
    check_cmd->add_option("--namespace", check_opts.header.ns, "namespace of --header")
        ->capture_default_str();
    check_cmd->add_option("--type", check_opts.header.type_overrides,
                          "table.column=C++ type for --header");
    check_cmd->add_option("--embed-namespace", check_opts.embed.ns,
                          "namespace of the embedded set");
    check_cmd->add_option("--embed-include", check_opts.embed.include,
                          "include path of the embedded set's header");
    check_cmd->add_option("--embed-header", check_opts.embed.out_header,
                          "when the checks pass, write the embedded set's header here");
    check_cmd->add_option("--embed-source", check_opts.embed.out_source, "... and its source here");
    check_cmd
        ->add_option("--embed-backends", check_opts.embed.backends,
                     "backends whose connections the embedded set's migrate() takes")
        ->check(CLI::IsMember({"sqlite", "postgres"}))
        ->delimiter(',');
    check_cmd->add_option("--depfile", check_opts.depfile,
                          "write a depfile of every input of the set (for build systems)");
    check_cmd->add_option("--stamp", check_opts.stamp, "touch this file when every check passes");
    check_cmd->callback([&] { command = [&] { return run_check(common, check_opts); }; });

    embed_command embed_opts;
    auto* embed_cmd = app.add_subcommand(
        "embed", "write the C++ header and source that compile the migrations into a program");
    embed_cmd->add_option("--namespace", embed_opts.ns, "C++ namespace, like app::db")->required();
    embed_cmd
        ->add_option("--include", embed_opts.include,
                     "include path of the header, like app/db_migrations.hpp")
        ->required();
    embed_cmd->add_option("--out-header", embed_opts.out_header, "header file")->required();
    embed_cmd->add_option("--out-source", embed_opts.out_source, "source file")->required();
    embed_cmd
        ->add_option("--embed-backends", embed_opts.backends,
                     "backends whose connections migrate() takes (default: sqlite,postgres)")
        ->check(CLI::IsMember({"sqlite", "postgres"}))
        ->delimiter(',');
    embed_cmd->callback([&] { command = [&] { return run_embed(common, embed_opts); }; });

    adopt_command adopt_opts;
    auto* adopt_cmd = app.add_subcommand(
        "adopt", "take over a database that diesel, sqlx or dbmate migrated: import its history");
    adopt_cmd->add_option("--from", adopt_opts.from, "the tool: diesel, sqlx or dbmate")
        ->required()
        ->check(CLI::IsMember({"diesel", "sqlx", "dbmate"}));
    auto* baseline_cmd = app.add_subcommand(
        "baseline", "mark the migrations up to --version as applied on a database made otherwise");
    baseline_cmd->add_option("--version", adopt_opts.version, "the last migration to mark")
        ->required();
    for (auto* cmd : {adopt_cmd, baseline_cmd}) {
        cmd->add_flag("--force", adopt_opts.force,
                      "record although the live schema differs from the migrations'");
        cmd->add_flag("--dry-run", adopt_opts.dry_run, "print what would be recorded");
    }
    adopt_cmd->add_flag("--allow-modified", adopt_opts.allow_modified,
                        "sqlx: accept migrations edited since sqlx applied them");
    adopt_cmd->callback([&] { command = [&] { return run_adopt(common, adopt_opts); }; });
    baseline_cmd->callback([&] { command = [&] { return run_baseline(common, adopt_opts); }; });

    bool diff_json = false;
    auto* diff_cmd =
        app.add_subcommand("diff", "how a live --url database differs from the schema of --dir");
    diff_cmd->add_flag("--json", diff_json, "findings as JSON");
    diff_cmd->callback([&] { command = [&] { return run_diff(common, diff_json); }; });

    // Before any thread starts: an interrupted check drops its scratch databases.
    strata::drop_scratch_databases_on_signals();
    try {
        app.parse(argc, argv);
    } catch (const CLI::Success& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return static_cast<int>(strata::error_kind::usage);
    }

    try {
        read_url_files(common);
        return command();
    } catch (const reported_error& e) {
        std::cerr << "strata: " << e.what() << "\n";
        return static_cast<int>(e.kind());
    } catch (const strata::error& e) {
        print_error(std::cerr, e);
        return static_cast<int>(e.kind());
    } catch (const std::exception& e) {
        std::cerr << "strata: internal error: " << e.what() << "\n";
        return 70;  // EX_SOFTWARE: a bug, not a user error
    }
}
