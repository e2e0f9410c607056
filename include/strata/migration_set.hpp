// Reading a migration directory in any of the three layouts (docs/layouts.md).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

#include "strata/diagnostic.hpp"
#include "strata/migration.hpp"

namespace strata {

struct read_options {
    // A file of the set larger than this is refused unread: a script this
    // big is data to load another way, and reading it whole, then applying
    // it one statement at a time, would hold the build for minutes.
    std::uintmax_t max_file_size = 64 * 1024 * 1024;
};

struct migration_set {
    std::filesystem::path directory;
    std::optional<strata::layout> layout;  // nullopt when the set is empty
    std::vector<migration> migrations;     // in the order of the layout's version rule
    strata::diagnostics diagnostics;       // errors and notes, in reading order
    // A "missing-down" finding for each migration whose reversal is
    // `missing`. Not errors of the set, since applying needs no down script,
    // but of the build's check, which grandfathers those of an older history.
    strata::diagnostics missing_downs;
    // Every file read and directory listed: what a build must watch to know
    // when to read the set again (a new migration changes a directory).
    std::vector<std::filesystem::path> inputs;

    bool ok() const { return !has_errors(diagnostics); }
    // The rule of the set's layout; an empty set's is the number rule.
    version_rule rule() const noexcept;
    // `text` (a version the user typed, or one from a tracking table) as the
    // set's rule reads it; nullopt when it is no version.
    std::optional<migration_version> parse_version(std::string_view text) const;
    const migration* find(const migration_version& v) const;
    // Whether `a` comes before `b` in the set's order: by their places when
    // both are migrations of the set, else by the set's rule.
    bool precedes(const migration_version& a, const migration_version& b) const;
};

// Reads every migration of `directory`. Problems of the set are collected in
// `diagnostics`; only an unreadable directory throws.
migration_set read_migration_set(const std::filesystem::path& directory,
                                 const read_options& options = {});

// Throws strata::error for the first error diagnostic of `set`.
void throw_if_invalid(const migration_set& set);

}  // namespace strata
