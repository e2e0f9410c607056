#include "tooling/scaffold.hpp"

#include <ctime>
#include <fstream>
#include <optional>

#include <fmt/format.h>

#include "strata/error.hpp"
#include "strata/migration_set.hpp"

namespace fs = std::filesystem;

namespace strata {

namespace {

void check_name(const std::string& name) {
    bool ok = !name.empty();
    for (char c : name)
        ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-');
    if (!ok)
        throw error(error_kind::usage,
                    "migration name '" + name + "' must be letters, digits, '_' and '-' only");
}

// A set that counts (`0001`, `0002`) rather than dates: its newest version is
// all digits and shorter than a date (diesel's `2024-03-13_x` is 20240313).
bool is_sequential(const migration_set& set) {
    if (set.migrations.empty())
        return false;
    const std::string& v = set.migrations.back().version.str();
    return v.size() < 8 && v.find_first_not_of("0123456789") == std::string::npos;
}

std::string timestamp_version(std::chrono::system_clock::time_point t, layout l) {
    const std::time_t seconds = std::chrono::system_clock::to_time_t(t);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    // Diesel writes its dashed style; the others plain digits.
    const char* pattern = l == layout::diesel ? "{:04}-{:02}-{:02}-{:02}{:02}{:02}"
                                              : "{:04}{:02}{:02}{:02}{:02}{:02}";
    return fmt::format(pattern, utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday, utc.tm_hour,
                       utc.tm_min, utc.tm_sec);
}

// Whether `text` sorts after every version of `set` by its rule (as a
// dbmate file name of its own: `<text>_<name>.sql`).
bool sorts_last(const migration_set& set, const std::string& text) {
    const auto v = migration_version::parse(text, set.rule());
    return v && (set.migrations.empty() || *v > set.migrations.back().version);
}

std::string next_sequential(const migration_set& set) {
    if (set.migrations.empty())
        return "0001";
    const std::string last = set.migrations.back().version.str();
    if (last.find_first_not_of("0123456789") != std::string::npos)
        throw error(error_kind::usage, "cannot count on from version " + last + " of '" +
                                           set.directory.generic_string() + "': it is no number");
    // Decimal increment of the digit string: versions may exceed 64 bits.
    std::string next = last;
    for (auto it = next.rbegin(); it != next.rend(); ++it) {
        if (*it != '9') {
            ++*it;
            return next;
        }
        *it = '0';
    }
    return "1" + next;
}

// Two `new` within one second must still get increasing versions.
std::optional<std::string> next_timestamp(const migration_set& set,
                                          std::chrono::system_clock::time_point now, layout l) {
    for (int i = 0; i < 86400; ++i)
        if (std::string text = timestamp_version(now + std::chrono::seconds(i), l);
            sorts_last(set, text))
            return text;
    return std::nullopt;
}

}  // namespace

std::string next_version(const migration_set& set, const scaffold_options& options,
                         std::chrono::system_clock::time_point now) {
    const layout l = options.layout.value_or(set.layout.value_or(layout::diesel));
    std::optional<std::string> next;
    if (options.sequential || is_sequential(set))
        next = next_sequential(set);
    else if (next = next_timestamp(set, now, l); !next && set.rule() == version_rule::number)
        throw error(
            error_kind::usage,
            "the latest version of '" + set.directory.generic_string() + "' lies in the future", {},
            remedy::sequential);
    // diesel compares versions as text and dbmate file names: after 9 come
    // neither 10 nor a timestamp of 2026.
    if (!next || !sorts_last(set, *next))
        throw error(error_kind::usage,
                    fmt::format("no new version sorts after {}, the latest of '{}', in {}'s order "
                                "(its versions compare as {}); give the new migration a version "
                                "by hand",
                                set.migrations.back().version.str(), set.directory.generic_string(),
                                to_string(*set.layout), to_string(set.rule())));
    return *next;
}

namespace {

void write_new_file(const fs::path& path, const std::string& content) {
    std::error_code ec;
    if (fs::exists(path, ec))
        throw error(error_kind::usage, "'" + path.generic_string() + "' already exists");
    std::ofstream out(path, std::ios::binary);
    out << content;
    if (!out.flush())
        throw error(error_kind::usage, "cannot write '" + path.generic_string() + "'");
}

}  // namespace

std::vector<fs::path> scaffold_migration(const fs::path& directory, const std::string& name,
                                         const scaffold_options& options,
                                         std::chrono::system_clock::time_point now) {
    check_name(name);
    std::error_code ec;
    fs::create_directories(directory, ec);
    if (ec)
        throw error(error_kind::usage,
                    "cannot create '" + directory.generic_string() + "': " + ec.message());
    // A set with problems still gets new migrations.
    const migration_set set = read_migration_set(directory);
    const layout l = options.layout.value_or(set.layout.value_or(layout::diesel));
    // sqlx-cli's `migrate add` follows the set's newest migration: a set of
    // plain files gets another plain file.
    const bool plain_sqlx = l == layout::sqlx && set.layout == layout::sqlx &&
                            set.migrations.back().reversal == reversal::one_way;
    const std::string stem = next_version(set, options, now) + "_" + name;

    const std::string up_text = "-- " + name + ": your SQL goes here\n";
    const std::string down_text = "-- revert what the up script of " + name + " does\n";
    std::vector<fs::path> created;
    switch (l) {
        case layout::diesel: {
            const fs::path dir = directory / stem;
            if (!fs::create_directory(dir, ec))
                throw error(error_kind::usage, "'" + dir.generic_string() + "' already exists");
            created = {dir / "up.sql", dir / "down.sql"};
            write_new_file(created[0], up_text);
            write_new_file(created[1], down_text);
            break;
        }
        case layout::sqlx:
            if (plain_sqlx) {
                created = {directory / (stem + ".sql")};
                write_new_file(created[0], up_text);
                break;
            }
            created = {directory / (stem + ".up.sql"), directory / (stem + ".down.sql")};
            write_new_file(created[0], up_text);
            write_new_file(created[1], down_text);
            break;
        case layout::dbmate:
            created = {directory / (stem + ".sql")};
            write_new_file(created[0],
                           "-- migrate:up\n" + up_text + "\n-- migrate:down\n" + down_text);
            break;
    }
    return created;
}

}  // namespace strata
