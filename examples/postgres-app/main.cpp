// shop POSTGRES_URL: migrates the database at startup (the migrations are
// compiled in), refuses to run on a drifted schema, adds a product unless it
// is there, and prints the products on sale, read into the generated row type.
#include <iostream>
#include <pqxx/pqxx>
#include <string>

#include "shop/db_migrations.hpp"
#include "shop/db_schema.hpp"

namespace db = shop::db;

namespace {

std::string str(std::string_view s) {
    return std::string(s);
}

}  // namespace

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
    tx.exec("INSERT INTO " + str(db::products::table_name) + " (" +
            str(db::products::name::sql_name) + ", " + str(db::products::price_cents::sql_name) +
            ", " + str(db::products::state::sql_name) +
            ") VALUES ('olive oil', 1250, 'on_sale') ON CONFLICT DO NOTHING");
    const pqxx::result rows = tx.exec(
        "SELECT " + str(db::products::id::sql_name) + ", " + str(db::products::name::sql_name) +
        ", " + str(db::products::price_cents::sql_name) + ", " +
        str(db::products::state::sql_name) + " FROM " + str(db::products::table_name) + " WHERE " +
        str(db::products::state::sql_name) + " = 'on_sale' ORDER BY 1");
    for (const auto& r : rows) {
        db::products::row product;
        product.id = r[0].as<std::int32_t>();  // integer: 32 bits on PostgreSQL
        product.name = r[1].as<std::string>();
        product.price_cents = r[2].as<std::int32_t>();
        product.state = db::from_string<db::product_state>(r[3].c_str()).value();
        std::cout << "#" << product.id << " " << product.name << " " << product.price_cents
                  << " cents, " << db::to_string(product.state) << "\n";
    }
    tx.commit();
    std::cout << "schema version " << db::schema_version << "\n";
    return 0;
}
