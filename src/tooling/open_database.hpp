// Opening the database a URL names, whatever its backend.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "strata/database.hpp"
#include "strata/postgres/database_url.hpp"

namespace strata {

struct open_options {
    std::string tracking_table = default_tracking_table;
    std::chrono::milliseconds timeout{std::chrono::seconds(60)};  // busy / lock wait
    // Only inspect: never create or write. A SQLite file that does not exist
    // yet opens as an empty database.
    bool read_only = false;
    std::string schema;                 // postgres: the schema migrated and introspected
    std::chrono::milliseconds wait{0};  // postgres: keep retrying a starting server this long
};

// Throws strata::error (connection) when the database cannot be opened; the
// message names the URL with its password redacted.
std::unique_ptr<database> open_database(const database_url& url, const open_options& options = {});

}  // namespace strata
