// Database URLs: `sqlite:path`, `sqlite://path`, `sqlite::memory:`,
// `postgres://user:pass@host:port/db` (and `postgresql://`).
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "strata/backend.hpp"

namespace strata {

struct database_url {
    backend_kind backend = backend_kind::sqlite;
    std::string path;     // sqlite: the file, empty for in-memory
    bool memory = false;  // sqlite::memory:
    // sqlite: `?synchronous=off|normal|full|extra`, SQLite's PRAGMA for the
    // migrations' connection; empty: SQLite's default (FULL). Other query
    // parameters (sqlx's `mode=rwc`) are accepted and ignored.
    std::string synchronous;
    std::string text;  // the URL as given (may hold a password: never print it)
    // postgres: libpq's connection parameters that the URL sets (host, port,
    // dbname, user, password, sslmode, options, application_name, ...).
    std::map<std::string, std::string> parameters;
};

// Throws strata::error (usage) naming the redacted URL when it is malformed.
database_url parse_database_url(std::string_view url);

// A libpq connection string (`key='value' ...`) for a postgres URL, with
// `overrides` applied: the same server, another database for instance.
std::string postgres_conninfo(const database_url& url,
                              const std::map<std::string, std::string>& overrides = {});

// The URL with any password replaced by "***", safe for messages and logs.
std::string redact_url(std::string_view url);

// `text` (a driver's message about `url`) with every spelling of the URL's
// password, raw or percent-decoded, replaced by "***".
std::string redact_secrets(std::string text, std::string_view url);

}  // namespace strata
