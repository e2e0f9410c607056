// What SQLite's pragmas do not tell about a table or index, read from its
// CREATE statement in sqlite_schema: CHECK constraints, generated-column
// expressions, deferrable foreign keys, table options, index expressions and
// partial-index conditions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "strata/schema.hpp"

namespace strata::detail {

struct deferrable_key {
    std::vector<std::string> columns;  // the referencing columns, lower case
    bool deferred = false;
};

struct table_ddl {
    std::vector<check_constraint> checks;
    std::vector<std::pair<std::string, std::string>> generated;  // lower column name, expression
    std::vector<deferrable_key> keys;
    std::vector<std::string> descending_keys;  // lower names of `PRIMARY KEY DESC` columns
    // ON CONFLICT clauses of UNIQUE constraints, by their lower column names.
    std::vector<std::pair<std::vector<std::string>, std::string>> unique_conflicts;
    bool without_rowid = false;
    bool strict = false;
    std::string virtual_using;
};

table_ddl parse_create_table(std::string_view sql);

struct index_ddl {
    std::vector<std::string> expressions;  // per key, canonical, without COLLATE/ASC/DESC
    std::string where;
};

index_ddl parse_create_index(std::string_view sql);

}  // namespace strata::detail
