// Helpers of the schema-model tests: real SQLite databases built from SQL
// text, their models and canonical dumps, and migration sets on disk.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <string>
#include <vector>

#include "schema/dump.hpp"
#include "sqlite/schema.hpp"
#include "strata/schema.hpp"
#include "strata/schema_diff.hpp"
#include "tooling/scratch/sqlite_scratch.hpp"

namespace strata::test {

// The model of a fresh in-memory database after `sql` ran on it.
inline schema schema_of(const std::string& sql) {
    scratch_database db;
    db.connection().exec(sql);
    return db.schema();
}

inline std::string dump_of(const std::string& sql) {
    return dump_sql(schema_of(sql));
}

// Every change's text, one per element, in diff order.
inline std::vector<std::string> change_texts(const std::vector<schema_change>& changes) {
    std::vector<std::string> out;
    for (const auto& c : changes)
        out.push_back(c.text());
    return out;
}

inline std::vector<schema_change> diff_of(const std::string& before, const std::string& after) {
    return diff_schemas(schema_of(before), schema_of(after));
}

}  // namespace strata::test
