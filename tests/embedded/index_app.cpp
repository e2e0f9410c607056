// An application that migrates its PostgreSQL database at startup with a set
// that builds indexes CONCURRENTLY (index_migrations, compiled in), as
// several instances starting at once do:
//   strata_embedded_index_app URL
// Exit 0 when migrated, the error's kind on a strata::migration_error, 4 on
// any other exception: that an instance must never meet.
#include <chrono>
#include <exception>
#include <iostream>
#include <pqxx/pqxx>
#include <string>
#include <string_view>

#include "index_race/db_migrations.hpp"

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

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: strata_embedded_index_app URL\n";
        return 2;
    }
    try {
        pqxx::connection db(argv[1]);
        strata::migrate_options options;
        options.progress = [](std::string_view version, std::string_view name,
                              std::chrono::milliseconds elapsed) {
            std::cout << "applied " << version << "_" << name << " (" << elapsed.count()
                      << " ms)\n";
        };
        if (index_race::db::migrate(db, options).applied.empty())
            std::cout << "up to date\n";
        return 0;
    } catch (const strata::migration_error& e) {
        std::cerr << "error: " << e.where().file << ":" << e.where().line << ": " << e.what()
                  << " [version " << e.version() << "; database: " << e.database_message() << "]\n";
        return exit_status(e.kind());
    } catch (const std::exception& e) {
        std::cerr << "not a migration_error: " << e.what() << "\n";
        return 4;
    }
}
