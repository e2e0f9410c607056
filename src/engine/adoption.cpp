#include "engine/adoption.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "migrations/checksum.hpp"
#include "strata/error.hpp"

namespace strata {

namespace {

diagnostic problem(const std::string& message, const source_location& where = {},
                   remedy way_out = remedy::none) {
    return {severity::error, "adopt", where, {}, message, {}, way_out};
}

applied_migration record_for(const migration& m, const std::string& applied_at,
                             std::int64_t execution_ms) {
    applied_migration row;
    row.version = m.version.str();
    row.name = m.name;
    row.checksum = m.checksum;
    row.applied_at = applied_at.empty() ? utc_timestamp() : applied_at;
    row.execution_ms = execution_ms;
    return row;
}

// What sqlx hashed: the file's bytes, or where there is no file (an
// embedded set, deployed without its sources) the text read from it.
std::string up_bytes(const migration& m) {
    std::ifstream in(m.up.file, std::ios::binary);
    if (!in)
        return m.up.sql;
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

// The difference between what `applied` (in set order) produce and the live
// schema.
std::vector<schema_change> drift_of(schema_reader& db, const migration_set& set,
                                    const std::vector<std::string>& applied,
                                    const adoption_options& options) {
    migration_set subset;
    subset.directory = set.directory;
    subset.layout = set.layout;
    for (const auto& m : set.migrations)
        if (std::find(applied.begin(), applied.end(), m.version.str()) != applied.end())
            subset.migrations.push_back(m);
    const schema expected = options.expected_schema(subset);
    return diff_schemas(expected, without_foreign_histories(db.read_schema(), expected));
}

// sqlx verifies each applied file against its checksum before it migrates.
void check_sqlx_record(const foreign_record& r, const migration& m, const adoption_options& options,
                       diagnostics& problems) {
    if (!r.success) {
        problems.push_back(problem(
            "sqlx recorded migration " + m.id() + " as failed; fix the database before adopting it",
            {m.up.file, 0}));
        return;
    }
    if (!r.checksum.empty() && !options.allow_modified && sha384_hex(up_bytes(m)) != r.checksum)
        problems.push_back(problem("migration " + m.id() +
                                       " was modified since sqlx applied it (checksum differs); "
                                       "restore the file",
                                   {m.up.file, 0}, remedy::allow_modified));
}

}  // namespace

adoption plan_adoption(database& db, const migration_set& set, foreign_tool tool,
                       const adoption_options& options) {
    const auto history = read_foreign_history(db, tool);
    if (!history)
        throw error(error_kind::check, "no " + to_string(tool) +
                                           " history in the database: table " +
                                           history_table(tool) + " does not exist");
    adoption plan;
    plan.source = to_string(tool);
    std::vector<std::string> applied;
    for (const auto& row : db.applied_migrations())
        applied.push_back(row.version);
    for (const auto& r : history->records) {
        const auto it = std::find_if(
            set.migrations.begin(), set.migrations.end(),
            [&](const migration& m) { return find_record(*history, m.version.str()) == &r; });
        if (it == set.migrations.end()) {
            plan.problems.push_back(problem(to_string(tool) + " recorded version " + r.version +
                                            ", which " + set.directory.generic_string() +
                                            " has no migration for"));
            continue;
        }
        if (tool == foreign_tool::sqlx)
            check_sqlx_record(r, *it, options, plan.problems);
        if (std::find(applied.begin(), applied.end(), it->version.str()) != applied.end()) {
            ++plan.already_recorded;
            continue;
        }
        plan.records.push_back(record_for(*it, r.applied_at, r.execution_ms));
        applied.push_back(it->version.str());
    }
    // Nothing new to record: the database is Strata's already, and its
    // drift is for `diff` to tell.
    if (plan.problems.empty() && !plan.records.empty())
        plan.drift = drift_of(db, set, applied, options);
    return plan;
}

adoption plan_baseline(database& db, const migration_set& set, const migration_version& upto,
                       const adoption_options& options) {
    const migration* last = set.find(upto);
    if (!last)
        throw error(error_kind::usage, "baseline version " + upto.str() +
                                           " is not a migration of " +
                                           set.directory.generic_string());
    if (!db.applied_migrations().empty())
        throw error(error_kind::check,
                    "the database already has a migration history; baseline is for a database "
                    "that Strata has not migrated yet");
    adoption plan;
    plan.source = "baseline";
    std::vector<std::string> applied;
    for (const auto& m : set.migrations)
        if (m.version <= last->version) {
            plan.records.push_back(record_for(m, {}, 0));
            applied.push_back(m.version.str());
        }
    plan.drift = drift_of(db, set, applied, options);
    return plan;
}

void record_adoption(database& db, const adoption& plan, std::chrono::milliseconds lock_timeout) {
    const auto lock = db.lock(lock_timeout);
    db.ensure_tracking_table();
    transaction tx(db);
    for (const auto& row : plan.records)
        if (!db.is_recorded(row.version))
            db.record(row);
    tx.commit();
}

}  // namespace strata
