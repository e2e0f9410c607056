// shop POSTGRES_URL: migrates the database at startup (the migrations are
// compiled in), refuses to run on a drifted schema, adds a product unless it
// is there, and prints the products on sale. Its SQL lives in queries.sql,
// checked against the schema by the build; rows are read into the generated
// types (the product state is the generated enum class).
#include <iostream>
#include <pqxx/pqxx>
#include <strata/postgres/query.hpp>
#include <string>
#include <tuple>
#include <type_traits>

#include "shop/db_migrations.hpp"
#include "shop/db_schema.hpp"

namespace db = shop::db;
namespace queries = shop::db::queries;

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: shop POSTGRES_URL\n";
        return 2;
    }
    pqxx::connection connection(argv[1]);
    try {
        strata::migrate_options options;
        options.progress = [](std::string_view version, std::string_view name, auto elapsed) {
            std::cout << "migrated " << version << "_" << name << " (" << elapsed.count()
                      << " ms)\n";
        };
        if (db::migrate(connection, options).applied.empty())
            std::cout << "database up to date\n";
        if (const auto drift = db::check_schema(connection); !drift.empty()) {
            std::cerr << "the database's schema is not the one this program was built for:\n";
            for (const auto& change : drift)
                std::cerr << "  " << change.text() << "\n";
            return 1;
        }
    } catch (const strata::migration_error& e) {
        std::cerr << e.where().file << ":" << e.where().line << ": " << e.what() << "\n";
        return 1;
    }

    pqxx::work tx(connection);
    // add_product's parameters, as PostgreSQL typed them: varchar, integer, product_state.
    static_assert(std::is_same_v<queries::add_product::parameters,
                                 std::tuple<std::string, std::int32_t, db::product_state>>);
    strata::postgres::execute<queries::add_product>(tx, "olive oil", 1250,
                                                    db::product_state::on_sale);
    for (const queries::products_in_state::row& product :
         strata::postgres::query<queries::products_in_state>(tx, db::product_state::on_sale))
        std::cout << "#" << product.id << " " << product.name << " " << product.price_cents
                  << " cents, " << db::to_string(product.state) << "\n";
    tx.commit();
    std::cout << "schema version " << db::schema_version << "\n";
    return 0;
}
