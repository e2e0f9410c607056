// What SQLite reports about a prepared statement: sqlite3_prepare_v3 against
// the scratch schema, and the column metadata of each result column.
#include <sqlite3.h>

#include <memory>

#include "tooling/scratch/sqlite_scratch.hpp"

namespace strata {

namespace {

std::string text_or_empty(const char* text) {
    return text ? text : "";
}

struct statement_closer {
    void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};

}  // namespace

statement_description scratch_database::describe(const std::string& sql) {
    sqlite3* handle = db_.getHandle();
    statement_description d;
    sqlite3_stmt* raw = nullptr;
    const int rc =
        sqlite3_prepare_v3(handle, sql.c_str(), static_cast<int>(sql.size()), 0, &raw, nullptr);
    std::unique_ptr<sqlite3_stmt, statement_closer> statement(raw);
    if (rc != SQLITE_OK) {
        d.error = sqlite3_errmsg(handle);
        if (const int offset = sqlite3_error_offset(handle); offset >= 0)
            d.error_offset = static_cast<std::size_t>(offset);
        return d;
    }
    if (!statement) {
        d.error = "the query holds no statement";
        return d;
    }
    d.parameter_types.resize(static_cast<std::size_t>(sqlite3_bind_parameter_count(raw)));
    const int columns = sqlite3_column_count(raw);
    for (int i = 0; i < columns; ++i)
        d.columns.push_back({text_or_empty(sqlite3_column_name(raw, i)),
                             text_or_empty(sqlite3_column_decltype(raw, i)),
                             text_or_empty(sqlite3_column_table_name(raw, i)),
                             text_or_empty(sqlite3_column_origin_name(raw, i))});
    return d;
}

}  // namespace strata
