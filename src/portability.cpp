#include "strata/portability.hpp"

#include <fmt/format.h>

#include "strata/sql_text.hpp"

namespace strata {

namespace {

bool has(const std::string& text, const char* part) {
    return text.find(part) != std::string::npos;
}

// SQLite's affinity rules (datatype3.html, 3.1), with the names that
// applications use for booleans and times, which SQLite stores as numbers
// or text but PostgreSQL keeps apart.
std::string sqlite_class(const std::string& type) {
    const std::string t = to_upper(type);
    if (has(t, "BOOL"))
        return "bool";
    if (has(t, "DATE") || has(t, "TIME"))
        return "timestamp";
    if (has(t, "INT"))
        return "integer";
    if (has(t, "CHAR") || has(t, "CLOB") || has(t, "TEXT"))
        return "text";
    if (has(t, "BLOB") || t.empty())
        return "blob";
    return "real";
}

std::string postgres_class(const std::string& type) {
    const std::string t = to_lower(type);
    if (has(t, "[]"))
        return "array";
    if (t == "boolean")
        return "bool";
    if (t == "smallint" || t == "integer" || t == "bigint")
        return "integer";
    if (t == "real" || t == "double precision" || t.rfind("numeric", 0) == 0)
        return "real";
    if (t == "bytea")
        return "blob";
    if (t.rfind("timestamp", 0) == 0 || t == "date" || t.rfind("time", 0) == 0)
        return "timestamp";
    return "text";  // character types, uuid, json, enums and the rest, as text on the wire
}

}  // namespace

std::string type_class(const std::string& backend, const std::string& type) {
    return backend == "postgres" ? postgres_class(type) : sqlite_class(type);
}

diagnostics check_portability(const schema& sqlite, const schema& postgres) {
    diagnostics found;
    auto finding = [&](std::string message) {
        found.push_back({severity::error, "portability", {}, {}, std::move(message), {}});
    };
    for (const auto& t : sqlite.tables) {
        const table* other = find_named(postgres.tables, t.name);
        if (!other) {
            finding(fmt::format("table {} exists on sqlite but not on postgres", t.name));
            continue;
        }
        for (const auto& c : t.columns) {
            const column* pc = other->find_column(c.name);
            if (!pc) {
                finding(fmt::format("table {}: column {} exists on sqlite but not on postgres",
                                    t.name, c.name));
                continue;
            }
            const auto a = sqlite_class(c.type);
            const auto b = postgres_class(pc->type);
            if (a != b)
                finding(fmt::format(
                    "table {}: column {}: {} on sqlite ({}) but {} on postgres ({})", t.name,
                    c.name, a, c.type.empty() ? "no type" : c.type, b, pc->type));
        }
        for (const auto& pc : other->columns)
            if (!t.find_column(pc.name))
                finding(fmt::format("table {}: column {} exists on postgres but not on sqlite",
                                    t.name, pc.name));
    }
    for (const auto& t : postgres.tables)
        if (!find_named(sqlite.tables, t.name))
            finding(fmt::format("table {} exists on postgres but not on sqlite", t.name));
    return found;
}

diagnostics failing_statements(const migration_set& set, const scratch_target& target) {
    diagnostics found;
    auto db = make_scratch(target);
    for (const auto& m : set.migrations)
        db->backend().execute_all(m.up, [&](const error& e) {
            found.push_back({severity::error,
                             "sql-error",
                             e.where(),
                             m.version.str(),
                             "statement of migration " + m.id() + " fails: " + e.what(),
                             {}});
        });
    return found;
}

}  // namespace strata
