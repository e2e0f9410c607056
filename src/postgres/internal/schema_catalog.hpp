// Internal: the pieces of reading one PostgreSQL schema from the system
// catalogs, each filling its part of the model. Not installed.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <pqxx/transaction_base>

#include "strata/schema.hpp"

namespace strata::detail {

// What one read covers: the schema's namespace and the table to leave out.
struct postgres_scope {
    std::string namespace_oid;
    std::string schema_name;
    std::string tracking_table;
};

// `AND NOT <object belongs to an extension>`, for `oid_column` of a row of
// `catalog` (`pg_class`, `pg_proc`, `pg_type`).
std::string not_in_extension(std::string_view catalog, std::string_view oid_column);

// The names of a JSON array of strings, as `array_to_json(...)::text` writes it.
std::vector<std::string> json_names(const char* json_text);

// `schema.name` or `"Schema"."name"` at the start of `text` (after `prefix`)
// without the schema part.
std::string strip_schema_prefix(std::string text, std::string_view prefix,
                                std::string_view schema_name);

void read_postgres_tables(pqxx::transaction_base& tx, const postgres_scope& scope, schema& s);
void read_postgres_indexes(pqxx::transaction_base& tx, const postgres_scope& scope, schema& s);
void read_postgres_views(pqxx::transaction_base& tx, const postgres_scope& scope, schema& s);
void read_postgres_triggers(pqxx::transaction_base& tx, const postgres_scope& scope, schema& s);
void read_postgres_routines(pqxx::transaction_base& tx, const postgres_scope& scope, schema& s);
void read_postgres_types(pqxx::transaction_base& tx, const postgres_scope& scope, schema& s);
void read_postgres_sequences(pqxx::transaction_base& tx, const postgres_scope& scope, schema& s);
void read_postgres_extensions(pqxx::transaction_base& tx, const postgres_scope& scope, schema& s);

}  // namespace strata::detail
