// The engine: what is applied, what is pending, and applying or reverting
// migrations on a database with the tracking table, checksums and the lock.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "strata/database.hpp"
#include "strata/migration_set.hpp"

namespace strata {

enum class migration_status {
    applied,   // recorded, and the up script is unchanged
    pending,   // on disk, not recorded
    modified,  // recorded, but the up script changed since
    missing,   // recorded, but no longer on disk
    partial,   // ran outside a transaction and stopped part way
};

const char* to_string(migration_status s) noexcept;

struct status_row {
    migration_status status;
    std::string version;
    std::string name;
    const migration* local = nullptr;         // null when missing
    std::optional<applied_migration> record;  // empty when pending
};

// Local and recorded migrations side by side, ordered by version.
std::vector<status_row> compute_status(const migration_set& set,
                                       const std::vector<applied_migration>& records);

enum class direction { up, down };

struct step_report {
    direction dir;
    const migration* m;
    std::chrono::milliseconds elapsed{0};
};

struct run_report {
    std::vector<step_report> steps;  // in the order they ran (or would run)
};

struct up_options {
    std::optional<migration_version> to;  // apply pending migrations up to and including this one
    bool dry_run = false;
    bool single_transaction = false;  // all or nothing
    bool allow_modified = false;      // proceed although applied scripts changed
    bool ignore_missing = false;      // proceed although applied migrations are gone
    // Continue a migration that stopped part way outside a transaction from
    // the statement after the last one it recorded, once its file is unchanged.
    bool resume = false;
    // Called once under the lock before the first migration is applied (not
    // when there is none, nor in a dry run): for a backup of the database.
    std::function<void()> before_applying;
};

struct down_options {
    int steps = 1;
    std::optional<migration_version> to;  // revert everything applied after this version
    bool all = false;
    bool dry_run = false;
};

struct migrator_options {
    std::chrono::milliseconds lock_timeout{std::chrono::seconds(60)};
    // Called before each migration runs and after it ran.
    std::function<void(const migration&, direction)> on_start;
    std::function<void(const step_report&)> on_done;
};

class migrator {
  public:
    migrator(database& db, const migration_set& set, migrator_options options = {});

    std::vector<status_row> status();
    run_report up(const up_options& options = {});
    run_report down(const down_options& options = {});
    // Reverts the latest `steps` migrations and applies them again.
    run_report redo(int steps = 1);

    // One migration in one direction, without the lock or the history check:
    // for scratch databases the caller owns alone.
    void apply_one(const migration& m);
    void revert_one(const migration& m);

  private:
    std::vector<status_row> locked_status();
    void check_history(const std::vector<status_row>& rows, const up_options& options);
    // `resumed`: the record of a run that stopped part way, to continue.
    void apply(const migration& m, run_report& report, const applied_migration* resumed = nullptr);
    void apply_steps(const migration& m, run_report& report, const applied_migration* resumed);
    void revert(const migration& m, run_report& report);
    void run_script(const migration& m, const script& s, const std::function<void(int)>& progress,
                    int from = 0);
    void commit(const migration& m, const script& s, transaction& tx);
    bool apply_at_once(const migration& m, const applied_migration& row);
    int recorded_progress(const applied_migration& row) noexcept;
    void reset_quietly() noexcept;
    std::vector<const migration*> plan_down(const std::vector<status_row>& rows,
                                            const down_options& options) const;

    database& db_;
    const migration_set& set_;
    migrator_options options_;
};

}  // namespace strata
