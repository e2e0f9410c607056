#include "strata/migrator.hpp"

#include <algorithm>
#include <exception>
#include <filesystem>
#include <map>

#include <fmt/format.h>

#include "strata/diagnostic.hpp"
#include "strata/error.hpp"

namespace strata {

const char* to_string(migration_status s) noexcept {
    switch (s) {
        case migration_status::applied:
            return "applied";
        case migration_status::pending:
            return "pending";
        case migration_status::modified:
            return "modified";
        case migration_status::missing:
            return "missing";
        case migration_status::partial:
            return "partial";
    }
    return "?";
}

std::vector<status_row> compute_status(const migration_set& set,
                                       const std::vector<applied_migration>& records) {
    std::vector<status_row> rows;
    std::vector<bool> matched(records.size(), false);
    for (const auto& m : set.migrations) {
        status_row row{migration_status::pending, m.version.str(), m.name, &m, std::nullopt};
        for (std::size_t i = 0; i < records.size(); ++i) {
            if (matched[i])
                continue;
            auto recorded = set.parse_version(records[i].version);
            if (!recorded || *recorded != m.version)
                continue;
            matched[i] = true;
            row.record = records[i];
            row.status = records[i].state == record_state::running ? migration_status::partial
                         : records[i].checksum != m.checksum       ? migration_status::modified
                                                                   : migration_status::applied;
            break;
        }
        rows.push_back(std::move(row));
    }
    for (std::size_t i = 0; i < records.size(); ++i) {
        if (matched[i])
            continue;
        rows.push_back({records[i].state == record_state::running ? migration_status::partial
                                                                  : migration_status::missing,
                        records[i].version, records[i].name, nullptr, records[i]});
    }
    // In the set's order, whatever order it was applied in; records of
    // migrations no longer on disk take their place by the set's rule.
    std::stable_sort(rows.begin(), rows.end(), [&](const status_row& a, const status_row& b) {
        auto va = a.local ? std::optional<migration_version>(a.local->version)
                          : set.parse_version(a.version);
        auto vb = b.local ? std::optional<migration_version>(b.local->version)
                          : set.parse_version(b.version);
        return va && vb ? *va < *vb : a.version < b.version;
    });
    return rows;
}

namespace {

void reset_quietly(script_runner& db) noexcept {
    try {
        db.reset_session();
    } catch (...) {
        // The error being reported matters more; a broken session is closed anyway.
    }
}

// Resets the session when a migration leaves by an exception, so that the
// next one meets the session a new run would give it. Declared before the
// migration's transaction, it runs after that rolled back.
class session_reset_on_failure {
  public:
    explicit session_reset_on_failure(script_runner& db)
        : db_(db), exceptions_(std::uncaught_exceptions()) {}
    session_reset_on_failure(const session_reset_on_failure&) = delete;
    session_reset_on_failure& operator=(const session_reset_on_failure&) = delete;
    ~session_reset_on_failure() {
        if (std::uncaught_exceptions() > exceptions_)
            reset_quietly(db_);
    }

  private:
    script_runner& db_;
    int exceptions_;
};

using clock = std::chrono::steady_clock;

std::chrono::milliseconds since(clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - start);
}

std::string row_id(const status_row& row) {
    return row.name.empty() ? row.version : row.version + "_" + row.name;
}

// What happened to a migration whose run threw `e`: a lost connection is the
// server's doing, anything else the migration's.
const char* failure_of(const error& e) {
    return e.kind() == error_kind::connection ? "lost the connection to the database" : "failed";
}

error_kind kind_of(const error& e) {
    return e.kind() == error_kind::connection ? error_kind::connection : error_kind::check;
}

}  // namespace

migrator::migrator(database& db, const migration_set& set, migrator_options options)
    : db_(db), set_(set), options_(std::move(options)) {
    throw_if_invalid(set_);
}

std::vector<status_row> migrator::status() {
    return compute_status(set_, db_.applied_migrations());
}

