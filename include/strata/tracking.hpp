// Rows of the tracking table (`_strata_migrations` unless renamed).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace strata {

inline constexpr const char* default_tracking_table = "_strata_migrations";

// A migration that ran outside a transaction is recorded as `running` before
// its first statement and counts its finished statements, so a crash part way
// is visible instead of silently looking pending or applied.
enum class record_state { applied, running };

struct applied_migration {
    std::string version;  // digits as in the file name, see strata::migration_version::str()
    std::string name;
    std::string checksum;    // see script_checksum()
    std::string applied_at;  // UTC, ISO-8601 with milliseconds
    std::int64_t execution_ms = 0;
    record_state state = record_state::applied;
    int statements_done = 0;
};

const char* to_string(record_state s) noexcept;
record_state record_state_from(const std::string& text);

// Orders rows by version number, as the tracking table does not. The table
// does not know the set's layout: compute_status() orders by the set's rule.
void sort_by_version(std::vector<applied_migration>& rows);

// Current UTC time as ISO-8601 with milliseconds: 2026-11-23T05:30:05.123Z.
std::string utc_timestamp();

// Throws strata::error (usage) unless `name` is a plain SQL identifier:
// letters, digits and underscores, not starting with a digit.
void check_table_name(const std::string& name);

}  // namespace strata
