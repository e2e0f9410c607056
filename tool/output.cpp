#include "output.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <nlohmann/json.hpp>

namespace strata::cli {

namespace {

std::string prefix(const source_location& where) {
    std::string location = format_location(where);
    return location.empty() ? "strata: " : location + ": ";
}

}  // namespace

void print_diagnostics(std::ostream& out, const diagnostics& found) {
    for (const auto& d : found) {
        fmt::print(out, "{}{}: {}\n", prefix(d.where),
                   d.level == severity::error ? "error" : "note", d.message);
        out << format_changes(d.changes, "    ");
    }
}

nlohmann::json findings_json(const diagnostics& found) {
    auto result = nlohmann::json::array();
    for (const auto& d : found)
        result.push_back(
            {{"kind", d.kind},
             {"severity", d.level == severity::error ? "error" : "note"},
             {"version", d.version.empty() ? nlohmann::json(nullptr) : nlohmann::json(d.version)},
             {"file",
              d.where.file.empty() ? nlohmann::json(nullptr) : nlohmann::json(d.where.file)},
             {"line", d.where.line > 0 ? nlohmann::json(d.where.line) : nlohmann::json(nullptr)},
             {"message", d.message},
             {"changes", to_json(d.changes)}});
    return result;
}

void print_error(std::ostream& out, const error& e) {
    fmt::print(out, "{}error: {}\n", prefix(e.where()), e.what());
}

void print_status(std::ostream& out, const std::vector<status_row>& rows) {
    std::size_t version_width = 7;
    std::size_t name_width = 4;
    for (const auto& row : rows) {
        version_width = std::max(version_width, row.version.size());
        name_width = std::max(name_width, row.name.size());
    }
    fmt::print(out, "{:<9} {:<{}} {:<{}} {}\n", "STATUS", "VERSION", version_width, "NAME",
               name_width, "APPLIED AT");
    int counts[5] = {};
    for (const auto& row : rows) {
        ++counts[static_cast<int>(row.status)];
        fmt::print(out, "{:<9} {:<{}} {:<{}} {}\n", to_string(row.status), row.version,
                   version_width, row.name, name_width,
                   row.record ? row.record->applied_at : std::string("-"));
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
}

nlohmann::json status_json(const std::vector<status_row>& rows) {
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
        }
        result.push_back(std::move(item));
    }
    return result;
}

}  // namespace strata::cli
