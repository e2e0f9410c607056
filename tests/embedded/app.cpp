// An application that migrates its database at startup with the migrations
// compiled into it (add_migrations EMBED), as the embedded tests drive it:
//   strata_embedded_app URL migrate [--to V] [--allow-unknown] | check
// URL is sqlite:PATH or postgres://...
#include <SQLiteCpp/Database.h>

#include <iostream>
#include <pqxx/pqxx>
#include <string>

#include "pg_shop/db_migrations.hpp"
#include "shop/db_migrations.hpp"

namespace {

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
        report = shop::db::migrate(db, with_progress);
    }
    if (report.applied.empty())
        std::cout << "up to date\n";
    return 0;
}

std::vector<strata::schema_change> schema_changes(const std::string& url) {
    if (url.rfind("sqlite:", 0) == 0) {
        SQLite::Database db(url.substr(7), SQLite::OPEN_READONLY);
        return shop::db::check_schema(db);
    }
    pqxx::connection db(url);
    return pg_shop::db::check_schema(db);
}

int check(const std::string& url) {
    const auto changes = schema_changes(url);
    for (const auto& change : changes)
        std::cout << change.text() << "\n";
    std::cout << (changes.empty() ? "schema as compiled in\n" : "schema drifted\n");
    return changes.empty() ? 0 : 1;
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
        if (command == "check")
            return check(url);
        strata::migrate_options options;
        for (int i = 3; i < argc; ++i) {
            const std::string arg = argv[i];
            if (arg == "--to" && i + 1 < argc)
                options.target_version = argv[++i];
            else if (arg == "--allow-unknown")
                options.allow_unknown_applied = true;
        }
        return migrate(url, options);
    } catch (const strata::migration_error& e) {
        std::cerr << "error: " << e.where().file << ":" << e.where().line << ": " << e.what()
                  << " [version " << e.version() << "; database: " << e.database_message() << "]\n";
        return 1;
    }
}
