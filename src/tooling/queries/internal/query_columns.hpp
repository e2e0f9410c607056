// What a query's text says about its result columns where the database does
// not: which are plain column references, which tables an outer join can
// make NULL, and the type of SQLite expressions.
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sql/tokens.hpp"
#include "strata/schema.hpp"

namespace strata::detail {

// The result list of a statement, one entry per item, split at top-level
// commas: RETURNING's when there is one, else the first top-level SELECT's.
// Empty when unknown: no such list.
std::vector<std::vector<token>> result_items(const std::vector<token>& statement);

// A `*` or `t.*` item, which stands for any number of columns.
bool is_star(const std::vector<token>& item);

// An item that reads a column as it is (`email`, `u.email`, `u.email AS e`).
bool is_column_reference(const std::vector<token>& item);

// The column such an item reads, and the name qualifying it (`u` of
// `u.email`, empty when none).
struct column_reference {
    std::string qualifier;
    std::string column;
};
column_reference referenced_column(const std::vector<token>& item);

// True when a GROUP BY of the statement adds rows whose grouped columns are
// NULL (ROLLUP, CUBE, GROUPING SETS).
bool has_grouping_sets(const std::vector<token>& statement);

// True when the statement combines SELECTs (UNION, INTERSECT, EXCEPT) at its
// top level: the database describes only the first one's columns.
bool is_compound(const std::vector<token>& statement);

// Tables (lower case) whose columns an outer join of the statement, or of a
// view it reads, can make NULL: the right side of LEFT JOIN, the left of RIGHT
// JOIN, both of FULL JOIN.
std::set<std::string> outer_joined_tables(const std::vector<token>& statement, const schema& s);

// The table INSERT, UPDATE or DELETE changes, or empty.
std::string modified_table(const std::vector<token>& statement);

// sqlx's column name overrides: `"total!"` is never NULL, `"note?"` may be,
// `"total: integer"` has that SQL type (`"total!: integer"` both).
struct column_hint {
    std::string name;
    std::optional<bool> nullable;
    std::string type;
};
column_hint parse_column_hint(const std::string& name);

// Tables of the schema (lower case) that the statement reads, views expanded.
std::set<std::string> tables_read(const std::vector<token>& statement, const schema& s);

// The SQL type of an SQLite expression SQLite does not type (count(*),
// lower(x), CAST(x AS REAL), 1.5, and sum(x), max(x), coalesce(x, ...) by
// the type `column_type` gives the column x), or empty.
std::string sqlite_expression_type(
    const std::vector<token>& item,
    const std::function<std::string(const std::string& column)>& column_type);

}  // namespace strata::detail
