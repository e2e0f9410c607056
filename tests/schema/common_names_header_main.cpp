// Compiled with -Wall -Wextra -Werror -pedantic against the header generated
// for fixtures/common_names: columns called `name`, `type`, `nullable` and
// the members of a column's type (`sql_name`, `value_type`, ...)
// (what the header declares inside each column's type) and C++ alternative
// tokens (`xor`) must still give a header that compiles.
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>

#include "common_names_schema.hpp"

namespace items = common::db::items;

static_assert(items::table_name == "items");
static_assert(items::column_names.size() == 10);
static_assert(items::column_names[1] == "name" && items::column_names[2] == "type");
static_assert(items::column_names[7] == "xor" && items::column_names[9] == "bitand");
static_assert(std::tuple_size_v<items::columns> == 10);
static_assert(std::is_same_v<std::tuple_element_t<1, items::columns>::value_type, std::string>);
static_assert(std::tuple_element_t<1, items::columns>::sql_name == "name");
static_assert(!std::tuple_element_t<1, items::columns>::is_nullable);
static_assert(std::tuple_element_t<2, items::columns>::has_default);
static_assert(std::is_same_v<std::tuple_element_t<4, items::columns>::value_type, bool>);
static_assert(std::tuple_element_t<7, items::columns>::sql_name == "xor");

int main() {
    items::row r;
    r.id = 1;
    return r.id == 1 ? 0 : 1;
}
