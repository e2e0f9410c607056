// Taking over a database that was migrated some other way: importing the
// history of diesel, sqlx or dbmate (adopt), or marking the migrations up to
// a version as applied (baseline, as Flyway's). Both first check that the
// live schema is the one those migrations produce on a scratch database.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "strata/database.hpp"
#include "strata/diagnostic.hpp"
#include "strata/foreign_history.hpp"
#include "strata/migration_set.hpp"
#include "strata/schema_diff.hpp"

namespace strata {

struct adoption_options {
    bool allow_modified = false;  // sqlx: accept files changed since sqlx applied them
    // The schema that a subset of the set produces: made on a scratch
    // database by the CLI, compiled in for an embedded set. Required.
    std::function<schema(const migration_set& subset)> expected_schema;
};

// What an adoption would record, and why it may not.
struct adoption {
    std::string source;                      // "diesel", "sqlx", "dbmate" or "baseline"
    std::vector<applied_migration> records;  // new rows for Strata's table, by version
    diagnostics problems;                    // unknown versions, failed or edited migrations
    std::vector<schema_change> drift;        // expected schema -> live schema
    std::size_t already_recorded = 0;        // of the source's, in Strata's table before
};

// Throws strata::error (check) when the database has no history of `tool`.
adoption plan_adoption(database& db, const migration_set& set, foreign_tool tool,
                       const adoption_options& options = {});

// The migrations of `set` up to and including `upto`, on a database without
// Strata history. Throws strata::error: usage when `upto` is no version of
// the set, check when the database already has Strata history.
adoption plan_baseline(database& db, const migration_set& set, const migration_version& upto,
                       const adoption_options& options = {});

// Writes the plan's records in one transaction, under the migration lock.
void record_adoption(database& db, const adoption& plan, std::chrono::milliseconds lock_timeout);

}  // namespace strata
