#include "strata/embedded.hpp"

#include <SQLiteCpp/Database.h>

#include <algorithm>
#include <filesystem>

#include "strata/adoption.hpp"
#include "strata/error.hpp"
#include "strata/foreign_history.hpp"
#include "strata/migrator.hpp"
#include "strata/postgres_database.hpp"
#include "strata/schema_json.hpp"
#include "strata/sqlite_database.hpp"
#include "strata/sqlite_schema.hpp"

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
        migration m{*version::parse(e.version, rule_of(set.layout), next), std::string(e.name)};
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

// The embedded API promises one exception type. Errors of Strata's own keep
// their kind; the database's message is only the database's.
[[noreturn]] void rethrow_as_migration_error(const error& e) {
    throw migration_error(e.kind(), {}, e.where(), {}, e.what());
}

// Calls `f`, turning whatever it throws into strata::migration_error: the
// drivers' own exceptions (a pqxx::usage_error of a connection that has a
// transaction open, SQLite::Exception) included.
template <typename F>
auto at_api_boundary(F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const migration_error&) {
        throw;
    } catch (const error& e) {
        rethrow_as_migration_error(e);
    } catch (const std::exception& e) {
        throw migration_error(error_kind::connection, {}, {}, e.what(), e.what());
    }
}

void refuse_unknown_applied(const std::vector<status_row>& rows, const embedded_set& set) {
    for (const auto& row : rows)
        if (row.status == migration_status::missing)
            throw migration_error(
                row.version, {}, {},
                "the database has applied migration " + row.version + "_" + row.name +
                    ", which this binary does not know (a newer deployment ran first?); " +
                    std::string(set.name) + " here ends at " +
                    (set.size ? std::string(set.migrations[set.size - 1].version) : "nothing") +
                    "; pass allow_unknown_applied to migrate anyway");
}

}  // namespace

namespace {

schema compiled_in(std::string_view json, const embedded_set& set, const char* backend) {
    if (json.empty())
        throw error(error_kind::usage,
                    std::string("no ") + backend + " schema of " + std::string(set.name) +
                        " was compiled in" +
                        (std::string_view(backend) == "postgres"
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
    // No scratch database on a production server: the compiled-in schema is
    // that of the whole set.
    if (db.backend() == "postgres")
        adopt.expected_schema = [&](const migration_set& subset) {
            if (subset.migrations.size() != migrations.migrations.size())
                throw error(error_kind::usage, to_string(tool) + " applied only part of " +
                                                   std::string(set.name) +
                                                   "; adopt it with `strata adopt --from " +
                                                   to_string(tool) + "` first");
            return compiled_in(set.postgres_schema, set, "postgres");
        };
    const adoption plan = plan_adoption(db, migrations, tool, adopt);
    if (!plan.problems.empty())
        throw error(error_kind::check, plan.problems.front().message, plan.problems.front().where);
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

migrate_report migrate(SQLite::Database& db, const embedded_set& set,
                       const migrate_options& options) {
    sqlite_options sqlite;
    sqlite.tracking_table = options.tracking_table;
    sqlite.busy_timeout = options.lock_timeout;
    return at_api_boundary([&] {
        sqlite_database backend(db, sqlite);
        return migrate(backend, set, options);
    });
}

migrate_report migrate(pqxx::connection& db, const embedded_set& set,
                       const migrate_options& options) {
    postgres_options postgres;
    postgres.tracking_table = options.tracking_table;
    return at_api_boundary([&] {
        postgres_database backend(db, postgres);
        return migrate(backend, set, options);
    });
}

std::vector<schema_change> check_schema(SQLite::Database& db, const embedded_set& set,
                                        const std::string& tracking_table) {
    return at_api_boundary([&] {
        const schema expected = compiled_in(set.sqlite_schema, set, "sqlite");
        return diff_schemas(
            expected, without_foreign_histories(read_sqlite_schema(db, tracking_table), expected));
    });
}

std::vector<schema_change> check_schema(pqxx::connection& db, const embedded_set& set,
                                        const std::string& tracking_table) {
    return at_api_boundary([&] {
        const schema expected = compiled_in(set.postgres_schema, set, "postgres");
        postgres_options options;
        options.tracking_table = tracking_table;
        postgres_database live(db, options);
        return diff_schemas(expected, without_foreign_histories(live.read_schema(), expected));
    });
}

}  // namespace strata
