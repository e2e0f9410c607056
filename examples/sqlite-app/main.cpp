// todo DATABASE: migrates the database at startup (the migrations are
// compiled in), refuses to run on a drifted schema, adds a list with two
// items and prints every open item. Its SQL lives in queries.sql, checked
// against the schema by the build; rows are read into the generated types.
#include <SQLiteCpp/SQLiteCpp.h>
#include <strata/sqlite/query.hpp>

#include <iostream>
#include <string>

#include "todo/db_migrations.hpp"
#include "todo/db_schema.hpp"

namespace db = todo::db;
namespace queries = todo::db::queries;

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: todo DATABASE_FILE\n";
        return 2;
    }
    SQLite::Database database(argv[1], SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    try {
        strata::migrate_options options;
        options.progress = [](std::string_view version, std::string_view name, auto elapsed) {
            std::cout << "migrated " << version << "_" << name << " (" << elapsed.count()
                      << " ms)\n";
        };
        db::migrate(database, options);
        if (const auto drift = db::check_schema(database); !drift.empty()) {
            std::cerr << "the database's schema is not the one this program was built for:\n";
            for (const auto& change : drift)
                std::cerr << "  " << change.text() << "\n";
            return 1;
        }
    } catch (const strata::migration_error& e) {
        std::cerr << e.where().file << ":" << e.where().line << ": " << e.what() << "\n";
        return 1;
    }

    SQLite::Transaction transaction(database);
    const auto list = strata::sqlite::query_one<queries::add_list>(database, "groceries");
    for (const char* text : {"bread", "olive oil"})
        strata::sqlite::execute<queries::add_item>(database, list->id, text);
    transaction.commit();

    // queries::open_items::row: id and text are never NULL, due_at may be.
    for (const queries::open_items::row& item :
         strata::sqlite::query<queries::open_items>(database))
        std::cout << "#" << item.id << " " << item.text
                  << (item.due_at ? " due " + std::to_string(*item.due_at) : std::string()) << " ("
                  << item.list << ")\n";
    std::cout << "schema version " << db::schema_version << "\n";
    return 0;
}
