#include "tooling/checks/checks.hpp"

#include <algorithm>
#include <exception>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <thread>

#include "schema/dump.hpp"
#include "strata/error.hpp"
#include "strata/migrator.hpp"
#include "strata/schema_diff.hpp"
#include "tooling/checks/portability.hpp"
#include "tooling/queries/query_file.hpp"
#include "tooling/scratch/scratch.hpp"

namespace strata {

namespace {

diagnostic sql_error(const migration_error& e, const std::string& kind) {
    return {severity::error, kind, e.where(), e.version(), e.what(), {}, e.remedy()};
}

// A no-op migration is fine (diesel and sqlx run them), but a forgotten
// `strata new` template looks the same: the build says so without failing.
diagnostics no_op_notes(const migration_set& set) {
    diagnostics notes;
    for (const auto& m : set.migrations)
        if (m.is_no_op())
            notes.push_back({severity::note,
                             "no-op",
                             {m.up.file, m.up.first_line},
                             m.version.str(),
                             "up script of " + m.id() +
                                 " holds comments only: it is applied as a no-op migration"});
    return notes;
}

// Round trips the migrations of one share of the set: the blocks of
// `block` migrations whose index modulo `shares` is `share`. It applies the
// others plainly (a sixth of a round trip's cost), so that shares run side by
// side on their own scratch databases and each costs about the same.
class roundtrip_checker {
  public:
    roundtrip_checker(const migration_set& set, const scratch_target& target, std::size_t share,
                      std::size_t shares, std::size_t block)
        : set_(set), target_(target), share_(share), shares_(shares), block_(block) {}

    diagnostics run() {
        reset(0);
        bool before_is_current = true;
        for (std::size_t i = 0; i < set_.migrations.size(); ++i) {
            if ((i / block_) % shares_ != share_) {
                engine_->apply_one(set_.migrations[i]);
                before_is_current = false;
                continue;
            }
            if (!before_is_current)
                db_->fingerprint(before_);
            before_is_current = true;
            step(i);
        }
        return std::move(found_);
    }

  private:
    // Rebuilds the scratch database with migrations [0, count) applied.
    void reset(std::size_t count) {
        engine_.reset();
        db_.reset();  // a PostgreSQL scratch database is dropped before the next is made
        db_ = make_scratch(target_);
        db_->apply(set_, count);
        engine_ = std::make_unique<migrator>(db_->backend(), set_);
        db_->fingerprint(before_);
    }

    schema schema_after(std::size_t count) {
        auto other = make_scratch(target_);
        other->apply(set_, count);
        return other->schema();
    }

    // Up, down and up again, comparing the schemas: on entry `before_` holds
    // the fingerprint from before migration i, on exit the one after it.
    void step(std::size_t i) {
        const migration& m = set_.migrations[i];
        engine_->apply_one(m);  // the plain apply already succeeded: errors here are real
        db_->fingerprint(after_);
        if (!m.down) {
            std::swap(before_, after_);
            return;
        }
        try {
            engine_->revert_one(m);
        } catch (const migration_error& e) {
            found_.push_back(sql_error(e, "roundtrip"));
            found_.back().message = "down script of " + m.id() + " fails: " + e.database_message();
            reset(i + 1);
            return;
        }
        db_->fingerprint(now_);
        if (now_ != before_) {
            auto changes = diff_schemas(schema_after(i), db_->schema());
            if (!changes.empty()) {
                found_.push_back({severity::error,
                                  "roundtrip",
                                  {m.down->file, m.down->first_line},
                                  m.version.str(),
                                  "down script of " + m.id() +
                                      " does not restore the schema from before its up script "
                                      "(before up -> after down):",
                                  std::move(changes)});
                reset(i + 1);
                return;
            }
        }
        try {
            engine_->apply_one(m);
        } catch (const migration_error& e) {
            found_.push_back(sql_error(e, "roundtrip"));
            found_.back().message =
                "up script of " + m.id() +
                " fails when applied again after its down script: " + e.database_message();
            reset(i + 1);
            return;
        }
        db_->fingerprint(now_);
        std::swap(before_, now_);
        if (before_ != after_) {
            auto changes = diff_schemas(schema_after(i + 1), db_->schema());
            if (!changes.empty()) {
                found_.push_back({severity::error,
                                  "roundtrip",
                                  {m.up.file, m.up.first_line},
                                  m.version.str(),
                                  "applying " + m.id() +
                                      " again after its down script gives another schema "
                                      "(first up -> up after down):",
                                  std::move(changes)});
                reset(i + 1);
            }
        }
    }