// `up` must not build on a history that no longer matches the files.
void migrator::check_history(const std::vector<status_row>& rows, const up_options& options) {
    std::string problems;
    std::string advice;
    remedy way_out = remedy::none;
    for (const auto& row : rows) {
        if (row.status == migration_status::partial) {
            if (!row.local) {
                problems += fmt::format(
                    "\n  partial  {} stopped part way outside a transaction, and its files are "
                    "missing",
                    row_id(row));
                advice = "restore the migration's files";
                way_out = remedy::none;
                continue;
            }
            if (row.local->run_in_transaction) {
                problems += fmt::format(
                    "\n  partial  {} stopped part way outside a transaction, and now runs in "
                    "one: resuming it would run its statements again",
                    row_id(row));
                advice =
                    "finish or undo it by hand and delete its row from the tracking table, or "
                    "restore its no-transaction setting and resume it";
                way_out = remedy::resume;
                continue;
            }
            const bool unchanged = row.record->checksum == row.local->checksum;
            if (options.resume && unchanged)
                continue;
            const int done = row.record->statements_done;
            const auto next = db_.statement_location(row.local->up, done);
            if (unchanged && !next) {
                problems += fmt::format(
                    "\n  partial  {} ({}) ran outside a transaction and all {} of its statements "
                    "finished, but it was not yet recorded as applied",
                    row_id(row), row.local->up.file, done);
                advice = "resuming it records it";
                way_out = remedy::resume;
                continue;
            }
            problems += fmt::format(
                "\n  partial  {} ran outside a transaction and stopped after {} statement(s): "
                "statement {} ({}) did not complete (it may have run in part)",
                row_id(row), done, done + 1, next ? format_location(*next) : row.local->up.file);
            if (!unchanged) {
                problems += "; its up script changed since";
                advice =
                    "restore the file as it was when it stopped, then resume it; or finish or "
                    "undo the migration by hand and delete its row from the tracking table";
            } else {
                advice = fmt::format(
                    "undo whatever statement {} did, if anything, then resume it from there; or "
                    "finish or undo the migration by hand and delete its row from the tracking "
                    "table",
                    done + 1);
            }
            way_out = remedy::resume;
        } else if (row.status == migration_status::modified && !options.allow_modified) {
            problems += fmt::format("\n  modified {} ({}): the up script changed after it ran",
                                    row_id(row), row.local->up.file);
            if (advice.empty()) {
                advice = "restore the applied file";
                way_out = remedy::allow_modified;
            }
        } else if (row.status == migration_status::missing && !options.ignore_missing) {
            problems += fmt::format("\n  missing  {}: applied, but no longer on disk", row_id(row));
            if (advice.empty()) {
                advice = "restore the migration";
                way_out = remedy::ignore_missing;
            }
        }
    }
    if (!problems.empty())
        throw error(error_kind::check,
                    "applied migrations do not match the files:" + problems + "\n" + advice, {},
                    way_out);
}

std::vector<status_row> migrator::locked_status() {
    db_.ensure_tracking_table();
    return compute_status(set_, db_.applied_migrations());
}

void migrator::run_script(const migration& m, const script& s,
                          const std::function<void(int)>& progress, int from) {
    int finished = from;
    try {
        db_.execute(
            s,
            [&](int n) {
                finished = n;
                if (progress)
                    progress(n);
            },
            from);
    } catch (const migration_error&) {
        throw;
    } catch (const error& e) {
        const bool up = &s == &m.up;
        const char* verb = up ? "migration" : "revert of";
        throw migration_error(
            kind_of(e), m.version.str(), e.where(), e.what(),
            (up ? m.run_in_transaction : m.revert_in_transaction)
                ? fmt::format("{} {} {}, rolled back: {}", verb, m.id(), failure_of(e), e.what())
                : fmt::format("{} {} {} outside a transaction after {} statement(s), "
                              "which stay applied: {}",
                              verb, m.id(), failure_of(e), finished, e.what()),
            e.remedy());
    }
}

// Deferred constraints are checked at COMMIT: a failure there is the
// migration's, named by its script.
void migrator::commit(const migration& m, const script& s, transaction& tx) {
    try {
        tx.commit();
    } catch (const migration_error&) {
        throw;
    } catch (const error& e) {
        throw migration_error(
            kind_of(e), m.version.str(), {s.file, 0}, e.what(),
            fmt::format("{} {} {} at commit, rolled back: {}",
                        &s == &m.up ? "migration" : "revert of", m.id(), failure_of(e), e.what()),
            e.remedy());
    }
}

void migrator::reset_quietly() noexcept {
    strata::reset_quietly(db_);
}

bool migrator::apply_at_once(const migration& m, const applied_migration& row) {
    try {
        if (!db_.apply_at_once(m.up, row))
            return false;
    } catch (const error& e) {
        throw migration_error(
            e.kind(), m.version.str(), e.where(), e.what(),
            fmt::format("migration {} {}, rolled back: {}", m.id(), failure_of(e), e.what()),
            e.remedy());
    }
    // A round trip of its own: a failure here is not the migration's, which
    // is committed, and says so by naming no migration.
    db_.reset_session();
    return true;
}

// How many statements of `row`'s migration the database says finished: a
// statement whose COMMIT failed, or a script's own rolled-back transaction,
// took back counts the migrator saw. Its own count when the database cannot
// say.
int migrator::recorded_progress(const applied_migration& row) noexcept {
    try {
        for (const auto& recorded : db_.applied_migrations())
            if (recorded.version == row.version)
                return recorded.statements_done;
        return 0;
    } catch (...) {
        return row.statements_done;
    }
}

