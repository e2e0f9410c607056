// The PostgreSQL backend, over libpqxx.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

// pqxx::connection is an alias of a template whose spelling changes across
// libpqxx versions: it cannot be declared ahead, so its header comes in.
#include <pqxx/connection>

#include "strata/database.hpp"
#include "strata/postgres/database_url.hpp"

namespace pqxx {
class nontransaction;
}

namespace strata {

struct postgres_options {
    std::string tracking_table = default_tracking_table;
    // The schema that migrations run in (the session's search_path), that
    // holds the tracking table and that is introspected. Empty: the
    // connection's current schema, usually public.
    std::string schema;
    // How long to keep retrying while the server is starting or unreachable
    // (`--wait`); zero fails at once.
    std::chrono::milliseconds wait{0};
};

class postgres_database final : public database {
  public:
    // Connects to the database `url` names. Throws strata::error (connection)
    // with the server's message and the URL without its password.
    explicit postgres_database(const database_url& url, const postgres_options& options = {});
    // Works on a connection the caller owns (embedded migrations).
    explicit postgres_database(pqxx::connection& connection, const postgres_options& options = {});
    ~postgres_database() override;

    backend_kind backend() const override { return backend_kind::postgres; }
    std::unique_ptr<migration_lock> lock(std::chrono::milliseconds timeout) override;
    void ensure_tracking_table() override;
    std::vector<applied_migration> applied_migrations() override;
    bool is_recorded(const std::string& version) override;
    void record(const applied_migration& row) override;
    void forget(const std::string& version) override;
    void begin() override;
    void commit() override;
    void rollback() noexcept override;
    void execute(const script& s, const std::function<void(int)>& after_statement = {},
                 int from = 0) override;
    std::optional<source_location> statement_location(const script& s, int index) override;
    void execute_all(const script& s, const std::function<void(const error&)>& on_failure) override;
    void reset_session() override;
    bool apply_at_once(const script& s, const applied_migration& row) override;
    strata::schema read_schema() override;
    bool has_table(const std::string& name) override;
    std::vector<text_row> query(const std::string& sql) override;

    // Statements of Strata's own, outside any script: the server's errors
    // become strata::error.
    pqxx::result run(const std::string& sql);
    pqxx::connection& connection() { return *connection_; }

  private:
    void configure();
    // execute() when `on_failure` is empty, else execute_all().
    void run_statements(const script& s, const std::function<void(int)>& after_statement,
                        const std::function<void(const error&)>& on_failure, int from = 0);
    bool has_tracking_table();
    std::string restored_settings_sql() const;
    void restore_session_settings();
    std::string session_reset_sql() const;

    std::unique_ptr<pqxx::connection> owned_;
    pqxx::connection* connection_;
    std::unique_ptr<pqxx::nontransaction> session_;
    postgres_options options_;
    std::string qualified_table_;
    bool sets_search_path_ = false;
    // A borrowed connection's settings from SET, restored when we are done.
    std::vector<std::pair<std::string, std::string>> session_settings_;
    bool in_transaction_ = false;  // one that begin() opened
};

// The server's error as Strata reports it: the primary message and the
// SQLSTATE, without libpq's "ERROR:" prefix and position caret.
std::string postgres_message(const std::exception& e);

}  // namespace strata
