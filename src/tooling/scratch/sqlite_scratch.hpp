// SQLite's scratch database: in memory, checked for what SQLite lets a
// migration leave behind.
#pragma once

#include <SQLiteCpp/Database.h>

#include <memory>
#include <string>

#include "strata/sqlite/database.hpp"
#include "tooling/scratch/scratch.hpp"

namespace strata {

// SQLite's: an in-memory database.
class scratch_database final : public scratch {
  public:
    scratch_database();

    sqlite_database& backend() override { return *backend_; }
    strata::schema schema() override;
    void fingerprint(std::string& into) override;
    statement_description describe(const std::string& sql) override;
    // Checks after the last migration, and after each that could let a
    // violation in: SQLite enforces foreign keys, NOT NULL and CHECK on every
    // write, and only a PRAGMA turns that off (foreign_keys outside a
    // transaction, ignore_check_constraints, writable_schema). The checks
    // read every table, which after each of 1,000 migrations would make
    // `check` five times slower.
    diagnostics violations_after(const migration& m, bool last) override;
    SQLite::Database& connection() { return db_; }

  private:
    SQLite::Database db_;
    std::unique_ptr<sqlite_database> backend_;
};

}  // namespace strata
