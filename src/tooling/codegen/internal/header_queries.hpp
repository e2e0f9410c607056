// The named queries' part of the generated header: `<ns>::queries`.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "tooling/queries/query_check.hpp"

namespace strata::detail {

// One struct per query: its SQL (as written and as each backend numbers the
// parameters), the parameters' names and types, and a `row` struct with the
// result columns plus `fields`, their member pointers in column order.
// `enums` maps PostgreSQL enum types to their enum classes. Empty for none.
std::string query_types(const std::vector<described_query>& queries, bool postgres,
                        const std::map<std::string, std::string>& enums);

}  // namespace strata::detail