void migrator::apply(const migration& m, run_report& report, const applied_migration* resumed) {
    try {
        apply_steps(m, report, resumed);
    } catch (const migration_error&) {
        throw;
    } catch (const error& e) {
        // Lost between the migration's own steps (the tracking row, the
        // session reset after COMMIT): whether it committed is the server's
        // to say. Only a server loses a session: SQLite's connection errors
        // (busy, read-only) say what they are.
        if (e.kind() != error_kind::connection || db_.backend() != backend_kind::postgres)
            throw;
        throw migration_error(
            error_kind::connection, m.version.str(), e.where(), e.what(),
            fmt::format("lost the connection to the database during migration {}: {}; its row "
                        "in the tracking table says whether it was applied",
                        m.id(), e.what()));
    }
}

void migrator::apply_steps(const migration& m, run_report& report,
                           const applied_migration* resumed) {
    if (options_.on_start)
        options_.on_start(m, direction::up);
    const auto start = clock::now();
    applied_migration row{m.version.str(), m.name, m.checksum, utc_timestamp()};
    if (m.run_in_transaction && apply_at_once(m, row)) {
        // Done in one go; on any failure the steps below name its statement.
    } else if (m.run_in_transaction) {
        const session_reset_on_failure reset(db_);
        transaction tx(db_);
        // Belt and braces beside the lock: a migrator that does not take it
        // (an older build) may have applied this one meanwhile.
        if (db_.is_recorded(row.version))
            return;
        run_script(m, m.up, {});
        row.execution_ms = since(start).count();
        db_.record(row);
        commit(m, m.up, tx);
        db_.reset_session();
    } else {
        if (resumed) {
            row = *resumed;
        } else {
            row.state = record_state::running;
            db_.record(row);
        }
        try {
            run_script(
                m, m.up,
                [&](int finished) {
                    row.statements_done = finished;
                    db_.record(row);
                },
                row.statements_done);
        } catch (const migration_error& e) {
            // A transaction the script opened itself ends with it, its
            // progress rows included.
            db_.rollback();
            const int done = recorded_progress(row);
            // With nothing done (each statement is atomic on its own) the
            // migration is simply still pending.
            try {
                if (done == 0)
                    db_.forget(row.version);
            } catch (const error&) {
                // The error being reported matters more; the row says `running`.
            }
            reset_quietly();
            throw migration_error(
                e.kind(), e.version(), e.where(), e.database_message(),
                fmt::format("migration {} {} outside a transaction after {} statement(s), which "
                            "stay applied: {}",
                            m.id(), failure_of(e), done, e.database_message()));
        } catch (...) {
            db_.rollback();
            reset_quietly();
            throw;
        }
        row.state = record_state::applied;
        row.execution_ms = since(start).count();
        db_.record(row);
        db_.reset_session();
    }
    report.steps.push_back({direction::up, &m, since(start)});
    if (options_.on_done)
        options_.on_done(report.steps.back());
}

void migrator::revert(const migration& m, run_report& report) {
    if (options_.on_start)
        options_.on_start(m, direction::down);
    const auto start = clock::now();
    if (!m.down) {
        // A no-op migration: reverting it is forgetting it.
        db_.forget(m.version.str());
    } else if (m.revert_in_transaction) {
        const session_reset_on_failure reset(db_);
        transaction tx(db_);
        run_script(m, *m.down, {});
        db_.forget(m.version.str());
        commit(m, *m.down, tx);
        db_.reset_session();
    } else {
        try {
            run_script(m, *m.down, {});
        } catch (...) {
            reset_quietly();
            throw;
        }
        db_.forget(m.version.str());
        db_.reset_session();
    }
    report.steps.push_back({direction::down, &m, since(start)});
    if (options_.on_done)
        options_.on_done(report.steps.back());
}

void migrator::apply_one(const migration& m) {
    run_report ignored;
    apply(m, ignored);
}

void migrator::revert_one(const migration& m) {
    run_report ignored;
    revert(m, ignored);
}

