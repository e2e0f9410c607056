// An application that migrates its database with the engine it links
// (Strata::sqlite, which brings Strata::runtime): reads the migration set named on the command
// line, applies it to an in-memory SQLite database it opened itself, and prints what was applied,
// the tables there are, and the status afterwards.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <iostream>

#include "strata/error.hpp"
#include "strata/migration_set.hpp"
#include "strata/migrator.hpp"
#include "strata/sqlite/database.hpp"

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: migrate_app MIGRATION_DIRECTORY\n";
        return 2;
    }
    try {
        const strata::migration_set set = strata::read_migration_set(argv[1]);
        strata::throw_if_invalid(set);

        SQLite::Database connection(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        strata::sqlite_database db(connection);
        strata::migrator migrator(db, set);

        for (const strata::step_report& step : migrator.up().steps)
            std::cout << "applied " << step.m->version.str() << " " << step.m->name << "\n";

        SQLite::Statement tables(connection,
                                 "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT "
                                 "LIKE 'sqlite_%' ORDER BY name");
        std::cout << "tables:";
        while (tables.executeStep())
            std::cout << " " << tables.getColumn(0).getString();
        std::cout << "\n";

        std::cout << "pending after up: " << migrator.up().steps.size() << "\n";
        for (const strata::status_row& row : migrator.status())
            std::cout << row.version << " " << strata::to_string(row.status) << "\n";
        return 0;
    } catch (const strata::migration_error& e) {
        std::cerr << e.where().file << ":" << e.where().line << ": error: " << e.what() << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 1;
    }
}
