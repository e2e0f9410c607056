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

namespace strata::detail {

class postgres_scratch final : public scratch {
  public:
    // `server_url` empty: the throwaway local server, started once per process.
    explicit postgres_scratch(const std::string& server_url);
    ~postgres_scratch() override;

    postgres_database& backend() override { return *db_; }

  private:
    void drop_quietly() noexcept;

    std::string name_;
    std::string admin_conninfo_;
    std::unique_ptr<postgres_database> db_;
};

}  // namespace strata::detail
