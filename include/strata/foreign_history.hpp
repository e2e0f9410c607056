// The migration histories that diesel, sqlx and dbmate keep in a database,
// read so that Strata can show them and take a database over from them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "strata/database.hpp"
#include "strata/schema.hpp"

namespace strata {

enum class foreign_tool { diesel, sqlx, dbmate };

inline constexpr foreign_tool all_foreign_tools[] = {foreign_tool::diesel, foreign_tool::sqlx,
                                                     foreign_tool::dbmate};

std::string to_string(foreign_tool tool);
std::optional<foreign_tool> foreign_tool_from(std::string_view name);

// `__diesel_schema_migrations`, `_sqlx_migrations`, `schema_migrations`.
const char* history_table(foreign_tool tool);

// One row of another tool's history.
struct foreign_record {
    std::string version;      // as the tool stored it
    std::string description;  // sqlx's; empty for the others
    std::string applied_at;   // as the database spells the tool's time; empty for dbmate
    std::string checksum;     // sqlx's SHA-384 of the file, lowercase hex; else empty
    std::int64_t execution_ms = 0;
    bool success = true;  // sqlx records failed runs too
};

struct foreign_history {
    foreign_tool tool;
    std::vector<foreign_record> records;  // in the order of their versions
};

// `tool`'s history, or nullopt when the database has no table of it: one
// of that name and with that tool's columns (Rails and golang-migrate call
// theirs `schema_migrations` too).
std::optional<foreign_history> read_foreign_history(database& db, foreign_tool tool);

// The histories of every tool whose table the database has.
std::vector<foreign_history> read_foreign_histories(database& db);

// The live schema `live` without the history tables of the tools that the
// `expected` schema does not define: what a database migrated by one of them
// and taken over by Strata keeps, and no drift.
schema without_foreign_histories(schema live, const schema& expected);

// Whether `h` records `v`, by the tool's own rule: sqlx's 1 is 0001, diesel's and
// dbmate's versions are text.
const foreign_record* find_record(const foreign_history& h, std::string_view version);

}  // namespace strata
