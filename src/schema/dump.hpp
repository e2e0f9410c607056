// Writing a schema model out: canonical SQL, JSON, and ER diagrams.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "strata/schema.hpp"
#include "strata/schema_diff.hpp"

namespace strata {

// Canonical SQL: deterministic, objects sorted by name, one spelling per
// construct. Equal models give byte-identical text. A PostgreSQL schema is
// written as PostgreSQL SQL in an order that loads: extensions, types,
// routines, sequences, tables, foreign keys, sequence owners, views, indexes,
// triggers.
std::string dump_sql(const schema& s);

// Which SQL the single-object writers below speak.
backend_kind dialect_of(const schema& s);  // from `s.backend`

// Canonical definitions of single objects, as dump_sql writes them (except
// that a PostgreSQL table keeps its foreign keys inline).
std::string table_sql(const table& t, backend_kind dialect = backend_kind::sqlite);
std::string index_sql(const index& ix, backend_kind dialect = backend_kind::sqlite);
std::string column_sql(const column& c, bool inline_primary_key,
                       backend_kind dialect = backend_kind::sqlite);
// FOREIGN KEY (a) REFERENCES t (id) ..., without the constraint's name
std::string foreign_key_sql(const foreign_key& fk, backend_kind dialect = backend_kind::sqlite);

// A name as PostgreSQL's quote_ident writes it: bare when it is lower case
// and no keyword that needs quoting, otherwise double-quoted.
std::string quote_postgres_name(std::string_view name);

nlohmann::json to_json(const schema& s);
// The changes `diff_schemas` found, as `strata diff --json` prints them.
nlohmann::json to_json(const std::vector<schema_change>& changes);

// ER diagrams with foreign-key edges: Mermaid `erDiagram` and Graphviz dot.
std::string dump_mermaid(const schema& s);
std::string dump_dot(const schema& s);

}  // namespace strata
