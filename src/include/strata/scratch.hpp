// Scratch databases: a migration set applied to an in-memory SQLite database,
// where the build-time checks run without touching any real database.
#pragma once

#include <SQLiteCpp/Database.h>

#include <memory>

#include "strata/migration_set.hpp"
#include "strata/schema.hpp"
#include "strata/sqlite_database.hpp"

namespace strata {

class scratch_database {
  public:
    scratch_database();

    // Applies migrations [0, count) of `set` (all when count is npos).
    // Throws strata::migration_error for a failing script.
    void apply(const migration_set& set, std::size_t count = static_cast<std::size_t>(-1));

    strata::schema schema();
    std::string fingerprint();
    sqlite_database& backend() { return *backend_; }
    SQLite::Database& connection() { return db_; }

  private:
    SQLite::Database db_;
    std::unique_ptr<sqlite_database> backend_;
};

// The schema that `set` produces on a fresh scratch database.
schema scratch_schema(const migration_set& set);

// The schema that canonical SQL text (a snapshot file) describes.
schema schema_of_sql(const std::string& sql, const std::string& file);

}  // namespace strata
