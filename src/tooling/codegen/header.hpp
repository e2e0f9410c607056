// The generated C++ schema header (docs/schema.md, "The generated header").
#pragma once

#include <map>
#include <string>
#include <vector>

#include "strata/schema.hpp"
#include "tooling/cpp_names.hpp"
#include "tooling/queries/query_check.hpp"

namespace strata {

struct header_options {
    std::string ns = "db";       // C++ namespace, may be nested: "app::db"
    std::string schema_version;  // the latest migration's version
    std::string source;          // where the schema came from, for the banner
    // "table.column" -> C++ type, replacing the type mapping for one column.
    std::map<std::string, std::string> type_overrides;
    // Names something else declares in the same namespace (the EMBED header's
    // functions): a table called so gets another identifier.
    std::vector<std::string> reserved_names;
    // Named queries, declared in `<ns>::queries` (a table called `queries`
    // then gets another name).
    std::vector<described_query> queries;
};

// Self-contained C++17 with no dependency but the standard library.
// Throws strata::error (usage) for a namespace that is not a C++ name.
//
// For a PostgreSQL schema (`s.backend == backend_kind::postgres`) each enum type of
// `s.types` becomes an `enum class` in the header's namespace, with
//     constexpr std::string_view to_string(E)              (found by ADL)
//     template <> constexpr std::optional<E> from_string<E>(std::string_view)
// `to_string` and `from_string` are reserved in a PostgreSQL header's
// namespace, with or without enums, so a table called `to_string` always
// becomes `to_string_2` and adding the first enum renames nothing.
std::string generate_header(const schema& s, const header_options& options);

// The C++ type of a column of declared type `sql_type`, by SQLite's affinity
// rules (BOOLEAN and date/time types refined).
std::string cpp_type_for(const std::string& sql_type);

// The C++ type of a PostgreSQL column whose type is `format_type()`'s text
// (`integer`, `character varying(40)`, `mood[]`): fixed-width integers, bool,
// float, double, bytes, std::vector for arrays, and std::string for the rest
// (numeric and date/time types included: their text is lossless). `enums`
// maps enum type names, as format_type() spells them unquoted, to the C++
// types generated for them.
std::string cpp_type_for_postgres(const std::string& format_type,
                                  const std::map<std::string, std::string>& enums = {});

// Writes `content` to `path` unless the file already holds exactly that, so
// an unchanged header keeps its mtime. Returns whether it wrote.
bool write_if_changed(const std::string& path, const std::string& content);

}  // namespace strata
