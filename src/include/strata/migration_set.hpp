// Reading a migration directory in any of the three layouts of SPEC.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <vector>

#include "strata/diagnostic.hpp"
#include "strata/migration.hpp"

namespace strata {

struct read_options {
    // Accept migrations without a down script (they become irreversible).
    bool allow_irreversible = false;
    // A file of the set larger than this is refused unread: a script this
    // big is data to load another way, and reading it whole, then applying
    // it one statement at a time, would hold the build for minutes.
    std::uintmax_t max_file_size = 64 * 1024 * 1024;
};

struct migration_set {
    std::filesystem::path directory;
    std::optional<strata::layout> layout;  // nullopt when the set is empty
    std::vector<migration> migrations;     // sorted by version
    strata::diagnostics diagnostics;       // errors and notes, in reading order
    // Every file read and directory listed: what a build must watch to know
    // when to read the set again (a new migration changes a directory).
    std::vector<std::filesystem::path> inputs;

    bool ok() const { return !has_errors(diagnostics); }
    const migration* find(const version& v) const;
};

// Reads every migration of `directory`. Problems of the set are collected in
// `diagnostics`; only an unreadable directory throws.
migration_set read_migration_set(const std::filesystem::path& directory,
                                 const read_options& options = {});

// Throws strata::error for the first error diagnostic of `set`.
void throw_if_invalid(const migration_set& set);

}  // namespace strata
