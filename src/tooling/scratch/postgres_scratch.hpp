// PostgreSQL scratch databases: a uniquely named database on a server,
// created for one check and dropped afterwards, also when the check fails or
// strata is interrupted (see drop_scratch_databases_on_signals).
//
// Ownership is visible on the server: while a scratch database exists, a
// session of its owner on the server's admin database (the URL's) holds a
// session-level advisory lock keyed by the database's name, taken before
// CREATE DATABASE and released after DROP DATABASE. A database whose lock
// nobody holds has lost its owner (killed, or its server session gone), and
// the first scratch database a process makes on a server drops those. Names
// of older Strata builds carry no lock; they are dropped after an hour, and
// only while nobody is connected to them.
#pragma once

#include <memory>
#include <string>

#include "strata/postgres/database.hpp"
#include "tooling/scratch/scratch.hpp"

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
    std::string conninfo_;    // of the scratch database
    bool may_exist_ = false;  // CREATE DATABASE was sent
    // On the admin database, holding the name's advisory lock for as long as
    // the database may exist; it also creates and drops it.
    std::unique_ptr<pg_conn, libpq_closer> keeper_;
    std::unique_ptr<postgres_database> db_;
    std::unique_ptr<pg_conn, libpq_closer> describer_;
};

}  // namespace strata::detail
