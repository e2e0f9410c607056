// Creating the files of a new migration (`strata new`).
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "strata/migration_set.hpp"

namespace strata {

struct scaffold_options {
    std::optional<strata::layout> layout;  // default: the set's own, else diesel
    bool sequential = false;  // next number instead of a UTC timestamp (also when the set is)
};

// The version a new migration of `set` gets: a UTC timestamp (diesel's
// dashed style in its layout) later than every version by the set's rule,
// or the next number where the set counts (sqlx-cli's rule: its newest
// version has fewer than 10 digits) or options.sequential asks.
std::string next_version(
    const migration_set& set, const scaffold_options& options = {},
    std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

// Creates the up and down files of migration `name` in `directory` (created
// if needed) and returns their paths: one file in a set of sqlx's plain
// files, which are one-way. The version is later than every existing one by
// the set's version rule. Throws strata::error (usage) for a name that is not letters,
// digits, '_' and '-', or when a file already exists.
std::vector<std::filesystem::path> scaffold_migration(
    const std::filesystem::path& directory, const std::string& name,
    const scaffold_options& options = {},
    std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

}  // namespace strata
