// The build-time checks of `strata check`: the set's lint, applying it to a
// scratch database, snapshot drift and the round trip of every migration.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <vector>

#include "strata/diagnostic.hpp"
#include "strata/migration_set.hpp"
#include "strata/schema.hpp"
#include "tooling/queries/query_check.hpp"
#include "tooling/scratch/scratch.hpp"

namespace strata {

struct check_options {
    std::optional<std::filesystem::path> snapshot;  // canonical schema the set must produce
    std::string snapshot_refresh;                   // how to rewrite the snapshot, told on drift
    bool roundtrip = false;
    // Migrations without a down script are accepted (ALLOW_IRREVERSIBLE).
    bool allow_irreversible = false;
    // An older history's missing, failing or non-restoring down scripts are
    // warnings before this version and errors from it on (REVERSIBLE_FROM).
    std::optional<migration_version> reversible_from;
    scratch_target target;             // where the scratch databases live
    std::vector<named_query> queries;  // prepared against the final schema
};

struct check_result {
    diagnostics findings;                // errors fail the check; notes inform
    std::optional<schema> final_schema;  // when the set applied cleanly
    std::vector<described_query> queries;
    bool ok() const { return !has_errors(findings); }
};

check_result run_checks(const migration_set& set, const check_options& options = {});

struct backends_check_result {
    diagnostics findings;
    std::map<backend_kind, schema> final_schemas;  // of each backend the set applied on
    std::vector<described_query> queries;          // as the first backend describes them
    bool ok() const { return !has_errors(findings); }
};

// The checks on each of `targets` in turn (options.target is not used), as
// `strata check --backends` and the build run them, with the named queries
// of `query_files` (read_query_files; options.queries is not used): the
// set's own findings once, then those of the query files, then each
// backend's, prefixed "on <backend>: " when there are
// several, where a failing migration names every statement that fails (one
// must not hide the others); then, when both SQLite and PostgreSQL applied
// the set, how their schemas differ. The snapshot is one backend's dump:
// it is compared on the first target only.
backends_check_result run_checks_on_backends(const migration_set& set, const check_options& options,
                                             const std::vector<std::string>& query_files,
                                             const std::vector<scratch_target>& targets);

// What `check` says of the set before applying it, whatever the backend: the
// reader's diagnostics, then its missing down scripts as the options judge
// them (none with allow_irreversible, warnings before reversible_from,
// errors from it on), then notes on no-op migrations. run_checks' findings
// begin with these.
diagnostics set_findings(const migration_set& set, const check_options& options);

// Round-trip (or missing-down) findings of migrations before
// `reversible_from` become warnings.
void grandfather(diagnostics& findings, const migration_set& set,
                 const std::optional<migration_version>& reversible_from);

// The round trip alone: for each reversible migration, its down script must
// restore the schema from before its up script, and applying the up script
// again must give the schema after it. Findings name the migration, the
// direction that failed and the difference. `workers` scratch databases
// share the work side by side (0: one per core, fewer for small sets); the
// findings are the same whatever their number.
diagnostics check_roundtrip(const migration_set& set, const scratch_target& target = {},
                            std::size_t workers = 0);

// Compares `actual` with the snapshot file: a "drift" finding on difference.
diagnostics check_snapshot(const schema& actual, const std::filesystem::path& snapshot,
                           const std::string& refresh = {}, const scratch_target& target = {});

}  // namespace strata
