// An application that migrates its database at startup with the migrations
// compiled into it (add_migrations EMBED), as the embedded tests drive it:
//   strata_embedded_app URL migrate [--to V] [--allow-unknown] [--tracking-table T]
//                                   [--adopt-from diesel|sqlx|dbmate]
//   strata_embedded_app URL check [--tracking-table T]
//   strata_embedded_app URL settings      the connection's settings survive migrate()
//   strata_embedded_app URL in-transaction  migrate() while the app has a transaction open
// URL is sqlite:PATH or postgres://...
#include <SQLiteCpp/Database.h>

#include <iostream>
#include <pqxx/pqxx>
#include <string>

#include "pg_shop/db_migrations.hpp"
#include "shop/db_migrations.hpp"

namespace {

// The application's own exit status for each kind of failure, as the CLI's.
int exit_status(strata::error_kind kind) {
    switch (kind) {
        case strata::error_kind::check:
            return 1;
        case strata::error_kind::usage:
            return 2;
        case strata::error_kind::connection:
            return 3;
    }
    return 1;
}

int migrate(const std::string& url, const strata::migrate_options& options) {
    auto print = [](std::string_view version, std::string_view name,
                    std::chrono::milliseconds elapsed) {
        std::cout << "applied " << version << "_" << name << " (" << elapsed.count() << " ms)\n";
    };
    strata::migrate_options with_progress = options;
    with_progress.progress = print;
    strata::migrate_report report;
    if (url.rfind("sqlite:", 0) == 0) {
        SQLite::Database db(url.substr(7), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        report = shop::db::migrate(db, with_progress);
    } else {
        pqxx::connection db(url);
        // The same set, checked on PostgreSQL at build time: its schema is compiled in.
        report = pg_shop::db::migrate(db, with_progress);
    }
    if (report.applied.empty())
        std::cout << "up to date\n";
    return 0;
}

std::vector<strata::schema_change> schema_changes(const std::string& url,
                                                  const std::string& tracking_table) {
    if (url.rfind("sqlite:", 0) == 0) {
        SQLite::Database db(url.substr(7), SQLite::OPEN_READONLY);
        return shop::db::check_schema(db, tracking_table);
    }
    pqxx::connection db(url);
    return pg_shop::db::check_schema(db, tracking_table);
}

int check(const std::string& url, const std::string& tracking_table) {
    const auto changes = schema_changes(url, tracking_table);
    for (const auto& change : changes)
        std::cout << change.text() << "\n";
    std::cout << (changes.empty() ? "schema as compiled in\n" : "schema drifted\n");
    return changes.empty() ? 0 : 1;
}

// Settings the application chose, before and after migrate(): they must match.
int settings(const std::string& url) {
    if (url.rfind("sqlite:", 0) == 0) {
        SQLite::Database db(url.substr(7), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        db.exec("PRAGMA foreign_keys = OFF");
        db.setBusyTimeout(1234);
        auto show = [&] {
            return "foreign_keys=" + db.execAndGet("PRAGMA foreign_keys").getString() +
                   " busy_timeout=" + db.execAndGet("PRAGMA busy_timeout").getString();
        };
        const std::string before = show();
        shop::db::migrate(db);
        std::cout << before << "\n" << show() << "\n";
        return 0;
    }
    pqxx::connection db(url);
    auto show = [&] {
        pqxx::nontransaction tx(db);
        return std::string(tx.exec("SELECT current_setting('lock_timeout') || ' ' || "
                                   "current_setting('client_min_messages') || ' ' || "
                                   "current_setting('statement_timeout')")[0][0]
                               .c_str());
    };
    {
        pqxx::nontransaction tx(db);
        tx.exec(
            "SET lock_timeout = '5s'; SET client_min_messages = error; "
            "SET statement_timeout = '1min'");
    }
    const std::string before = show();
    pg_shop::db::migrate(db);
    std::cout << before << "\n" << show() << "\n";
    return 0;
}

int in_transaction(const std::string& url) {
    pqxx::connection db(url);
    pqxx::work open(db);
    try {
        pg_shop::db::migrate(db);
    } catch (const strata::migration_error& e) {
        std::cout << "migration_error (kind " << strata::to_string(e.kind()) << "): " << e.what()
                  << "\n";
        return 1;
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::cerr << "usage: strata_embedded_app URL migrate [--to V] [--allow-unknown] | check\n";
        return 2;
    }
    const std::string url = argv[1];
    const std::string command = argv[2];
    try {
        if (command == "settings")
            return settings(url);
        if (command == "in-transaction")
            return in_transaction(url);
        strata::migrate_options options;
        for (int i = 3; i < argc; ++i) {
            const std::string arg = argv[i];
            if (arg == "--to" && i + 1 < argc)
                options.target_version = argv[++i];
            else if (arg == "--allow-unknown")
                options.allow_unknown_applied = true;
            else if (arg == "--adopt-from" && i + 1 < argc)
                options.adopt_from = strata::foreign_tool_from(argv[++i]);
            else if (arg == "--tracking-table" && i + 1 < argc)
                options.tracking_table = argv[++i];
        }
        if (command == "check")
            return check(url, options.tracking_table);
        return migrate(url, options);
    } catch (const strata::migration_error& e) {
        std::cerr << "error: " << e.where().file << ":" << e.where().line << ": " << e.what()
                  << " [version " << e.version() << "; database: " << e.database_message() << "]\n";
        return exit_status(e.kind());
    }
}
