// Internal: canonical PostgreSQL SQL of the schema model, behind the
// dialect-neutral writers of strata/schema_dump.hpp. Not installed.
#pragma once

#include <string>

#include "strata/schema.hpp"

namespace strata::detail {

std::string postgres_dump_sql(const schema& s);
// `with_foreign_keys`: inline, for a table shown on its own; a dump adds them
// once every table exists.
std::string postgres_table_sql(const table& t, bool with_foreign_keys);
std::string postgres_column_sql(const column& c);
std::string postgres_index_sql(const index& ix);

}  // namespace strata::detail
