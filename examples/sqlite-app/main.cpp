// todo DATABASE: migrates the database at startup (the migrations are
// compiled in), refuses to run on a drifted schema, adds a list with two
// items and prints every open item, reading rows into the generated row types.
#include <SQLiteCpp/SQLiteCpp.h>

#include <iostream>
#include <string>

#include "todo/db_migrations.hpp"
#include "todo/db_schema.hpp"

namespace db = todo::db;

namespace {

std::string str(std::string_view s) {
    return std::string(s);
}

db::items::row read_item(SQLite::Statement& q) {
    db::items::row item;
    item.id = q.getColumn(0).getInt64();
    item.list_id = q.getColumn(1).getInt64();
    item.text = q.getColumn(2).getString();
    item.done = q.getColumn(3).getInt64();
    if (!q.getColumn(4).isNull())
        item.due_at = q.getColumn(4).getInt64();
    item.position = q.getColumn(5).getInt64();
    return item;
}

}  // namespace

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
        todo::db::migrate(database, options);
        if (const auto drift = todo::db::check_schema(database); !drift.empty()) {
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

    SQLite::Statement add_list(database, "INSERT INTO " + str(db::lists::table_name) + " (" +
                                             str(db::lists::title::sql_name) + ", " +
                                             str(db::lists::created_at::sql_name) +
                                             ") VALUES (?, strftime('%s', 'now'))");
    add_list.bind(1, "groceries");
    add_list.exec();
    const auto list_id = database.getLastInsertRowid();

    SQLite::Statement add_item(database, "INSERT INTO " + str(db::items::table_name) + " (" +
                                             str(db::items::list_id::sql_name) + ", " +
                                             str(db::items::text::sql_name) + ") VALUES (?, ?)");
    for (const char* text : {"bread", "olive oil"}) {
        add_item.bind(1, list_id);
        add_item.bind(2, text);
        add_item.exec();
        add_item.reset();
    }
    transaction.commit();

    std::string columns;
    for (auto name : db::items::column_names)
        columns += (columns.empty() ? "" : ", ") + str(name);
    SQLite::Statement open_items(database, "SELECT " + columns + " FROM " +
                                               str(db::items::table_name) + " WHERE " +
                                               str(db::items::done::sql_name) + " = 0 ORDER BY " +
                                               str(db::items::id::sql_name));
    while (open_items.executeStep()) {
        const db::items::row item = read_item(open_items);
        std::cout << "#" << item.id << " " << item.text
                  << (item.due_at ? " due " + std::to_string(*item.due_at) : std::string()) << "\n";
    }
    std::cout << "schema version " << db::schema_version << "\n";
    return 0;
}
