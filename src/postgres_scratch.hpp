// PostgreSQL scratch databases: a uniquely named database on a server,
// created for one check and dropped afterwards, also when the check fails or
// strata is interrupted (see drop_scratch_databases_on_signals). Databases
// that a killed strata left behind are dropped by later runs after an hour.
#pragma once

#include <memory>
#include <string>

#include <pqxx/connection>

#include "strata/postgres_database.hpp"
#include "strata/scratch.hpp"

struct pg_conn;

namespace strata::detail {

class postgres_scratch final : public scratch {
  public:
    // `server_url` empty: the throwaway local server, started once per process.
    explicit postgres_scratch(const std::string& server_url);
    ~postgres_scratch() override;

    postgres_database& backend() override { return *db_; }
    // PQprepare and PQdescribePrepared, on a libpq connection of its own:
    // libpqxx 6 describes no statement.
    statement_description describe(const std::string& sql) override;

  private:
    struct libpq_closer {
        void operator()(pg_conn* connection) const noexcept;
    };

    void drop_quietly() noexcept;

    std::string name_;
    std::string admin_conninfo_;
    std::string conninfo_;  // of the scratch database
    std::unique_ptr<postgres_database> db_;
    std::unique_ptr<pg_conn, libpq_closer> describer_;
};

}  // namespace strata::detail
