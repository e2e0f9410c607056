#include "strata/postgres/embedded.hpp"

#include "engine/api_boundary.hpp"
#include "engine/compiled_schema.hpp"
#include "strata/postgres/database.hpp"

namespace strata {

migrate_report migrate(pqxx::connection& db, const embedded_set& set,
                       const migrate_options& options) {
    postgres_options postgres;
    postgres.tracking_table = options.tracking_table;
    return at_api_boundary([&] {
        postgres_database backend(db, postgres);
        return migrate(backend, set, options);
    });
}

std::vector<schema_change> check_schema(pqxx::connection& db, const embedded_set& set,
                                        const std::string& tracking_table) {
    return at_api_boundary([&] {
        postgres_options options;
        options.tracking_table = tracking_table;
        postgres_database live(db, options);
        return compare_with_compiled_in(set, backend_kind::postgres, live.read_schema());
    });
}

}  // namespace strata
