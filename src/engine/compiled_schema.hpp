// The schema an embedded set carries, compared with a live one: what every
// backend's check_schema() does once it has read its database.
#pragma once

#include <string_view>
#include <vector>

#include "strata/embedded.hpp"

namespace strata {

// expected (compiled in for `backend`) -> live.
// Throws strata::error (usage) when that backend's schema was not compiled in.
std::vector<schema_change> compare_with_compiled_in(const embedded_set& set, backend_kind backend,
                                                    const schema& live);

}  // namespace strata
