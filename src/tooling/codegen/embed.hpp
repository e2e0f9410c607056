// Generating the C++ that compiles a migration set into an application
// (`strata embed`, add_migrations(... EMBED ...)). See strata/embedded.hpp
// for what the generated functions do at run time.
#pragma once

#include <string>
#include <vector>

#include "strata/migration_set.hpp"

namespace strata {

struct embed_options {
    std::string ns = "db";  // namespace of the generated functions, like app::db
    std::string header;     // include path of the generated header: app/db_migrations.hpp
    // The schemas the set produces, as to_json writes them (check_schema);
    // empty when unknown.
    std::string sqlite_schema;
    std::string postgres_schema;
    // The backends whose connections get a migrate() and check_schema():
    // those the application links (Strata::sqlite, Strata::postgres).
    bool sqlite = true;
    bool postgres = true;
};

// The names the generated header declares in its namespace: a schema header
// generated into the same namespace must not declare them too.
const std::vector<std::string>& embedded_names();

// The header declaring migrations(), and migrate() and check_schema() for
// the connections of the backends asked for. Throws strata::error (usage) for a
// namespace that is not a C++ name.
std::string embedded_header(const embed_options& options);

// The source defining them, with every script, checksum and directive of
// `set` as constants. Reproducible: the same set gives the same bytes, with
// no time stamp and file names relative to the set's parent directory.
std::string embedded_source(const migration_set& set, const embed_options& options);

}  // namespace strata
