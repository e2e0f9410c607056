// Reading a schema model back from the JSON that `to_json(const schema&)`
// writes: an application can embed its expected schema as JSON and compare it
// with its live database (diff_schemas) at startup.
#pragma once

#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "strata/schema.hpp"

namespace strata {

// The inverse of to_json: for every model `s`,
// `dump_sql(schema_from_json(to_json(s))) == dump_sql(s)` and
// `diff_schemas(s, schema_from_json(to_json(s)))` is empty.
//
// Arrays are taken in the order given (to_json writes them sorted). Keys whose
// value may be null (`default`, `collation`, `where`, `on_conflict`, a check's
// `name`, `owned_by`) and the keys to_json writes only when set may be left
// out; every other key is required, PostgreSQL's top-level arrays when
// `backend` is "postgres". Unknown keys are ignored.
//
// Throws strata::error (usage) naming the missing or mistyped key and where
// it is: `schema json: tables[2].columns[0]: missing key "name"`.
schema schema_from_json(const nlohmann::json& j);

// The same from JSON text; text that is no JSON is a usage error too.
schema parse_schema_json(std::string_view text);

}  // namespace strata
