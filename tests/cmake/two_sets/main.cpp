// Both generated headers in one program.
#include <iostream>

#include "audit/db_schema.hpp"
#include "shop/db_schema.hpp"

int main() {
    std::cout << shop::db::customers::table_name << " " << audit::db::events::table_name << "\n";
    return 0;
}
