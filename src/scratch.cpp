#include "strata/scratch.hpp"

#include "strata/error.hpp"
#include "strata/migrator.hpp"
#include "strata/sqlite_schema.hpp"

namespace strata {

scratch_database::scratch_database()
    : db_(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE),
      backend_(std::make_unique<sqlite_database>(db_)) {}

void scratch_database::apply(const migration_set& set, std::size_t count) {
    migration_set prefix;
    const migration_set* to_apply = &set;
    if (count < set.migrations.size()) {
        prefix.directory = set.directory;
        prefix.layout = set.layout;
        prefix.migrations.assign(set.migrations.begin(),
                                 set.migrations.begin() + static_cast<std::ptrdiff_t>(count));
        to_apply = &prefix;
    }
    migrator(*backend_, *to_apply).up();
}

schema scratch_database::schema() {
    return read_sqlite_schema(db_);
}

std::string scratch_database::fingerprint() {
    return sqlite_schema_fingerprint(db_);
}

schema scratch_schema(const migration_set& set) {
    scratch_database scratch;
    scratch.apply(set);
    return scratch.schema();
}

schema schema_of_sql(const std::string& sql, const std::string& file) {
    scratch_database scratch;
    try {
        scratch.backend().execute(script{sql, file, 1}, {});
    } catch (const error& e) {
        throw error(error_kind::check, std::string("cannot load schema: ") + e.what(), e.where());
    }
    return scratch.schema();
}

}  // namespace strata
