// Query files: named queries in the style of sqlc and yesql, checked against
// the schema at build time (`strata check --queries`, verify_schema QUERIES).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "strata/diagnostic.hpp"

namespace strata {

// One `-- name: find_user_by_email` block of a query file.
struct named_query {
    std::string name;          // as written after `-- name:`
    std::string identifier;    // its C++ name: cpp_identifier(name)
    std::string cardinality;   // sqlc's annotation (`:one`, `:many`, `:exec`, ...) without
                               // the colon, or empty
    source_location where;     // the file and the line of the `-- name:` comment
    int sql_line = 0;          // the line on which the SQL starts
    std::string doc;           // comment lines between the name and the SQL, without `--`
    std::string sql;           // the statement as written, without a trailing `;`
                               // and without trailing comments and blanks
    std::string sqlite_sql;    // parameters rewritten as ?1, ?2, ...
    std::string postgres_sql;  // parameters rewritten as $1, $2, ...
    // One entry per parameter in index order: its name for `:name` and
    // `@name`, empty for `?` and `$1`.
    std::vector<std::string> parameters;
};

struct query_file {
    std::vector<named_query> queries;  // those without errors, in file order
    diagnostics findings;              // errors: the file cannot be used
};

// Never throws for bad input: every problem is a finding with its line.
query_file parse_query_file(std::string_view text, const std::string& file);

// Reads and parses `path`; a file that cannot be read is a finding.
query_file read_query_file(const std::filesystem::path& path);

// The queries of every file, in order; a file named twice is read once, and
// a query name defined twice is a finding at the second definition, added to
// `findings` with those of the files.
std::vector<named_query> read_query_files(const std::vector<std::string>& files,
                                          diagnostics& findings);

}  // namespace strata
