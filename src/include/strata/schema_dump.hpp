// Writing a schema model out: canonical SQL, JSON, and ER diagrams.
#pragma once

#include <string>

#include <nlohmann/json_fwd.hpp>

#include "strata/schema.hpp"

namespace strata {

// Canonical SQL: deterministic, objects sorted by name, one spelling per
// construct. Equal models give byte-identical text.
std::string dump_sql(const schema& s);

// Canonical definitions of single objects, as dump_sql writes them.
std::string table_sql(const table& t);
std::string index_sql(const index& ix);
std::string column_sql(const column& c, bool inline_primary_key);
std::string foreign_key_sql(const foreign_key& fk);  // FOREIGN KEY (a) REFERENCES t (id) ...

nlohmann::json to_json(const schema& s);

// ER diagrams with foreign-key edges: Mermaid `erDiagram` and Graphviz dot.
std::string dump_mermaid(const schema& s);
std::string dump_dot(const schema& s);

}  // namespace strata
