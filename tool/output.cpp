#include "output.hpp"

#include "schema/dump.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <nlohmann/json.hpp>

#include "sql/text.hpp"

namespace strata::cli {

namespace {

std::string prefix(const source_location& where) {
    std::string location = format_location(where);
    return location.empty() ? "strata: " : location + ": ";
}

}  // namespace

int exit_code(error_kind kind) noexcept {
    switch (kind) {
        case error_kind::check:
            return 1;
        case error_kind::usage:
            return 2;
        case error_kind::connection:
            return 3;
    }
    return 1;
}

std::string with_way_out(const std::string& message, remedy way_out) {
    switch (way_out) {
        case remedy::none:
            return message;
        case remedy::allow_modified:
            return message + ", or pass --allow-modified to proceed anyway";
        case remedy::ignore_missing:
            return message + ", or pass --ignore-missing to proceed anyway";
        case remedy::resume:
            return message + "; `strata up --resume` resumes it";
        case remedy::lock_timeout:
            return message + "; pass a longer --lock-timeout (seconds) to wait longer";
        case remedy::postgres_server:
            return message + "; or pass --postgres-url (or set STRATA_POSTGRES_URL)";
        case remedy::sequential:
            return message + "; pass --sequential to number the new migration instead";
    }
    return message;
}

void print_diagnostics(std::ostream& out, const diagnostics& found) {
    for (const auto& d : found) {
        fmt::print(out, "{}{}: {}\n", prefix(d.where), to_string(d.level),
                   with_way_out(d.message, d.remedy));
        out << format_changes(d.changes, "    ");
    }
}

nlohmann::json findings_json(const diagnostics& found) {
    auto result = nlohmann::json::array();
    for (const auto& d : found)
        result.push_back(
            {{"kind", d.kind},
             {"severity", to_string(d.level)},
             {"version", d.version.empty() ? nlohmann::json(nullptr) : nlohmann::json(d.version)},
             {"file",
              d.where.file.empty() ? nlohmann::json(nullptr) : nlohmann::json(d.where.file)},
             {"line", d.where.line > 0 ? nlohmann::json(d.where.line) : nlohmann::json(nullptr)},
             {"message", with_way_out(d.message, d.remedy)},
             {"changes", to_json(d.changes)}});
    return result;
}

void print_error(std::ostream& out, const error& e) {
    fmt::print(out, "{}error: {}\n", prefix(e.where()), with_way_out(e.what(), e.remedy()));
}

namespace {

// "   DIESEL   SQLX" cells of one row: whether each tool recorded the version.
std::string foreign_cells(const std::vector<foreign_history>& foreign, const std::string* version) {
    std::string cells;
    for (const auto& h : foreign) {
        const std::string head = to_upper(to_string(h.tool));
        const foreign_record* r = version ? find_record(h, *version) : nullptr;
        const std::string cell = !version ? head : !r ? "-" : r->success ? "applied" : "failed";
        cells += fmt::format(" {:<{}}", cell, std::max<std::size_t>(head.size(), 7));
    }
    return cells;
}

}  // namespace

void print_status(std::ostream& out, const std::vector<status_row>& rows,
                  const std::vector<foreign_history>& foreign) {
    std::size_t version_width = 7;
    std::size_t name_width = 4;
    std::size_t applied_width = 10;
    for (const auto& row : rows) {
        version_width = std::max(version_width, row.version.size());
        name_width = std::max(name_width, row.name.size());
        if (row.record)
            applied_width = std::max(applied_width, row.record->applied_at.size());
    }
    // The APPLIED AT column is padded only when other tools' columns follow.
    const std::size_t applied_pad = foreign.empty() ? 0 : applied_width;
    const auto line = [&](const std::string& status, const std::string& version,
                          const std::string& name, const std::string& applied,
                          const std::string& cells) {
        std::string text =
            fmt::format("{:<9} {:<{}} {:<{}} {:<{}}{}", status, version, version_width, name,
                        name_width, applied, applied_pad, cells);
        while (!text.empty() && text.back() == ' ')
            text.pop_back();
        fmt::print(out, "{}\n", text);
    };
    line("STATUS", "VERSION", "NAME", "APPLIED AT", foreign_cells(foreign, nullptr));
    int counts[5] = {};
    for (const auto& row : rows) {
        ++counts[static_cast<int>(row.status)];
        line(to_string(row.status), row.version, row.name,
             row.record ? row.record->applied_at : std::string("-"),
             foreign_cells(foreign, &row.version));
    }
    std::string summary;
    for (auto s : {migration_status::applied, migration_status::pending, migration_status::modified,
                   migration_status::missing, migration_status::partial}) {
        if (counts[static_cast<int>(s)] == 0 && s != migration_status::applied &&
            s != migration_status::pending)
            continue;
        summary += fmt::format("{}{} {}", summary.empty() ? "" : ", ", counts[static_cast<int>(s)],
                               to_string(s));
    }
    fmt::print(out, "{}\n", summary);
    for (const auto& h : foreign) {
        std::size_t untaken = 0;
        std::string unknown;
        for (const auto& r : h.records) {
            const auto row = std::find_if(rows.begin(), rows.end(), [&](const status_row& s) {
                return find_record(h, s.version) == &r;
            });
            if (row == rows.end())
                unknown += (unknown.empty() ? "" : ", ") + r.version;
            else if (!row->record)
                ++untaken;
        }
        if (untaken > 0)
            fmt::print(out,
                       "{}'s history ({}) records {} migration(s) that Strata's does not; "
                       "`strata adopt --from {}` takes it over\n",
                       to_string(h.tool), history_table(h.tool), untaken, to_string(h.tool));
        if (!unknown.empty())
            fmt::print(out,
                       "{}'s history also records version(s) {}, which --dir has no migration "
                       "for\n",
                       to_string(h.tool), unknown);
    }
}

nlohmann::json status_json(const std::vector<status_row>& rows,
                           const std::vector<foreign_history>& foreign) {
    auto result = nlohmann::json::array();
    for (const auto& row : rows) {
        nlohmann::json item = {
            {"version", row.version},
            {"name", row.name},
            {"status", to_string(row.status)},
            {"file", row.local ? nlohmann::json(row.local->up.file) : nullptr},
            {"checksum", row.local ? nlohmann::json(row.local->checksum)
                                   : nlohmann::json(row.record->checksum)},
            {"applied_at", row.record ? nlohmann::json(row.record->applied_at) : nullptr}};
        if (row.record) {
            item["applied_checksum"] = row.record->checksum;
            item["execution_ms"] = row.record->execution_ms;
            if (row.status == migration_status::partial)
                item["statements_done"] = row.record->statements_done;
        }
        if (!foreign.empty()) {
            item["foreign"] = nlohmann::json::object();
            for (const auto& h : foreign)
                if (const auto* r = find_record(h, row.version); r && !r->success)
                    item["foreign"][to_string(h.tool)] = "failed";
                else
                    item["foreign"][to_string(h.tool)] = r != nullptr;
        }
        result.push_back(std::move(item));
    }
    return result;
}

}  // namespace strata::cli
