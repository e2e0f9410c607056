#include "tooling/scratch/scratch.hpp"

#include <sqlite3.h>

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include "schema/dump.hpp"
#include "sql/postgres_statements.hpp"
#include "sql/text.hpp"
#include "sqlite/schema.hpp"
#include "strata/error.hpp"
#include "strata/migrator.hpp"
#include "tooling/scratch/postgres_scratch.hpp"
#include "tooling/scratch/sqlite_scratch.hpp"

namespace strata {

void scratch::apply(const migration_set& set, std::size_t count) {
    migration_set prefix;
    const migration_set* to_apply = &set;
    if (count < set.migrations.size()) {
        prefix.directory = set.directory;
        prefix.layout = set.layout;
        prefix.migrations.assign(set.migrations.begin(),
                                 set.migrations.begin() + static_cast<std::ptrdiff_t>(count));
        to_apply = &prefix;
    }
    migrator(backend(), *to_apply).up();
}

void scratch::fingerprint(std::string& into) {
    into = dump_sql(schema());
}

std::unique_ptr<scratch> make_scratch(const scratch_target& target) {
    if (target.backend == backend_kind::postgres)
        return std::make_unique<detail::postgres_scratch>(target.server_url);
    return std::make_unique<scratch_database>();
}

schema scratch_schema(const migration_set& set, const scratch_target& target) {
    auto db = make_scratch(target);
    db->apply(set);
    return db->schema();
}

schema schema_of_sql(const std::string& sql, const std::string& file,
                     const scratch_target& target) {
    auto db = make_scratch(target);
    try {
        db->backend().execute(script{sql, file, 1}, {});
    } catch (const error& e) {
        throw error(error_kind::check, std::string("cannot load schema: ") + e.what(), e.where(),
                    e.remedy());
    }
    return db->schema();
}

}  // namespace strata
