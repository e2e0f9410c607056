// Uses the header that add_migrations() generates: table and column names,
// the row types (a nullable column is a std::optional) and the schema version.
#include <iostream>
#include <optional>
#include <string>
#include <type_traits>

#include "shop/db_schema.hpp"

namespace db = shop::db;

static_assert(std::is_same_v<decltype(db::orders::row::note), std::optional<std::string>>);
static_assert(std::is_same_v<decltype(db::customers::row::full_name), std::string>);
#ifdef CONSUMER_HAS_QUERIES
// queries.sql, prepared against the schema by the build.
using orders_of_customer = db::queries::orders_of_customer;
static_assert(orders_of_customer::parameter_count == 1);
static_assert(std::is_same_v<decltype(orders_of_customer::row::full_name), std::string>);
static_assert(std::is_same_v<decltype(orders_of_customer::row::note), std::optional<std::string>>);
#endif

int main() {
    db::orders::row order;
    order.id = 1;
    order.customer_id = 7;
    order.total_cents = 1250;
    order.note = "gift wrap";

    std::cout << "tables: " << db::customers::table_name << " " << db::orders::table_name << "\n";
    std::cout << "orders columns:";
    for (auto name : db::orders::column_names)
        std::cout << " " << name;
    std::cout << "\nschema version " << db::schema_version << "\n";
    std::cout << "order " << order.id << " of customer " << order.customer_id << ": "
              << order.total_cents << " cents, " << order.note.value_or("") << "\n";
    return 0;
}
