#include "strata/embedded.hpp"

#include <algorithm>
#include <filesystem>

#include "engine/adoption.hpp"
#include "engine/api_boundary.hpp"
#include "engine/compiled_schema.hpp"
#include "schema/json.hpp"
#include "strata/error.hpp"
#include "strata/foreign_history.hpp"
#include "strata/migrator.hpp"

namespace strata {

migration_set to_migration_set(const embedded_set& set) {
    migration_set out;
    out.directory = std::string(set.name);
    out.layout = set.layout;
    for (std::size_t i = 0; i < set.size; ++i) {
        const embedded_migration& e = set.migrations[i];
        // dbmate orders by file name: what follows the version in it counts.
        const std::string file = std::filesystem::path(e.up_file).filename().string();
        const char next = file.size() > e.version.size() ? file[e.version.size()] : '.';
        migration m{*migration_version::parse(e.version, rule_of(set.layout), next),
                    std::string(e.name)};
        m.up = {std::string(e.up), std::string(e.up_file), e.up_first_line};
        if (!e.down_file.empty())
            m.down = script{std::string(e.down), std::string(e.down_file), e.down_first_line};
        m.run_in_transaction = e.run_in_transaction;
        m.revert_in_transaction = e.revert_in_transaction;
        m.reversal = e.reversal;
        m.checksum = std::string(e.checksum);
        out.migrations.push_back(std::move(m));
    }
    return out;
}

namespace {

void refuse_unknown_applied(const std::vector<status_row>& rows, const embedded_set& set) {
    for (const auto& row : rows)
        if (row.status == migration_status::missing)
            throw migration_error(
                error_kind::check, row.version, {}, {},
                "the database has applied migration " + row.version + "_" + row.name +
                    ", which this binary does not know (a newer deployment ran first?); " +
                    std::string(set.name) + " here ends at " +
                    (set.size ? std::string(set.migrations[set.size - 1].version) : "nothing"),
                remedy::ignore_missing);
}

}  // namespace

namespace {

schema compiled_in(std::string_view json, const embedded_set& set, backend_kind backend) {
    if (json.empty())
        throw error(error_kind::usage,
                    "no " + to_string(backend) + " schema of " + std::string(set.name) +
                        " was compiled in" +
                        (backend == backend_kind::postgres
                             ? " (add_migrations(... BACKEND postgres) computes it)"
                             : " (its migrations do not apply on SQLite)"));
    return parse_schema_json(json);
}

// options.adopt_from: the tool's history imported before anything runs.
// Returns the versions adopted (with dry_run: that would be).
std::vector<std::string> adopt_first(database& db, const migration_set& migrations,
                                     const embedded_set& set, const migrate_options& options) {
    const foreign_tool tool = *options.adopt_from;
    if (!read_foreign_history(db, tool))
        return {};  // a database the tool never migrated
    adoption_options adopt;
    // SQLite makes the schema of any part of the set in memory. No scratch
    // database on a production server: the compiled-in schema is that of
    // the whole set.
    adopt.expected_schema = [&](const migration_set& subset) {
        if (std::optional<schema> made = db.schema_from_scratch(subset))
            return *made;
        if (subset.migrations.size() != migrations.migrations.size())
            throw error(
                error_kind::usage,
                to_string(tool) + " applied only part of " + std::string(set.name) +
                    "; adopt it first with the strata CLI's adopt command, which makes the schema "
                    "of each part on a scratch database");
        return compiled_in(set.postgres_schema, set, backend_kind::postgres);
    };
    const adoption plan = plan_adoption(db, migrations, tool, adopt);
    if (!plan.problems.empty())
        throw error(error_kind::check, plan.problems.front().message, plan.problems.front().where,
                    plan.problems.front().remedy);
    if (!plan.drift.empty()) {
        std::string text = "the database differs from the schema that the migrations " +
                           to_string(tool) + " recorded produce (migrations -> database):";
        for (const auto& change : plan.drift)
            text += "\n    " + change.text();
        throw error(error_kind::check, text);
    }
    if (!options.dry_run && !plan.records.empty())
        record_adoption(db, plan, options.lock_timeout);
    std::vector<std::string> adopted;
    for (const auto& row : plan.records)
        adopted.push_back(row.version);
    return adopted;
}

}  // namespace

migrate_report migrate(database& db, const embedded_set& set, const migrate_options& options) {
    const migration_set migrations = to_migration_set(set);
    migrator_options engine_options;
    engine_options.lock_timeout = options.lock_timeout;
    migrate_report report;
    engine_options.on_done = [&](const step_report& step) {
        if (step.dir != direction::up)
            return;
        report.applied.push_back({step.m->version.str(), step.m->name, step.elapsed});
        if (options.progress && !options.dry_run)
            options.progress(report.applied.back().version, report.applied.back().name,
                             step.elapsed);
    };
    return at_api_boundary([&] {
        std::vector<std::string> adopted;
        if (options.adopt_from)
            adopted = adopt_first(db, migrations, set, options);
        migrator engine(db, migrations, engine_options);
        if (!options.allow_unknown_applied)
            refuse_unknown_applied(engine.status(), set);
        up_options up;
        up.dry_run = options.dry_run;
        up.ignore_missing = options.allow_unknown_applied;
        if (options.target_version) {
            up.to = migrations.parse_version(*options.target_version);
            if (!up.to)
                throw error(error_kind::usage,
                            "target version '" + *options.target_version + "' is not a version");
        }
        const run_report run = engine.up(up);
        if (options.dry_run)
            for (const auto& step : run.steps)
                // A dry run records no adoption: what it would adopt is not to apply.
                if (std::find(adopted.begin(), adopted.end(), step.m->version.str()) ==
                    adopted.end())
                    report.applied.push_back({step.m->version.str(), step.m->name, step.elapsed});
        return report;
    });
}

std::vector<schema_change> compare_with_compiled_in(const embedded_set& set, backend_kind backend,
                                                    const schema& live) {
    const schema expected = compiled_in(
        backend == backend_kind::postgres ? set.postgres_schema : set.sqlite_schema, set, backend);
    return diff_schemas(expected, without_foreign_histories(live, expected));
}

std::vector<schema_change> check_schema(database& db, const embedded_set& set) {
    return at_api_boundary(
        [&] { return compare_with_compiled_in(set, db.backend(), db.read_schema()); });
}

}  // namespace strata
