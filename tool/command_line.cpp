#include "command_line.hpp"

#include <memory>

#include "commands.hpp"

namespace strata::cli {

namespace {

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

// When `cmd` is the subcommand given, `chosen` becomes `run` of its options.
// The options live as long as the callback, which the subcommand holds.
template <typename Options, typename Run>
void run_when_chosen(CLI::App* cmd, const common_options& common, chosen_command& chosen,
                     std::shared_ptr<Options> options, Run run) {
    cmd->callback([&common, &chosen, options, run] {
        chosen = [&common, options, run] { return run(common, *options); };
    });
}

// Each add_*_command registers a subcommand and its options.
void add_new_command(CLI::App& app, const common_options& common, chosen_command& chosen) {
    auto options = std::make_shared<new_options>();
    auto* cmd = app.add_subcommand("new", "create the up and down files of a new migration");
    cmd->add_option("name", options->name, "migration name")->required();
    cmd->add_option("--layout", options->layout, "diesel, sqlx or dbmate (default: the set's)")
        ->check(CLI::IsMember({"diesel", "sqlx", "dbmate"}));
    cmd->add_flag("--sequential", options->sequential, "number instead of a UTC timestamp");
    run_when_chosen(cmd, common, chosen, options, run_new);
}

void add_up_command(CLI::App& app, const common_options& common, chosen_command& chosen) {
    auto options = std::make_shared<up_command>();
    auto* cmd = app.add_subcommand("up", "apply pending migrations");
    cmd->add_option("--to", options->to, "apply up to and including this version");
    cmd->add_flag("--dry-run", options->dry_run, "print what would run, change nothing");
    cmd->add_flag("--single-transaction", options->single_transaction,
                  "apply all pending migrations in one transaction");
    cmd->add_flag("--allow-modified", options->allow_modified,
                  "proceed although applied migrations changed on disk");
    cmd->add_flag("--ignore-missing", options->ignore_missing,
                  "proceed although applied migrations are missing on disk");
    cmd->add_option("--backup", options->backup,
                    "SQLite: copy the database to this file before applying anything");
    cmd->add_flag("--resume", options->resume,
                  "continue a migration that stopped part way outside a transaction");
    run_when_chosen(cmd, common, chosen, options, run_up);
}

void add_down_command(CLI::App& app, const common_options& common, chosen_command& chosen) {
    auto options = std::make_shared<down_command>();
    auto* cmd = app.add_subcommand("down", "revert the latest applied migrations");
    auto* steps = cmd->add_option("--steps", options->steps, "how many (default 1)");
    auto* to = cmd->add_option("--to", options->to, "revert everything after this version");
    auto* all = cmd->add_flag("--all", options->all, "revert everything");
    steps->excludes(to)->excludes(all);
    to->excludes(all);
    cmd->add_flag("--dry-run", options->dry_run, "print what would run, change nothing");
    run_when_chosen(cmd, common, chosen, options, run_down);
}

void add_redo_command(CLI::App& app, const common_options& common, chosen_command& chosen) {
    auto steps = std::make_shared<int>(1);
    auto* cmd = app.add_subcommand("redo", "revert the latest migrations and apply them again");
    cmd->add_option("--steps", *steps, "how many (default 1)");
    run_when_chosen(cmd, common, chosen, steps, run_redo);
}

void add_status_command(CLI::App& app, const common_options& common, chosen_command& chosen) {
    auto options = std::make_shared<status_command>();
    auto* cmd = app.add_subcommand("status", "applied, pending, modified and missing migrations");
    cmd->add_flag("--json", options->json, "machine-readable output");
    cmd->add_flag("--exit-code", options->exit_code,
                  "exit 1 when anything is pending, modified or missing");
    run_when_chosen(cmd, common, chosen, options, run_status);
}

void add_schema_command(CLI::App& app, const common_options& common, chosen_command& chosen) {
    auto options = std::make_shared<schema_command>();
    auto* cmd = app.add_subcommand(
        "schema", "the canonical schema of --url, or of --dir applied to a scratch database");
    cmd->add_option("--format", options->format, "sql, json, mermaid or dot")
        ->check(CLI::IsMember({"sql", "json", "mermaid", "dot"}))
        ->capture_default_str();
    run_when_chosen(cmd, common, chosen, options, run_schema);
}

void add_header_command(CLI::App& app, const common_options& common, chosen_command& chosen) {
    auto options = std::make_shared<header_command>();
    auto* cmd = app.add_subcommand("header", "write the C++ schema header");
    cmd->add_option("--namespace", options->ns, "C++ namespace, like app::db")->required();
    cmd->add_option("--out", options->out, "header file (rewritten only on change)")->required();
    cmd->add_option("--type", options->type_overrides,
                    "table.column=C++ type, overriding the type mapping");
    run_when_chosen(cmd, common, chosen, options, run_header);
}

void add_check_command(CLI::App& app, const common_options& common, chosen_command& chosen) {
    auto options = std::make_shared<check_command>();
    auto* cmd = app.add_subcommand("check", "every build-time check of the migration set");
    cmd->add_option("--snapshot", options->snapshot, "canonical schema file to compare");
    cmd->add_flag("--roundtrip", options->roundtrip,
                  "prove each down script restores the schema before its up script");
    cmd->add_flag("--json", options->json, "findings as JSON");
    cmd->add_option("--queries", options->queries,
                    "query files of named queries (-- name: x) to prepare against the "
                    "schema; --header then declares their types");
    cmd->add_option("--snapshot-refresh", options->snapshot_refresh,
                    "the command that rewrites the snapshot, shown on drift");
    cmd->add_option("--header", options->header.out,
                    "when the checks pass, write the C++ schema header here");
    cmd->add_option("--namespace", options->header.ns, "namespace of --header")
        ->capture_default_str();
    cmd->add_option("--type", options->header.type_overrides, "table.column=C++ type for --header");
    cmd->add_option("--embed-namespace", options->embed.ns, "namespace of the embedded set");
    cmd->add_option("--embed-include", options->embed.include,
                    "include path of the embedded set's header");
    cmd->add_option("--embed-header", options->embed.out_header,
                    "when the checks pass, write the embedded set's header here");
    cmd->add_option("--embed-source", options->embed.out_source, "... and its source here");
    cmd->add_option("--embed-backends", options->embed.backends,
                    "backends whose connections the embedded set's migrate() takes")
        ->check(CLI::IsMember({"sqlite", "postgres"}))
        ->delimiter(',');
    cmd->add_option("--depfile", options->depfile,
                    "write a depfile of every input of the set (for build systems)");
    cmd->add_option("--stamp", options->stamp, "touch this file when every check passes");
    run_when_chosen(cmd, common, chosen, options, run_check);
}

void add_embed_command(CLI::App& app, const common_options& common, chosen_command& chosen) {
    auto options = std::make_shared<embed_command>();
    auto* cmd = app.add_subcommand(
        "embed", "write the C++ header and source that compile the migrations into a program");
    cmd->add_option("--namespace", options->ns, "C++ namespace, like app::db")->required();
    cmd->add_option("--include", options->include,
                    "include path of the header, like app/db_migrations.hpp")
        ->required();
    cmd->add_option("--out-header", options->out_header, "header file")->required();
    cmd->add_option("--out-source", options->out_source, "source file")->required();
    cmd->add_option("--embed-backends", options->backends,
                    "backends whose connections migrate() takes (default: sqlite,postgres)")
        ->check(CLI::IsMember({"sqlite", "postgres"}))
        ->delimiter(',');
    run_when_chosen(cmd, common, chosen, options, run_embed);
}

// adopt and baseline share their options: both take a database over.
void add_adopt_commands(CLI::App& app, const common_options& common, chosen_command& chosen) {
    auto options = std::make_shared<adopt_command>();
    auto* adopt = app.add_subcommand(
        "adopt", "take over a database that diesel, sqlx or dbmate migrated: import its history");
    adopt->add_option("--from", options->from, "the tool: diesel, sqlx or dbmate")
        ->required()
        ->check(CLI::IsMember({"diesel", "sqlx", "dbmate"}));
    auto* baseline = app.add_subcommand(
        "baseline", "mark the migrations up to --version as applied on a database made otherwise");
    baseline->add_option("--version", options->version, "the last migration to mark")->required();
    for (auto* cmd : {adopt, baseline}) {
        cmd->add_flag("--force", options->force,
                      "record although the live schema differs from the migrations'");
        cmd->add_flag("--dry-run", options->dry_run, "print what would be recorded");
    }
    adopt->add_flag("--allow-modified", options->allow_modified,
                    "sqlx: accept migrations edited since sqlx applied them");
    run_when_chosen(adopt, common, chosen, options, run_adopt);
    run_when_chosen(baseline, common, chosen, options, run_baseline);
}

void add_diff_command(CLI::App& app, const common_options& common, chosen_command& chosen) {
    auto json = std::make_shared<bool>(false);
    auto* cmd =
        app.add_subcommand("diff", "how a live --url database differs from the schema of --dir");
    cmd->add_flag("--json", *json, "findings as JSON");
    run_when_chosen(cmd, common, chosen, json, run_diff);
}

}  // namespace

void add_commands(CLI::App& app, common_options& common, chosen_command& chosen) {
    add_common_options(app, common);
    for (const auto add :
         {add_new_command, add_up_command, add_down_command, add_redo_command, add_status_command,
          add_schema_command, add_header_command, add_check_command, add_embed_command,
          add_adopt_commands, add_diff_command})
        add(app, common, chosen);
}

}  // namespace strata::cli
