// An application whose compiled-in set has an older history with a down
// script that does nothing (add_migrations(... EMBED ... REVERSIBLE_FROM)):
// it migrates a SQLite file at startup and reports drift.
//   strata_embedded_history_app PATH
#include <SQLiteCpp/Database.h>

#include <iostream>

#include "history/db_migrations.hpp"

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: strata_embedded_history_app PATH\n";
        return 2;
    }
    try {
        SQLite::Database db(argv[1], SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        const auto report = history::db::migrate(db);
        for (const auto& step : report.applied)
            std::cout << "applied " << step.version << "_" << step.name << "\n";
        std::cout << "drift: " << history::db::check_schema(db).size() << "\n";
        return 0;
    } catch (const strata::migration_error& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 1;
    }
}
