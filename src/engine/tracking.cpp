#include "strata/tracking.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>

#include <fmt/format.h>

#include "strata/error.hpp"
#include "strata/migration_version.hpp"

namespace strata {

const char* to_string(record_state s) noexcept {
    return s == record_state::running ? "running" : "applied";
}

record_state record_state_from(const std::string& text) {
    return text == "running" ? record_state::running : record_state::applied;
}

void sort_by_version(std::vector<applied_migration>& rows) {
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
        auto va = migration_version::parse(a.version, version_rule::number);
        auto vb = migration_version::parse(b.version, version_rule::number);
        if (va && vb && *va != *vb)
            return *va < *vb;
        return a.version < b.version;
    });
}

std::string utc_timestamp() {
    using namespace std::chrono;
    const auto now = system_clock::now();
    const std::time_t seconds = system_clock::to_time_t(now);
    const auto millis = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", utc.tm_year + 1900,
                       utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, millis);
}

void check_table_name(const std::string& name) {
    bool ok = !name.empty() && !(name.front() >= '0' && name.front() <= '9');
    for (char c : name)
        ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_');
    if (!ok)
        throw error(error_kind::usage,
                    "tracking table name '" + name +
                        "' must be letters, digits and underscores, not starting with a digit");
}

}  // namespace strata
