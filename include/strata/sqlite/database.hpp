// The SQLite backend, over SQLiteCpp.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "strata/database.hpp"

namespace SQLite {
class Database;
}

namespace strata {

struct sqlite_options {
    std::string tracking_table = default_tracking_table;
    std::chrono::milliseconds busy_timeout{std::chrono::seconds(60)};
    bool read_only = false;   // open without creating the file or writing
    std::string synchronous;  // PRAGMA synchronous when not empty (off, normal, full, extra)
};

class sqlite_database final : public database {
  public:
    // Opens (and creates unless read-only) the file at `path`, or an in-memory
    // database when `path` is ":memory:". Throws strata::error (connection).
    explicit sqlite_database(const std::string& path, const sqlite_options& options = {});
    // Works on a connection the caller owns (embedded migrations).
    explicit sqlite_database(SQLite::Database& connection, const sqlite_options& options = {});
    ~sqlite_database() override;

    backend_kind backend() const override { return backend_kind::sqlite; }
    std::unique_ptr<migration_lock> lock(std::chrono::milliseconds timeout) override;
    void backup_to(const std::string& file) override;
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
    strata::schema read_schema() override;
    std::optional<strata::schema> schema_from_scratch(const migration_set& migrations) override;
    bool has_table(const std::string& name) override;
    std::vector<text_row> query(const std::string& sql) override;

    SQLite::Database& connection() { return *db_; }

  private:
    void configure();
    // execute() when `on_failure` is empty, else execute_all().
    void run_statements(const script& s, const std::function<void(int)>& after_statement,
                        const std::function<void(const error&)>& on_failure, int from = 0);
    bool has_tracking_table();

    std::unique_ptr<SQLite::Database> owned_;
    SQLite::Database* db_;
    sqlite_options options_;
    std::string quoted_table_;
    bool in_transaction_ = false;  // one that begin() opened
    // A borrowed connection's PRAGMA foreign_keys and busy_timeout.
    std::optional<std::pair<int, int>> borrowed_settings_;
};

}  // namespace strata