    const migration_set& set_;
    const scratch_target& target_;
    const std::size_t share_;
    const std::size_t shares_;
    const std::size_t block_;
    std::unique_ptr<scratch> db_;
    std::unique_ptr<migrator> engine_;  // on db_
    std::string before_, after_, now_;  // fingerprints
    diagnostics found_;
};

// Small sets take one worker: starting another scratch database would cost
// more than it saves.
std::size_t default_roundtrip_workers(std::size_t migrations) {
    const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
    return std::max<std::size_t>(1, std::min({cores, std::size_t{8}, migrations / 64}));
}

}  // namespace

diagnostics check_roundtrip(const migration_set& set, const scratch_target& target,
                            std::size_t workers) {
    if (workers == 0)
        workers = default_roundtrip_workers(set.migrations.size());
    // Blocks of consecutive migrations keep each worker's fingerprints warm;
    // at least four per worker spread later, costlier migrations evenly.
    const std::size_t block =
        std::max<std::size_t>(1, std::min<std::size_t>(16, set.migrations.size() / (workers * 4)));
    if (workers == 1)
        return roundtrip_checker(set, target, 0, 1, block).run();
    std::vector<diagnostics> found(workers);
    std::vector<std::exception_ptr> failures(workers);
    std::vector<std::thread> threads;
    auto join_all = [&] {
        for (auto& t : threads)
            t.join();
    };
    try {
        for (std::size_t w = 0; w < workers; ++w)
            threads.emplace_back([&, w] {
                try {
                    found[w] = roundtrip_checker(set, target, w, workers, block).run();
                } catch (...) {
                    failures[w] = std::current_exception();
                }
            });
    } catch (...) {
        join_all();  // no thread to spare: those started finish first
        throw;
    }
    join_all();
    for (const auto& failure : failures)
        if (failure)
            std::rethrow_exception(failure);
    // In the set's order, as one checker would have found them.
    std::map<std::string, std::size_t> position;
    for (std::size_t i = 0; i < set.migrations.size(); ++i)
        position.emplace(set.migrations[i].version.str(), i);
    diagnostics all;
    for (auto& share : found)
        for (auto& d : share)
            all.push_back(std::move(d));
    std::stable_sort(all.begin(), all.end(), [&](const diagnostic& a, const diagnostic& b) {
        return position[a.version] < position[b.version];
    });
    return all;
}

diagnostics check_snapshot(const schema& actual, const std::filesystem::path& snapshot,
                           const std::string& refresh, const scratch_target& target) {
    const std::string file = snapshot.generic_string();
    const std::string advice = refresh.empty() ? "" : "; to accept the new schema, run: " + refresh;
    std::ifstream in(snapshot, std::ios::binary);
    if (!in)
        return {{severity::error,
                 "drift",
                 {file, 0},
                 {},
                 "snapshot file does not exist or cannot be read" + advice,
                 {}}};
    std::ostringstream text;
    text << in.rdbuf();
    if (text.str() == dump_sql(actual))
        return {};
    schema expected;
    try {
        expected = schema_of_sql(text.str(), file, target);
    } catch (const error& e) {
        return {{severity::error, "drift", e.where(), {}, e.what() + advice, {}, e.remedy()}};
    }
    auto changes = diff_schemas(expected, actual);
    if (changes.empty())
        return {{severity::error,
                 "drift",
                 {file, 0},
                 {},
                 "snapshot is not in canonical form (the schema is the same)" + advice,
                 {}}};
    return {{severity::error,
             "drift",
             {file, 0},
             {},
             "the migrations produce a schema that differs from the snapshot" + advice +
                 "\nsnapshot -> migrations:",
             std::move(changes)}};
}

// A reversible-from version that names no migration may be a typo that
// grandfathers more than meant: say where the round trip's rule begins.
std::optional<diagnostic> reversible_from_note(const migration_set& set,
                                               const std::optional<migration_version>& from) {
    if (!from || set.find(*from))
        return std::nullopt;
    const std::string where = set.directory.generic_string();
    for (const auto& m : set.migrations)
        if (!set.precedes(m.version, *from))
            return diagnostic{severity::note,
                              "reversible-from",
                              {where, 0},
                              {},
                              "reversible-from version " + from->str() +
                                  " names no migration; the first held to the round trip is " +
                                  m.id()};
    return diagnostic{severity::note,
                      "reversible-from",
                      {where, 0},
                      {},
                      "reversible-from version " + from->str() +
                          " comes after every migration; none is held to the round trip yet"};
}

diagnostics set_findings(const migration_set& set, const check_options& options) {
    diagnostics found = set.diagnostics;
    if (auto note = reversible_from_note(set, options.reversible_from))
        found.push_back(std::move(*note));
    if (!options.allow_irreversible) {
        diagnostics missing = set.missing_downs;
        grandfather(missing, set, options.reversible_from);
        found.insert(found.end(), missing.begin(), missing.end());
    }
    for (auto& d : no_op_notes(set))
        found.push_back(std::move(d));
    return found;
}

void grandfather(diagnostics& findings, const migration_set& set,
                 const std::optional<migration_version>& reversible_from) {
    if (!reversible_from)
        return;
    for (auto& d : findings) {
        if (d.level != severity::error || d.version.empty())
            continue;
        const auto v = set.parse_version(d.version);
        if (v && set.precedes(*v, *reversible_from)) {
            d.level = severity::warning;
            d.message += " (a warning only: it is older than " + reversible_from->str() +
                         ", the reversible-from version)";
        }
    }
}

check_result run_checks(const migration_set& set, const check_options& options) {
    check_result result;
    result.findings = set_findings(set, options);
    if (!set.ok())
        return result;
    try {
        auto db = make_scratch(options.target);
        migrator_options after_each;
        after_each.on_done = [&](const step_report& step) {
            for (auto& d : db->violations_after(*step.m, step.m == &set.migrations.back()))
                result.findings.push_back(std::move(d));
        };
        migrator(db->backend(), set, after_each).up();
        result.final_schema = db->schema();
        auto checked = check_queries(*db, *result.final_schema, options.queries);
        result.queries = std::move(checked.queries);
        for (auto& d : checked.findings)
            result.findings.push_back(std::move(d));
    } catch (const migration_error& e) {
        result.findings.push_back(sql_error(e, "sql-error"));
        return result;
    }
    if (options.snapshot)
        for (auto& d : check_snapshot(*result.final_schema, *options.snapshot,
                                      options.snapshot_refresh, options.target))
            result.findings.push_back(std::move(d));
    if (options.roundtrip) {
        auto found = check_roundtrip(set, options.target);
        grandfather(found, set, options.reversible_from);
        for (auto& d : found)
            result.findings.push_back(std::move(d));
    }
    return result;
}

backends_check_result run_checks_on_backends(const migration_set& set, const check_options& options,
                                             const std::vector<std::string>& query_files,
                                             const std::vector<scratch_target>& targets) {
    const diagnostics of_set = set_findings(set, options);
    backends_check_result all;
    all.findings = of_set;
    check_options with_queries = options;
    with_queries.queries = read_query_files(query_files, all.findings);
    for (std::size_t i = 0; i < targets.size(); ++i) {
        check_options on_target = with_queries;
        on_target.target = targets[i];
        if (i > 0)
            on_target.snapshot.reset();
        check_result result = run_checks(set, on_target);
        if (i == 0)
            all.queries = std::move(result.queries);
        diagnostics own(result.findings.begin() + static_cast<std::ptrdiff_t>(of_set.size()),
                        result.findings.end());
        if (targets.size() > 1 && !result.final_schema && set.ok())
            if (auto each = failing_statements(set, targets[i]); !each.empty())
                own = std::move(each);
        for (auto& d : own) {
            if (targets.size() > 1)
                d.message = "on " + to_string(targets[i].backend) + ": " + d.message;
            all.findings.push_back(std::move(d));
        }
        if (result.final_schema)
            all.final_schemas[targets[i].backend] = std::move(*result.final_schema);
    }
    const auto sqlite = all.final_schemas.find(backend_kind::sqlite);
    const auto postgres = all.final_schemas.find(backend_kind::postgres);
    if (sqlite != all.final_schemas.end() && postgres != all.final_schemas.end())
        for (auto& d : check_portability(sqlite->second, postgres->second))
            all.findings.push_back(std::move(d));
    return all;
}

}  // namespace strata
