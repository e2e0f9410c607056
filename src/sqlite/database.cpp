#include "strata/sqlite/database.hpp"

#include <sqlite3.h>

#include <SQLiteCpp/Statement.h>

#include <SQLiteCpp/Database.h>
#include <algorithm>
#include <filesystem>

#include "engine/file_lock.hpp"
#include "sql/lexer.hpp"
#include "sql/text.hpp"
#include "sqlite/schema.hpp"
#include "sqlite/statements.hpp"
#include "strata/error.hpp"
#include "strata/migrator.hpp"

namespace strata {

namespace {

class no_lock final : public migration_lock {};

std::string quote_identifier(const std::string& name) {
    return "\"" + name + "\"";
}

// Errors that say the database cannot be written at all, not that a
// statement is wrong: connection errors, like a server that cannot be reached.
bool is_access_error(int code) {
    switch (code & 0xff) {
        case SQLITE_BUSY:  // another connection held the lock past the busy timeout
        case SQLITE_LOCKED:
        case SQLITE_READONLY:  // the file, or the directory its journal goes to
        case SQLITE_CANTOPEN:
        case SQLITE_PERM:
            return true;
        default:
            return false;
    }
}

// `db`, when given, names the database in the messages of access errors.
template <typename F>
auto translate_errors(F&& f, const SQLite::Database* db = nullptr) -> decltype(f()) {
    try {
        return f();
    } catch (const SQLite::Exception& e) {
        if (!is_access_error(e.getErrorCode()))
            throw error(error_kind::check, e.what());
        const std::string name = db ? "sqlite database '" + db->getFilename() + "'" : "database";
        if ((e.getErrorCode() & 0xff) == SQLITE_BUSY || (e.getErrorCode() & 0xff) == SQLITE_LOCKED)
            throw error(error_kind::connection,
                        name +
                            " stayed locked by another connection for longer than the lock "
                            "timeout: " +
                            e.what(),
                        {}, remedy::lock_timeout);
        throw error(error_kind::connection, "cannot write " + name + ": " + e.what());
    }
}

}  // namespace

sqlite_database::sqlite_database(const std::string& path, const sqlite_options& options)
    : options_(options) {
    const int flags =
        options.read_only ? SQLite::OPEN_READONLY : SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE;
    try {
        owned_ = std::make_unique<SQLite::Database>(path, flags | SQLITE_OPEN_NOMUTEX,
                                                    static_cast<int>(options.busy_timeout.count()));
    } catch (const SQLite::Exception& e) {
        throw error(error_kind::connection,
                    "cannot open sqlite database '" + path + "': " + e.what());
    }
    db_ = owned_.get();
    try {
        configure();
    } catch (const error&) {
        // A writer that died mid-transaction left a hot journal, which the
        // next connection must roll back before anyone may read: recovery
        // that any writer would do, and that needs write access.
        if (!options.read_only || db_->getExtendedErrorCode() != SQLITE_READONLY_ROLLBACK)
            throw;
        const auto needs_write_access = [&](const std::string& why) {
            return error(error_kind::connection,
                         "cannot use sqlite database '" + path +
                             "': a crashed writer left a journal to roll back, which needs "
                             "write access: " +
                             why);
        };
        try {
            owned_ = std::make_unique<SQLite::Database>(
                path, SQLite::OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                static_cast<int>(options.busy_timeout.count()));
        } catch (const SQLite::Exception& e) {
            throw needs_write_access(e.what());
        }
        db_ = owned_.get();
        // SQLite opens a file it may not write read-only, silently.
        if (sqlite3_db_readonly(db_->getHandle(), "main") == 1)
            throw needs_write_access("the file is read-only to this user");
        configure();
    }
}

sqlite_database::sqlite_database(SQLite::Database& connection, const sqlite_options& options)
    : db_(&connection), options_(options) {
    // The application's connection gets its settings back when we are done.
    try {
        borrowed_settings_ = {db_->execAndGet("PRAGMA foreign_keys").getInt(),
                              db_->execAndGet("PRAGMA busy_timeout").getInt()};
    } catch (const SQLite::Exception& e) {
        throw error(error_kind::connection,
                    "cannot use sqlite database '" + db_->getFilename() + "': " + e.what());
    }
    configure();
}

sqlite_database::~sqlite_database() {
    if (!borrowed_settings_)
        return;
    const auto [foreign_keys, busy_timeout] = *borrowed_settings_;
    sqlite3_exec(db_->getHandle(),
                 foreign_keys ? "PRAGMA foreign_keys = ON" : "PRAGMA foreign_keys = OFF", nullptr,
                 nullptr, nullptr);
    sqlite3_busy_timeout(db_->getHandle(), busy_timeout);
}

void sqlite_database::configure() {
    check_table_name(options_.tracking_table);
    quoted_table_ = quote_identifier(options_.tracking_table);
    try {
        db_->setBusyTimeout(static_cast<int>(options_.busy_timeout.count()));
        // Reading the schema is what reveals a file that is not a database.
        db_->exec("SELECT count(*) FROM sqlite_schema");
        // As diesel and sqlx connections do: migrations run with foreign keys enforced.
        db_->exec("PRAGMA foreign_keys = ON");
        if (!options_.synchronous.empty())  // one of four words: checked by the URL parser
            db_->exec("PRAGMA synchronous = " + options_.synchronous);
    } catch (const SQLite::Exception& e) {
        throw error(error_kind::connection,
                    "cannot use sqlite database '" + db_->getFilename() + "': " + e.what());
    }
    // SQLite opens a file it may not write read-only without a word; the
    // first write would fail with a message that names no file.
    if (!options_.read_only && sqlite3_db_readonly(db_->getHandle(), "main") == 1)
        throw error(error_kind::connection, "cannot open sqlite database '" + db_->getFilename() +
                                                "' for writing: the file is read-only");
}

std::unique_ptr<migration_lock> sqlite_database::lock(std::chrono::milliseconds timeout) {
    const char* name = sqlite3_db_filename(db_->getHandle(), "main");
    const std::string file = name ? name : "";
    if (file.empty())
        return std::make_unique<no_lock>();  // in memory: one connection only
    // A lock file beside the database: SQLite's own locks cannot span the
    // several transactions of one run, and a second descriptor on the
    // database file itself would drop SQLite's POSIX locks when closed.
    return detail::file_lock::acquire(file + "-strata-lock", timeout);
}

void sqlite_database::backup_to(const std::string& file) {
    const char* name = sqlite3_db_filename(db_->getHandle(), "main");
    std::error_code ec;
    if (name && *name && std::filesystem::equivalent(name, file, ec))
        throw error(error_kind::usage, "the backup file " + file + " is the database itself");
    sqlite3* raw = nullptr;
    const int opened =
        sqlite3_open_v2(file.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    std::unique_ptr<sqlite3, int (*)(sqlite3*)> target(raw, sqlite3_close_v2);
    auto fail = [&](const std::string& why) {
        throw error(error_kind::usage, "cannot back up to '" + file + "': " + why);
    };
    if (opened != SQLITE_OK)
        fail(raw ? sqlite3_errmsg(raw) : sqlite3_errstr(opened));
    sqlite3_backup* backup = sqlite3_backup_init(target.get(), "main", db_->getHandle(), "main");
    if (!backup)
        fail(sqlite3_errmsg(target.get()));
    // In one step: the migration lock keeps other migrators out meanwhile.
    const int stepped = sqlite3_backup_step(backup, -1);
    sqlite3_backup_finish(backup);
    if (stepped != SQLITE_DONE)
        fail(sqlite3_errstr(stepped));
}

bool sqlite_database::has_tracking_table() {
    return has_table(options_.tracking_table);
}

bool sqlite_database::has_table(const std::string& name) {
    return translate_errors([&] {
        SQLite::Statement q(*db_, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?");
        q.bind(1, name);
        return q.executeStep();
    });
}

std::vector<database::text_row> sqlite_database::query(const std::string& sql) {
    return translate_errors([&] {
        std::vector<text_row> rows;
        SQLite::Statement q(*db_, sql);
        while (q.executeStep()) {
            text_row& row = rows.emplace_back();
            for (int i = 0; i < q.getColumnCount(); ++i)
                row.push_back(q.getColumn(i).isNull()
                                  ? std::nullopt
                                  : std::optional<std::string>(q.getColumn(i).getString()));
        }
        return rows;
    });
}

void sqlite_database::ensure_tracking_table() {
    translate_errors(
        [&] {
            db_->exec("CREATE TABLE IF NOT EXISTS " + quoted_table_ +
                      " (\n"
                      "  version TEXT PRIMARY KEY NOT NULL,\n"
                      "  name TEXT NOT NULL,\n"
                      "  checksum TEXT NOT NULL,\n"
                      "  applied_at TEXT NOT NULL,\n"
                      "  execution_ms INTEGER NOT NULL,\n"
                      "  state TEXT NOT NULL DEFAULT 'applied',\n"
                      "  statements_done INTEGER NOT NULL DEFAULT 0\n"
                      ")");
        },
        db_);
}

std::vector<applied_migration> sqlite_database::applied_migrations() {
    return translate_errors([&] {
        std::vector<applied_migration> rows;
        if (!has_tracking_table())
            return rows;
        SQLite::Statement q(*db_,
                            "SELECT version, name, checksum, applied_at, execution_ms, state, "
                            "statements_done FROM " +
                                quoted_table_);
        while (q.executeStep()) {
            applied_migration row;
            row.version = q.getColumn(0).getString();
            row.name = q.getColumn(1).getString();
            row.checksum = q.getColumn(2).getString();
            row.applied_at = q.getColumn(3).getString();
            row.execution_ms = q.getColumn(4).getInt64();
            row.state = record_state_from(q.getColumn(5).getString());
            row.statements_done = q.getColumn(6).getInt();
            rows.push_back(std::move(row));
        }
        sort_by_version(rows);
        return rows;
    });
}

bool sqlite_database::is_recorded(const std::string& version) {
    return translate_errors([&] {
        SQLite::Statement q(*db_, "SELECT 1 FROM " + quoted_table_ + " WHERE version = ?");
        q.bind(1, version);
        return q.executeStep();
    });
}

void sqlite_database::record(const applied_migration& row) {
    translate_errors(
        [&] {
            SQLite::Statement q(*db_, "INSERT OR REPLACE INTO " + quoted_table_ +
                                          " (version, name, checksum, applied_at, execution_ms, "
                                          "state, statements_done) VALUES (?, ?, ?, ?, ?, ?, ?)");
            q.bind(1, row.version);
            q.bind(2, row.name);
            q.bind(3, row.checksum);
            q.bind(4, row.applied_at);
            q.bind(5, static_cast<int64_t>(row.execution_ms));
            q.bind(6, to_string(row.state));
            q.bind(7, row.statements_done);
            q.exec();
        },
        db_);
}

void sqlite_database::forget(const std::string& version) {
    translate_errors([&] {
        SQLite::Statement q(*db_, "DELETE FROM " + quoted_table_ + " WHERE version = ?");
        q.bind(1, version);
        q.exec();
    });
}

void sqlite_database::begin() {
    // IMMEDIATE takes the write lock now, waiting out the busy timeout, rather
    // than failing with SQLITE_BUSY at the first write.
    translate_errors([&] { db_->exec("BEGIN IMMEDIATE"); }, db_);
    in_transaction_ = true;
}

void sqlite_database::commit() {
    translate_errors([&] { db_->exec("COMMIT"); });
    in_transaction_ = false;
}

void sqlite_database::rollback() noexcept {
    in_transaction_ = false;
    // Some errors (SQLITE_FULL, SQLITE_IOERR) end the transaction themselves.
    if (!sqlite3_get_autocommit(db_->getHandle()))
        sqlite3_exec(db_->getHandle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void sqlite_database::execute(const script& s, const std::function<void(int)>& after_statement,
                              int from) {
    run_statements(s, after_statement, {}, from);
}

void sqlite_database::execute_all(const script& s,
                                  const std::function<void(const error&)>& on_failure) {
    run_statements(s, {}, on_failure);
}

namespace {

// Whether a statement may run inside a transaction of Strata's and mean the
// same: VACUUM and ATTACH fail there, PRAGMA foreign_keys is ignored there,
// and the script's own transaction control is the script's to run.
bool can_share_transaction(std::string_view statement) {
    const std::string keyword = first_keyword(statement);
    return keyword != "VACUUM" && keyword != "PRAGMA" && keyword != "ATTACH" &&
           keyword != "DETACH" && keyword != "SAVEPOINT" && keyword != "RELEASE" &&
           transaction_control_keyword(statement).empty();
}

}  // namespace

std::optional<source_location> sqlite_database::statement_location(const script& s, int index) {
    return detail::statement_location(s, detail::split_sqlite_statements(s.sql), index);
}

void sqlite_database::run_statements(const script& s,
                                     const std::function<void(int)>& after_statement,
                                     const std::function<void(const error&)>& on_failure,
                                     int from) {
    sqlite3* handle = db_->getHandle();
    const std::string_view sql = s.sql;
    auto fail_at = [&](std::size_t offset, const std::string& message) {
        error e(error_kind::check, message, {s.file, s.first_line + lines_before(sql, offset)});
        if (!on_failure)
            throw e;
        on_failure(e);
    };
    // BEGIN and COMMIT of a statement's own transaction fail only when the
    // database cannot be written (busy, read-only, I/O): not the script's fault.
    auto exec = [&](const char* command, std::size_t statement) {
        if (sqlite3_exec(handle, command, nullptr, nullptr, nullptr) == SQLITE_OK)
            return;
        const int code = sqlite3_extended_errcode(handle);
        const std::string message = sqlite3_errmsg(handle);
        if (!sqlite3_get_autocommit(handle))
            sqlite3_exec(handle, "ROLLBACK", nullptr, nullptr, nullptr);
        throw error(is_access_error(code) ? error_kind::connection : error_kind::check, message,
                    {s.file, s.first_line + lines_before(sql, statement)});
    };
    std::size_t pos = 0;
    int finished = 0;
    if (from > 0) {
        const auto spans = detail::split_sqlite_statements(sql);
        finished = std::min(from, static_cast<int>(spans.size()));
        pos = finished > 0 ? spans[static_cast<std::size_t>(finished - 1)].end : 0;
    }
    while (pos < sql.size()) {
        const std::size_t start = pos;
        sqlite3_stmt* raw = nullptr;
        const char* tail = nullptr;
        const int prepared = sqlite3_prepare_v2(handle, sql.data() + start,
                                                static_cast<int>(sql.size() - start), &raw, &tail);
        if (prepared != SQLITE_OK) {
            const int offset = sqlite3_error_offset(handle);
            fail_at(offset >= 0 ? start + static_cast<std::size_t>(offset)
                                : sql::skip_blank_and_comments(sql, sql::dialect::sqlite, start),
                    sqlite3_errmsg(handle));
            pos = detail::end_of_sqlite_statement(sql, start);
            continue;
        }
        pos = static_cast<std::size_t>(tail - sql.data());
        if (raw == nullptr)
            continue;  // only comments or whitespace
        std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> statement(raw, sqlite3_finalize);
        const std::string_view text = sql.substr(start, pos - start);
        if (in_transaction_)
            refuse_transaction_control(
                text,
                {s.file, s.first_line + lines_before(sql, sql::skip_blank_and_comments(
                                                              sql, sql::dialect::sqlite, start))});
        const bool own_transaction = after_statement && !in_transaction_ &&
                                     sqlite3_get_autocommit(handle) && can_share_transaction(text);
        const std::size_t statement_start =
            sql::skip_blank_and_comments(sql, sql::dialect::sqlite, start);
        if (own_transaction)
            exec("BEGIN IMMEDIATE", statement_start);
        int stepped;
        while ((stepped = sqlite3_step(raw)) == SQLITE_ROW) {
        }
        // A deferred foreign key the statement broke would fail its COMMIT;
        // on its own, the statement fails, so it fails here as well.
        int deferred = 0;
        int highwater = 0;
        if (own_transaction && stepped == SQLITE_DONE &&
            sqlite3_db_status(handle, SQLITE_DBSTATUS_DEFERRED_FKS, &deferred, &highwater, 0) ==
                SQLITE_OK &&
            deferred > 0) {
            sqlite3_exec(handle, "ROLLBACK", nullptr, nullptr, nullptr);
            fail_at(statement_start, "FOREIGN KEY constraint failed");
            continue;
        }
        if (stepped != SQLITE_DONE) {
            const std::string message = sqlite3_errmsg(handle);
            if (own_transaction && !sqlite3_get_autocommit(handle))
                sqlite3_exec(handle, "ROLLBACK", nullptr, nullptr, nullptr);
            fail_at(statement_start, message);
            continue;
        }
        ++finished;
        if (!after_statement)
            continue;
        try {
            after_statement(finished);
            if (own_transaction)
                exec("COMMIT", statement_start);
        } catch (...) {
            if (own_transaction && !sqlite3_get_autocommit(handle))
                sqlite3_exec(handle, "ROLLBACK", nullptr, nullptr, nullptr);
            throw;
        }
    }
}

void sqlite_database::reset_session() {
    translate_errors([&] { db_->exec("PRAGMA foreign_keys = ON"); });
}

schema sqlite_database::read_schema() {
    return read_sqlite_schema(*db_, options_.tracking_table);
}

std::optional<schema> sqlite_database::schema_from_scratch(const migration_set& migrations) {
    SQLite::Database memory(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    sqlite_database fresh(memory);
    migrator(fresh, migrations).up();
    return read_sqlite_schema(memory);
}

}  // namespace strata