run_report migrator::up(const up_options& options) {
    const migration* to = options.to ? set_.find(*options.to) : nullptr;
    if (options.to && !to)
        throw error(error_kind::usage, "no migration has the target version " + options.to->str());
    run_report report;
    auto lock = options.dry_run ? nullptr : db_.lock(options_.lock_timeout);
    const auto rows = options.dry_run ? status() : locked_status();
    check_history(rows, options);
    std::vector<const migration*> pending;
    std::vector<const applied_migration*> resumed;  // beside `pending`: its stopped run, if any
    for (const auto& row : rows) {
        const bool to_resume = row.status == migration_status::partial;  // check_history let it
        if ((row.status == migration_status::pending || to_resume) &&
            (!to || row.local->version <= to->version)) {
            pending.push_back(row.local);
            resumed.push_back(to_resume ? &*row.record : nullptr);
        }
    }
    if (options.dry_run) {
        for (const auto* m : pending)
            report.steps.push_back({direction::up, m});
        return report;
    }
    if (!pending.empty() && options.before_applying)
        options.before_applying();
    if (!options.single_transaction) {
        for (std::size_t i = 0; i < pending.size(); ++i)
            apply(*pending[i], report, resumed[i]);
        return report;
    }
    for (const auto* m : pending)
        if (!m->run_in_transaction)
            throw error(error_kind::usage,
                        "migration " + m->id() +
                            " must run outside a transaction, so the pending migrations cannot run "
                            "in one transaction together",
                        {m->up.file, 0});
    transaction tx(db_);
    for (const auto* m : pending) {
        if (options_.on_start)
            options_.on_start(*m, direction::up);
        const auto start = clock::now();
        run_script(*m, m->up, {});
        db_.record({m->version.str(), m->name, m->checksum, utc_timestamp(), since(start).count()});
        report.steps.push_back({direction::up, m, since(start)});
    }
    tx.commit();
    if (options_.on_done)
        for (const auto& step : report.steps)
            options_.on_done(step);
    return report;
}

namespace {

// Why `m` cannot be reverted, or empty when it can.
std::string why_irreversible(const migration& m) {
    switch (m.reversal) {
        case reversal::script:
        case reversal::nothing:
            return {};
        case reversal::irreversible:
            return "it is marked '-- strata:irreversible'";
        case reversal::one_way:
            return "it is a plain sqlx migration (" +
                   std::filesystem::path(m.up.file).filename().string() +
                   "), which is one-way: sqlx's simple layout has no down scripts";
        case reversal::missing:
            return "it has no down script with a SQL statement";
    }
    return "?";
}

}  // namespace

std::vector<const migration*> migrator::plan_down(const std::vector<status_row>& rows,
                                                  const down_options& options) const {
    // `--to 0` is the start of the history, unless a migration has version 0
    // (sqlx counts from 0): then it is that migration, which stays.
    const migration* to = options.to ? set_.find(*options.to) : nullptr;
    const bool to_start = options.to && !to && *options.to == *set_.parse_version("0");
    if (options.to && !to_start && !to)
        throw error(error_kind::usage, "no migration has the target version " + options.to->str());
    std::vector<const status_row*> applied;
    for (const auto& row : rows)
        if (row.record)
            applied.push_back(&row);
    std::reverse(applied.begin(), applied.end());  // newest first
    std::vector<const migration*> plan;
    for (const auto* row : applied) {
        if (to) {
            auto v = row->local ? std::optional<migration_version>(row->local->version)
                                : set_.parse_version(row->version);
            if (v && *v <= to->version)
                break;
        } else if (!options.to && !options.all && static_cast<int>(plan.size()) >= options.steps) {
            break;
        }
        if (!row->local)
            throw error(error_kind::check, "cannot revert " + row_id(*row) +
                                               ": it is applied but its files are missing");
        if (row->status == migration_status::partial)
            throw error(
                error_kind::check,
                "cannot revert " + row_id(*row) + ": it stopped part way; repair it by hand first",
                {row->local->up.file, 0});
        if (const auto why = why_irreversible(*row->local); !why.empty())
            throw error(error_kind::check, "cannot revert " + row_id(*row) + ": " + why,
                        {row->local->up.file, 0});
        plan.push_back(row->local);
    }
    return plan;
}

run_report migrator::down(const down_options& options) {
    if (options.steps < 0)
        throw error(error_kind::usage, "the number of migrations to revert must not be negative");
    run_report report;
    auto lock = options.dry_run ? nullptr : db_.lock(options_.lock_timeout);
    const auto plan = plan_down(options.dry_run ? status() : locked_status(), options);
    for (const auto* m : plan) {
        if (options.dry_run)
            report.steps.push_back({direction::down, m});
        else
            revert(*m, report);
    }
    return report;
}

run_report migrator::redo(int steps) {
    if (steps < 0)
        throw error(error_kind::usage, "the number of migrations to revert must not be negative");
    run_report report;
    auto lock = db_.lock(options_.lock_timeout);
    const auto rows = locked_status();
    down_options options;
    options.steps = steps;
    const auto plan = plan_down(rows, options);
    for (const auto* m : plan)
        revert(*m, report);
    for (auto it = plan.rbegin(); it != plan.rend(); ++it)
        apply(**it, report);
    return report;
}

}  // namespace strata
