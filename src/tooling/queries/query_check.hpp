// Checked queries: each named query prepared against the schema a migration
// set produces, and its parameters and result columns as the generated header
// declares them.
#pragma once

#include <string>
#include <vector>

#include "strata/diagnostic.hpp"
#include "strata/schema.hpp"
#include "tooling/queries/query_file.hpp"
#include "tooling/scratch/scratch.hpp"

namespace strata {

struct result_column {
    std::string name;      // the row member's SQL name, a hint's `!`, `?` or `: type` removed
    std::string sql_type;  // empty when neither the database nor a hint tells
    bool nullable = true;  // NULL is possible: the member is std::optional
    std::string origin;    // "table.column" when the value is that column's as it is
};

struct described_query {
    named_query query;
    std::vector<std::string> parameter_types;  // empty strings where unknown (SQLite)
    std::vector<result_column> columns;
};

struct query_check_result {
    std::vector<described_query> queries;  // those that prepared
    diagnostics findings;                  // one error per query that did not
};

// Prepares each query on `db`, whose schema is `s`. A column is nullable
// unless it reads a NOT NULL column as it is, from a table no outer join
// can make NULL; aggregates and other expressions are nullable. sqlx's
// column hints override that: `AS "total!"`, `AS "note?"`, `AS "n: integer"`.
query_check_result check_queries(scratch& db, const schema& s,
                                 const std::vector<named_query>& queries);

}  // namespace strata
