#include "strata/checks.hpp"

#include <fstream>
#include <sstream>

#include "strata/error.hpp"
#include "strata/migrator.hpp"
#include "strata/schema_diff.hpp"
#include "strata/schema_dump.hpp"
#include "strata/scratch.hpp"

namespace strata {

namespace {

diagnostic sql_error(const migration_error& e, const std::string& kind) {
    return {severity::error, kind, e.where(), e.version(), e.what(), {}};
}

// The set without its missing-down errors: the remaining checks can still run
// and report everything in one pass.
migration_set without_missing_downs(const migration_set& set) {
    migration_set copy = set;
    copy.diagnostics.clear();
    for (const auto& d : set.diagnostics)
        if (d.kind != "missing-down")
            copy.diagnostics.push_back(d);
    return copy;
}

class roundtrip_checker {
  public:
    roundtrip_checker(const migration_set& set, const scratch_target& target)
        : set_(set), target_(target) {
        reset(0);
    }

    // The fingerprint after step i is the "before" of step i + 1.

    diagnostics run() {
        for (std::size_t i = 0; i < set_.migrations.size(); ++i)
            step(i);
        return std::move(found_);
    }

  private:
    // Rebuilds the scratch database with migrations [0, count) applied.
    void reset(std::size_t count) {
        db_.reset();  // a PostgreSQL scratch database is dropped before the next is made
        db_ = make_scratch(target_);
        db_->apply(set_, count);
        current_ = db_->fingerprint();
    }

    schema schema_after(std::size_t count) {
        auto other = make_scratch(target_);
        other->apply(set_, count);
        return other->schema();
    }

    void step(std::size_t i) {
        const migration& m = set_.migrations[i];
        migrator engine(db_->backend(), set_);
        const std::string before = current_;
        engine.apply_one(m);  // the plain apply already succeeded: errors here are real
        current_ = db_->fingerprint();
        if (!m.down)
            return;
        const std::string after = current_;
        try {
            engine.revert_one(m);
        } catch (const migration_error& e) {
            found_.push_back(sql_error(e, "roundtrip"));
            found_.back().message = "down script of " + m.id() + " fails: " + e.database_message();
            reset(i + 1);
            return;
        }
        if (db_->fingerprint() != before) {
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
            engine.apply_one(m);
        } catch (const migration_error& e) {
            found_.push_back(sql_error(e, "roundtrip"));
            found_.back().message =
                "up script of " + m.id() +
                " fails when applied again after its down script: " + e.database_message();
            reset(i + 1);
            return;
        }
        current_ = db_->fingerprint();
        if (current_ != after) {
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
    std::unique_ptr<scratch> db_;
    std::string current_;
    diagnostics found_;
};

}  // namespace

diagnostics check_roundtrip(const migration_set& set, const scratch_target& target) {
    return roundtrip_checker(set, target).run();
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
        return {{severity::error, "drift", e.where(), {}, e.what() + advice, {}}};
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

check_result run_checks(const migration_set& set, const check_options& options) {
    check_result result;
    result.findings = set.diagnostics;
    const migration_set runnable = without_missing_downs(set);
    if (!runnable.ok())
        return result;
    try {
        auto db = make_scratch(options.target);
        db->apply(runnable);
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
    if (options.roundtrip)
        for (auto& d : check_roundtrip(runnable, options.target))
            result.findings.push_back(std::move(d));
    return result;
}

}  // namespace strata
