#include "strata/foreign_history.hpp"

#include <algorithm>

#include "strata/migration_version.hpp"

namespace strata {

namespace {

// An ISO-8601 UTC time, as Strata records its own, from a tool's column.
std::string utc_text(const std::string& column, bool postgres, bool with_time_zone) {
    if (!postgres)
        return "strftime('%Y-%m-%dT%H:%M:%fZ', " + column + ")";
    // A timestamp without time zone holds the session's local time.
    const std::string utc = with_time_zone ? column + " AT TIME ZONE 'UTC'"
                                           : "(" + column +
                                                 " AT TIME ZONE current_setting('TimeZone')) AT "
                                                 "TIME ZONE 'UTC'";
    return "to_char(" + utc + ", 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";
}

// Each tool's columns, as text on either backend.
std::string history_query(foreign_tool tool, bool postgres) {
    switch (tool) {
        case foreign_tool::diesel:
            return "SELECT version, " + utc_text("run_on", postgres, false) +
                   " FROM __diesel_schema_migrations";
        case foreign_tool::sqlx:
            return "SELECT CAST(version AS TEXT), description, " +
                   utc_text("installed_on", postgres, true) + ", CAST(success AS INTEGER), " +
                   (postgres ? "encode(checksum, 'hex')" : "lower(hex(checksum))") +
                   ", CAST(execution_time AS TEXT) FROM _sqlx_migrations";
        case foreign_tool::dbmate:
            return "SELECT version FROM schema_migrations";
    }
    return {};
}

// The columns each tool creates, sorted.
std::vector<std::string> tool_columns(foreign_tool tool) {
    switch (tool) {
        case foreign_tool::diesel:
            return {"run_on", "version"};
        case foreign_tool::sqlx:
            return {"checksum",     "description", "execution_time",
                    "installed_on", "success",     "version"};
        case foreign_tool::dbmate:
            return {"version"};
    }
    return {};
}

bool has_tool_columns(database& db, foreign_tool tool) {
    const std::string table = history_table(tool);
    const std::string sql =
        db.backend() == backend_kind::postgres
            ? "SELECT column_name FROM information_schema.columns WHERE table_schema = "
              "current_schema() AND table_name = '" +
                  table + "'"
            : "SELECT name FROM pragma_table_info('" + table + "')";
    std::vector<std::string> columns;
    for (const auto& row : db.query(sql))
        if (!row.empty() && row[0])
            columns.push_back(*row[0]);
    std::sort(columns.begin(), columns.end());
    return columns == tool_columns(tool);
}

std::string text(const database::text_row& row, std::size_t i) {
    return i < row.size() && row[i] ? *row[i] : std::string();
}

foreign_record record_of(foreign_tool tool, const database::text_row& row) {
    foreign_record r;
    r.version = text(row, 0);
    if (tool == foreign_tool::diesel) {
        r.applied_at = text(row, 1);
    } else if (tool == foreign_tool::sqlx) {
        r.description = text(row, 1);
        r.applied_at = text(row, 2);
        r.success = text(row, 3) != "0";
        r.checksum = text(row, 4);
        const std::string nanoseconds = text(row, 5);
        r.execution_ms = nanoseconds.empty() ? 0 : std::stoll(nanoseconds) / 1000000;
    }
    return r;
}

// diesel and dbmate keep versions as text, sqlx as integers.
version_rule rule_of(foreign_tool tool) {
    return tool == foreign_tool::sqlx ? version_rule::number : version_rule::text;
}

}  // namespace

std::string to_string(foreign_tool tool) {
    switch (tool) {
        case foreign_tool::diesel:
            return "diesel";
        case foreign_tool::sqlx:
            return "sqlx";
        case foreign_tool::dbmate:
            return "dbmate";
    }
    return {};
}

std::optional<foreign_tool> foreign_tool_from(std::string_view name) {
    for (auto tool : all_foreign_tools)
        if (to_string(tool) == name)
            return tool;
    return std::nullopt;
}

const char* history_table(foreign_tool tool) {
    switch (tool) {
        case foreign_tool::diesel:
            return "__diesel_schema_migrations";
        case foreign_tool::sqlx:
            return "_sqlx_migrations";
        case foreign_tool::dbmate:
            return "schema_migrations";
    }
    return "";
}

std::optional<foreign_history> read_foreign_history(database& db, foreign_tool tool) {
    if (!db.has_table(history_table(tool)) || !has_tool_columns(db, tool))
        return std::nullopt;
    foreign_history h{tool, {}};
    for (const auto& row : db.query(history_query(tool, db.backend() == backend_kind::postgres)))
        h.records.push_back(record_of(tool, row));
    std::stable_sort(h.records.begin(), h.records.end(),
                     [rule = rule_of(tool)](const foreign_record& a, const foreign_record& b) {
                         const auto va = migration_version::parse(a.version, rule);
                         const auto vb = migration_version::parse(b.version, rule);
                         return va && vb ? *va < *vb : a.version < b.version;
                     });
    return h;
}

std::vector<foreign_history> read_foreign_histories(database& db) {
    std::vector<foreign_history> found;
    for (auto tool : all_foreign_tools)
        if (auto h = read_foreign_history(db, tool))
            found.push_back(std::move(*h));
    return found;
}

schema without_foreign_histories(schema live, const schema& expected) {
    const auto is_history = [&](const table& t) {
        return !expected.find_table(t.name) &&
               std::any_of(std::begin(all_foreign_tools), std::end(all_foreign_tools),
                           [&](foreign_tool tool) { return t.name == history_table(tool); });
    };
    live.tables.erase(std::remove_if(live.tables.begin(), live.tables.end(), is_history),
                      live.tables.end());
    return live;
}

const foreign_record* find_record(const foreign_history& h, std::string_view v) {
    const auto wanted = migration_version::parse(v, rule_of(h.tool));
    for (const auto& r : h.records) {
        const auto recorded = migration_version::parse(r.version, rule_of(h.tool));
        if (wanted && recorded ? *wanted == *recorded : r.version == v)
            return &r;
    }
    return nullptr;
}

}  // namespace strata
