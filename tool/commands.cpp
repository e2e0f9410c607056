#include "commands.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "engine/adoption.hpp"
#include "output.hpp"
#include "schema/dump.hpp"
#include "strata/error.hpp"
#include "strata/foreign_history.hpp"
#include "strata/migrator.hpp"
#include "strata/schema_diff.hpp"
#include "tooling/adoption_hint.hpp"
#include "tooling/checks/checks.hpp"
#include "tooling/codegen/embed.hpp"
#include "tooling/codegen/header.hpp"
#include "tooling/open_database.hpp"
#include "tooling/scaffold.hpp"
#include "tooling/scratch/scratch.hpp"

namespace strata::cli {

namespace {

// Missing down scripts are no problem of the set here: applying needs none,
// `down` refuses the migration, and `check` is where they fail the build.
migration_set load_set(const common_options& common) {
    migration_set set = read_migration_set(common.dir);
    print_diagnostics(std::cerr, set.diagnostics);
    if (!set.ok())
        throw reported_error(error_kind::check,
                             fmt::format("'{}' is not a valid migration set", common.dir));
    return set;
}

std::chrono::milliseconds timeout(const common_options& common) {
    return std::chrono::milliseconds(static_cast<long long>(common.lock_timeout_seconds * 1000));
}

std::unique_ptr<database> open(const common_options& common, bool read_only) {
    if (common.url.empty())
        throw error(error_kind::usage, "no database: pass --url or set DATABASE_URL");
    open_options options;
    if (!common.tracking_table.empty())
        options.tracking_table = common.tracking_table;
    options.timeout = timeout(common);
    options.read_only = read_only;
    options.schema = common.schema;
    options.wait = std::chrono::milliseconds(static_cast<long long>(common.wait_seconds * 1000));
    return open_database(parse_database_url(common.url), options);
}

// A version given on the command line, read by the rule of the set's layout.
std::optional<migration_version> parse_version_option(const migration_set& set,
                                                      const std::string& flag,
                                                      const std::string& text) {
    if (text.empty())
        return std::nullopt;
    auto v = set.parse_version(text);
    if (!v)
        throw error(error_kind::usage, flag + " '" + text + "' is not a version");
    return v;
}

// The same, naming a migration of the set: checked before the database is
// opened, so that a mistyped version leaves no new database file behind.
// `down --to 0` names the start of the history.
std::optional<migration_version> parse_migration_option(const migration_set& set,
                                                        const std::string& flag,
                                                        const std::string& text,
                                                        bool zero_allowed = false) {
    auto v = parse_version_option(set, flag, text);
    if (v && !set.find(*v) && !(zero_allowed && *v == *set.parse_version("0")))
        throw error(error_kind::usage, flag + " " + text + ": no such migration");
    return v;
}

// Prints each migration as it is applied or reverted (or would be).
migrator_options progress_printer(bool dry_run) {
    migrator_options options;
    options.on_done = [dry_run](const step_report& step) {
        const bool up = step.dir == direction::up;
        if (dry_run)
            fmt::print("would {} {}\n", up ? "apply" : "revert", step.m->id());
        else
            fmt::print("{} {} ({} ms)\n", up ? "applied" : "reverted", step.m->id(),
                       step.elapsed.count());
        std::fflush(stdout);
    };
    return options;
}

std::string read_url_file(const std::string& option, const std::string& path) {
    std::ifstream in(path);
    std::string url;
    if (!in || !std::getline(in, url) || url.empty())
        throw error(error_kind::usage, option + " '" + path + "' cannot be read or holds no url");
    return url;
}

// The backends named on the command line (which CLI11 checked).
std::vector<backend_kind> backend_kinds(const std::vector<std::string>& names) {
    std::vector<backend_kind> kinds;
    for (const auto& name : names)
        kinds.push_back(backend_named(name).value_or(backend_kind::sqlite));
    return kinds;
}

bool has_backend(const std::vector<std::string>& names, backend_kind b) {
    const auto kinds = backend_kinds(names);
    return std::find(kinds.begin(), kinds.end(), b) != kinds.end();
}

std::vector<scratch_target> scratch_targets(const common_options& common) {
    std::vector<backend_kind> backends = backend_kinds(common.backends);
    if (backends.empty())
        backends.push_back(common.url.empty() ? backend_kind::sqlite
                                              : parse_database_url(common.url).backend);
    std::vector<scratch_target> targets;
    for (const backend_kind b : backends) {
        scratch_target target;
        target.backend = b;
        if (b == backend_kind::postgres)
            target.server_url = common.postgres_url;
        targets.push_back(target);
    }
    return targets;
}

// The set applied to a scratch database of the first backend; a failing
// migration is reported like any other finding.
schema schema_of_set(const common_options& common, const migration_set& set) {
    try {
        return scratch_schema(set, scratch_targets(common).front());
    } catch (const migration_error& e) {
        throw error(error_kind::check, e.what(), e.where(), e.remedy());
    }
}

// How a generated file names its source: no absolute path, so that the same
// input gives the same bytes on every machine.
std::string set_name(const std::string& dir) {
    auto path = std::filesystem::path(dir).lexically_normal();
    if (path.filename().empty())
        path = path.parent_path();
    return path.filename().string();
}

// Schema commands read --url when given, unless --dir was named explicitly.
schema source_schema(const common_options& common, std::string& source) {
    if (common.dir_given || common.url.empty()) {
        source = set_name(common.dir);
        return schema_of_set(common, load_set(common));
    }
    source = redact_url(common.url);
    return open(common, true)->read_schema();
}

// The newest migration of --url, ordered by the rule of the set at --dir
// when there is one; else of the set.
std::string latest_version(const common_options& common) {
    migration_set set;
    try {
        set = read_migration_set(common.dir);
    } catch (const error&) {
        // No set beside a live database: its records in the number rule's order.
    }
    if (!common.dir_given && !common.url.empty()) {
        auto db = open(common, true);
        const auto rows = compute_status(set, db->applied_migrations());
        for (auto it = rows.rbegin(); it != rows.rend(); ++it)
            if (it->record)
                return it->version;
        return {};
    }
    return set.migrations.empty() ? std::string() : set.migrations.back().version.str();
}

void write_header(const schema& s, const header_command& options, const std::string& source,
                  const std::string& version, const std::vector<std::string>& reserved = {},
                  const std::vector<described_query>& queries = {}) {
    header_options header;
    header.queries = queries;
    header.ns = options.ns;
    header.reserved_names = reserved;
    header.source = source;
    header.schema_version = version;
    for (const auto& o : options.type_overrides) {
        const auto eq = o.find('=');
        if (eq == std::string::npos || o.find('.') > eq)
            throw error(error_kind::usage, "--type '" + o + "': expected table.column=type");
        header.type_overrides[o.substr(0, eq)] = o.substr(eq + 1);
    }
    const bool wrote = write_if_changed(options.out, generate_header(s, header));
    fmt::print("{} {}\n", wrote ? "wrote" : "unchanged", options.out);
}

// A Makefile-syntax depfile: `target: input...`, spaces escaped, as Ninja
// and CMake's DEPFILE read it.
void write_depfile(const std::string& path, const std::string& target,
                   const std::vector<std::filesystem::path>& inputs) {
    auto escape = [](const std::string& p) {
        std::string out;
        for (char c : p) {
            if (c == ' ' || c == '#')
                out.push_back('\\');
            if (c == '$')
                out.push_back('$');
            out.push_back(c);
        }
        return out;
    };
    std::string text = escape(std::filesystem::absolute(target).generic_string()) + ":";
    for (const auto& input : inputs)
        text += " \\\n  " +
                escape(std::filesystem::absolute(input).lexically_normal().generic_string());
    write_if_changed(path, text + "\n");
}

// The header and source of EMBED, with the schemas check_schema() compares
// with as JSON (empty when unknown).
void write_embedded(const migration_set& set, const embed_command& options,
                    const std::string& sqlite_schema, const std::string& postgres_schema = {}) {
    if (options.out_header.empty() || options.out_source.empty() || options.include.empty())
        throw error(error_kind::usage,
                    "embedding needs the header's include path and both output files");
    embed_options embed;
    embed.ns = options.ns;
    embed.header = options.include;
    embed.sqlite_schema = sqlite_schema;
    embed.postgres_schema = postgres_schema;
    embed.sqlite = has_backend(options.backends, backend_kind::sqlite);
    embed.postgres = has_backend(options.backends, backend_kind::postgres);
    for (const auto& [path, text] : {std::pair{options.out_header, embedded_header(embed)},
                                     std::pair{options.out_source, embedded_source(set, embed)}}) {
        if (const auto parent = std::filesystem::path(path).parent_path(); !parent.empty())
            std::filesystem::create_directories(parent);
        fmt::print("{} {}\n", write_if_changed(path, text) ? "wrote" : "unchanged", path);
    }
}

std::string sqlite_json_of(const migration_set& set) {
    try {
        return to_json(scratch_schema(set)).dump();
    } catch (const error&) {
        return {};  // a set for PostgreSQL only
    }
}

void touch(const std::string& path) {
    std::ofstream(path, std::ios::app).close();
    std::error_code ec;
    std::filesystem::last_write_time(path, std::filesystem::file_time_type::clock::now(), ec);
}

migrator_options run_options(const common_options& common) {
    auto options = progress_printer(false);
    options.lock_timeout = timeout(common);
    return options;
}

void print_dry_run(const run_report& report) {
    auto printer = progress_printer(true);
    for (const auto& step : report.steps)
        printer.on_done(step);
}

}  // namespace

void read_url_files(common_options& common) {
    if (!common.url_file.empty())
        common.url = read_url_file("--url-file", common.url_file);
    if (!common.postgres_url_file.empty())
        common.postgres_url = read_url_file("--postgres-url-file", common.postgres_url_file);
}

int run_new(const common_options& common, const new_options& options) {
    scaffold_options scaffold;
    scaffold.sequential = options.sequential;
    if (options.layout == "diesel")
        scaffold.layout = layout::diesel;
    if (options.layout == "sqlx")
        scaffold.layout = layout::sqlx;
    if (options.layout == "dbmate")
        scaffold.layout = layout::dbmate;
    for (const auto& path : scaffold_migration(common.dir, options.name, scaffold))
        fmt::print("created {}\n", path.generic_string());
    return 0;
}

int run_up(const common_options& common, const up_command& options) {
    const migration_set set = load_set(common);
    up_options up;
    up.to = parse_migration_option(set, "--to", options.to);
    auto db = open(common, options.dry_run);
    migrator engine(*db, set, run_options(common));
    up.dry_run = options.dry_run;
    up.single_transaction = options.single_transaction;
    up.allow_modified = options.allow_modified;
    up.ignore_missing = options.ignore_missing;
    up.resume = options.resume;
    if (!options.backup.empty()) {
        if (db->backend() != backend_kind::sqlite)
            db->backup_to(options.backup);  // refuses, with the advice
        up.before_applying = [&] {
            db->backup_to(options.backup);
            fmt::print("backed up the database to {}\n", options.backup);
        };
    }
    const run_report report = engine.up(up);
    if (options.dry_run)
        print_dry_run(report);
    if (report.steps.empty())
        fmt::print("nothing to apply: the database is up to date\n");
    return 0;
}

int run_down(const common_options& common, const down_command& options) {
    const migration_set set = load_set(common);
    down_options down;
    down.steps = options.steps;
    down.to = parse_migration_option(set, "--to", options.to, true);
    auto db = open(common, options.dry_run);
    migrator engine(*db, set, run_options(common));
    down.all = options.all;
    down.dry_run = options.dry_run;
    const run_report report = engine.down(down);
    if (options.dry_run)
        print_dry_run(report);
    if (report.steps.empty())
        fmt::print("nothing to revert\n");
    return 0;
}

int run_redo(const common_options& common, int steps) {
    const migration_set set = load_set(common);
    auto db = open(common, false);
    migrator engine(*db, set, run_options(common));
    if (engine.redo(steps).steps.empty())
        fmt::print("nothing to redo\n");
    return 0;
}

int run_status(const common_options& common, const status_command& options) {
    const migration_set set = load_set(common);
    auto db = open(common, true);
    const auto rows = migrator(*db, set).status();
    std::vector<foreign_history> foreign;
    try {
        foreign = read_foreign_histories(*db);
    } catch (const error& e) {
        std::cerr << "strata: note: cannot read another tool's history: " << e.what() << "\n";
    }
    if (options.json)
        std::cout << status_json(rows, foreign).dump(2) << "\n";
    else
        print_status(std::cout, rows, foreign);
    if (!options.exit_code)
        return 0;
    for (const auto& row : rows)
        if (row.status != migration_status::applied)
            return 1;
    return 0;
}

int run_schema(const common_options& common, const schema_command& options) {
    std::string source;
    const schema s = source_schema(common, source);
    if (options.format == "json")
        std::cout << to_json(s).dump(2) << "\n";
    else if (options.format == "mermaid")
        std::cout << dump_mermaid(s);
    else if (options.format == "dot")
        std::cout << dump_dot(s);
    else
        std::cout << dump_sql(s);
    return 0;
}

int run_header(const common_options& common, const header_command& options) {
    std::string source;
    const schema s = source_schema(common, source);
    write_header(s, options, source, latest_version(common));
    return 0;
}

int run_check(const common_options& common, const check_command& options) {
    const migration_set set = read_migration_set(common.dir);
    // Written first: a failing build must still rerun once a file changes.
    if (!options.depfile.empty()) {
        auto inputs = set.inputs;
        inputs.insert(inputs.end(), options.queries.begin(), options.queries.end());
        write_depfile(options.depfile, options.stamp.empty() ? options.header.out : options.stamp,
                      inputs);
    }
    const auto targets = scratch_targets(common);
    check_options check;
    check.allow_irreversible = common.allow_irreversible;
    check.reversible_from = parse_version_option(set, "--reversible-from", common.reversible_from);
    if (!options.snapshot.empty())
        check.snapshot = options.snapshot;
    check.snapshot_refresh = options.snapshot_refresh;
    check.roundtrip = options.roundtrip;
    backends_check_result result = run_checks_on_backends(set, check, options.queries, targets);
    const diagnostics& findings = result.findings;
    const auto& final_schemas = result.final_schemas;
    const bool ok = !has_errors(findings);
    if (options.json) {
        std::cout << findings_json(findings).dump(2) << "\n";
    } else {
        print_diagnostics(std::cerr, findings);
        if (ok)
            fmt::print("ok: {} migration(s) in {} pass every check\n", set.migrations.size(),
                       common.dir);
    }
    if (!ok)
        return 1;
    // The EMBED header declares these in its namespace.
    std::vector<std::string> reserved;
    if (!options.embed.out_source.empty() && options.embed.ns == options.header.ns)
        reserved = embedded_names();
    if (!options.header.out.empty())
        write_header(final_schemas.at(targets.front().backend), options.header,
                     set_name(common.dir),
                     set.migrations.empty() ? "" : set.migrations.back().version.str(), reserved,
                     result.queries);
    if (!options.embed.out_source.empty()) {
        const auto sqlite = final_schemas.find(backend_kind::sqlite);
        const auto postgres = final_schemas.find(backend_kind::postgres);
        write_embedded(
            set, options.embed,
            sqlite != final_schemas.end() ? to_json(sqlite->second).dump() : sqlite_json_of(set),
            postgres != final_schemas.end() ? to_json(postgres->second).dump() : std::string());
    }
    if (!options.stamp.empty())
        touch(options.stamp);
    return 0;
}

int run_embed(const common_options& common, const embed_command& options) {
    const migration_set set = load_set(common);
    // With --backends postgres, PostgreSQL's schema too (a scratch database).
    std::string postgres_json;
    for (const auto& target : scratch_targets(common))
        if (target.backend == backend_kind::postgres)
            postgres_json = to_json(scratch_schema(set, target)).dump();
    write_embedded(set, options, sqlite_json_of(set), postgres_json);
    return 0;
}

namespace {

// Prints the plan's problems and drift; whether it may be recorded.
bool may_record(const adoption& plan, const common_options& common, bool force) {
    print_diagnostics(std::cerr, plan.problems);
    if (!plan.problems.empty()) {
        std::cerr << "strata: nothing was changed\n";
        return false;
    }
    if (plan.drift.empty())
        return true;
    print_diagnostics(std::cerr, {{force ? severity::note : severity::error,
                                   "drift",
                                   {redact_url(common.url), 0},
                                   {},
                                   "the database differs from the schema that those migrations "
                                   "of " +
                                       common.dir + " produce (migrations -> database):",
                                   plan.drift}});
    if (!force)
        std::cerr << "strata: nothing was changed; --force records the history anyway\n";
    return force;
}

// After a history is taken over: how to grandfather its down scripts.
void suggest_reversible_from(const migration_set& set, const adoption& plan) {
    if (plan.records.empty())
        return;
    std::size_t missing = 0;
    for (const auto& row : plan.records)
        if (const auto v = set.parse_version(row.version))
            if (const migration* m = set.find(*v); m && m->reversal == reversal::missing)
                ++missing;
    const std::string v =
        reversible_from_after(set, plan).value_or("<the version of your next migration>");
    fmt::print(
        "hint: {}to hold only the migrations after these to the round trip, give "
        "add_migrations(... REVERSIBLE_FROM {}) or `strata check --reversible-from {}`\n",
        missing ? fmt::format("{} of them have no down script; ", missing) : "", v, v);
}

// `verb`: "adopt" or "mark", whose past tense ends in "ed".
// Planned on a read-only connection, which creates no SQLite file: recorded
// on a connection of its own.
void record(const adoption& plan, const common_options& common, const adopt_command& options,
            const std::string& verb) {
    for (const auto& row : plan.records)
        fmt::print("{} {} {}\n", options.dry_run ? "would " + verb : verb + "ed", row.version,
                   row.name);
    if (!options.dry_run)
        record_adoption(*open(common, false), plan, timeout(common));
}

// What an adoption compares the live schema with: the schema the adopted
// migrations produce on a scratch database.
std::function<schema(const migration_set&)> expected_on_scratch(const common_options& common) {
    const scratch_target target = scratch_targets(common).front();
    return [target](const migration_set& subset) { return scratch_schema(subset, target); };
}

}  // namespace

int run_adopt(const common_options& common, const adopt_command& options) {
    const migration_set set = load_set(common);
    auto db = open(common, true);
    adoption_options adopt;
    adopt.expected_schema = expected_on_scratch(common);
    adopt.allow_modified = options.allow_modified;
    const foreign_tool tool = *foreign_tool_from(options.from);
    const adoption plan = plan_adoption(*db, set, tool, adopt);
    if (!may_record(plan, common, options.force))
        return 1;
    if (plan.records.empty()) {
        fmt::print("nothing to adopt: Strata's history has every migration {} recorded\n",
                   options.from);
        return 0;
    }
    record(plan, common, options, "adopt");
    if (!options.dry_run)
        fmt::print("adopted {} migration(s) from {}; {} is left as it was\n", plan.records.size(),
                   options.from, history_table(tool));
    suggest_reversible_from(set, plan);
    return 0;
}

int run_baseline(const common_options& common, const adopt_command& options) {
    const migration_set set = load_set(common);
    const auto upto = parse_version_option(set, "--version", options.version);
    auto db = open(common, true);
    adoption_options adopt;
    adopt.expected_schema = expected_on_scratch(common);
    const adoption plan = plan_baseline(*db, set, *upto, adopt);
    if (!may_record(plan, common, options.force))
        return 1;
    record(plan, common, options, "mark");
    if (!options.dry_run)
        fmt::print("marked {} migration(s) up to {} as applied\n", plan.records.size(),
                   upto->str());
    suggest_reversible_from(set, plan);
    return 0;
}

int run_diff(const common_options& common, bool json) {
    const schema expected = schema_of_set(common, load_set(common));
    // Another tool's history, left behind by `adopt`, is no drift.
    const schema live = without_foreign_histories(open(common, true)->read_schema(), expected);
    const auto changes = diff_schemas(expected, live);
    diagnostics findings;
    if (!changes.empty())
        findings.push_back(
            {severity::error,
             "drift",
             {redact_url(common.url), 0},
             {},
             "the database differs from the schema of " + common.dir + " (migrations -> database):",
             changes});
    if (json)
        std::cout << findings_json(findings).dump(2) << "\n";
    else if (changes.empty())
        fmt::print("no difference: the database has the schema of {}\n", common.dir);
    else
        print_diagnostics(std::cout, findings);
    return changes.empty() ? 0 : 1;
}

}  // namespace strata::cli
