// A normalised model of a database schema: what Strata dumps, diffs, checks
// round trips against and generates headers from.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "strata/backend.hpp"

namespace strata {

enum class generated_kind { none, virtual_column, stored_column };

struct column {
    std::string name;  // as declared: its case is observable (`SELECT *`)
    std::string type;  // declared type in canonical upper-case SQL; empty when none
                       // (postgres: format_type's lower-case spelling, `character varying(40)`)
    bool not_null = false;
    std::optional<std::string> default_sql;  // canonical expression
    std::string collation;  // upper case; empty for the default (BINARY; postgres: the type's)
    int primary_key = 0;    // 1-based position in the primary key, 0 if none
    bool descending_key = false;  // column-level PRIMARY KEY DESC: no rowid alias (SQLite quirk)
    bool autoincrement = false;
    generated_kind generated = generated_kind::none;
    std::string generated_sql;  // canonical expression of a generated column
    bool hidden = false;        // a hidden column of a virtual table
    std::string identity;       // postgres: "ALWAYS" or "BY DEFAULT"; empty when not identity
};

struct foreign_key {
    std::string name;  // postgres: the constraint's name; empty on SQLite
    std::vector<std::string> columns;
    std::string table;
    std::vector<std::string> referenced;  // resolved to the target's primary key if omitted
    std::string on_delete = "NO ACTION";
    std::string on_update = "NO ACTION";
    bool deferred = false;   // DEFERRABLE INITIALLY DEFERRED
    std::string definition;  // postgres: pg_get_constraintdef's text (MATCH FULL and all)
};

struct check_constraint {
    std::string name;  // empty when unnamed
    std::string expression;
};

struct index_column {
    std::string expression;  // a column name (canonical quoting) or a canonical expression
    bool descending = false;
    std::string collation;  // upper case; empty for BINARY
};

// The canonical spelling of index keys: `a, b COLLATE NOCASE DESC`.
std::string key_list_sql(const std::vector<index_column>& keys);

struct unique_constraint {
    std::string name;  // postgres: the constraint's name; empty on SQLite
    std::vector<index_column> keys;
    std::string on_conflict;  // ROLLBACK, FAIL, IGNORE or REPLACE; empty for the default, ABORT
    std::string definition;   // postgres: pg_get_constraintdef's text (NULLS NOT DISTINCT, ...)
};

// `(a, b) ON CONFLICT REPLACE`
std::string unique_sql(const unique_constraint& u);

struct index {
    std::string name;
    std::string table;
    bool unique = false;
    std::vector<index_column> columns;
    std::string where;  // canonical expression of a partial index; empty if none
    // PostgreSQL only; empty on SQLite.
    std::string method;                // access method (`gin`, `gist`); empty for btree
    std::vector<std::string> include;  // INCLUDE columns
    std::string options;               // NULLS NOT DISTINCT, WITH (...), as the server spells them
};

struct table {
    std::string name;
    std::vector<column> columns;               // in declaration order
    std::vector<unique_constraint> uniques;    // sorted
    std::vector<check_constraint> checks;      // sorted
    std::string primary_key_name;              // postgres: the constraint's name
    std::string primary_key_definition;        // postgres: pg_get_constraintdef's text
    std::vector<check_constraint> exclusions;  // postgres: name and `EXCLUDE USING ...`
    std::vector<foreign_key> foreign_keys;     // sorted
    bool without_rowid = false;
    bool strict = false;
    std::string virtual_using;  // canonical `USING module(args)` of a virtual table

    const column* find_column(std::string_view name) const;
    // Whether `c` can hold NULL: not for NOT NULL, a rowid alias (INTEGER
    // PRIMARY KEY) or a WITHOUT ROWID primary key.
    bool is_nullable(const column& c) const;
    bool is_rowid_alias(const column& c) const;
    std::vector<const column*> primary_key() const;  // in key order
};

struct view {
    std::string name;
    std::string sql;  // canonical CREATE [MATERIALIZED] VIEW statement
    bool materialized = false;
};

struct trigger {
    std::string name;
    std::string table;
    std::string sql;  // canonical CREATE TRIGGER statement
};

// PostgreSQL's user-defined types: an enum with its labels, or a domain,
// composite or range type with its canonical definition.
struct user_type {
    std::string name;
    std::string kind;                 // "enum", "domain", "composite", "range"
    std::vector<std::string> labels;  // enum labels in their sort order
    std::string sql;                  // canonical CREATE TYPE / CREATE DOMAIN statement
};

// A PostgreSQL sequence. Ownership is kept apart from `sql` because a dump
// must create the sequence before the table whose default uses it, and can
// only give it an owner after. Lost ownership is a difference. Sequences of
// identity columns belong to their column instead.
struct sequence {
    std::string name;
    std::string sql;       // canonical CREATE SEQUENCE statement with all its parameters
    std::string owned_by;  // `table.column` as SQL spells it; empty when not owned
};

// A PostgreSQL function or procedure. Overloads share a name, so the key is
// the signature: `name(integer, text)`.
struct routine {
    std::string signature;
    std::string kind = "function";  // "function" or "procedure"
    std::string sql;                // CREATE OR REPLACE FUNCTION / PROCEDURE, unqualified name
};

struct extension {
    std::string name;  // its version is the server's business, not the schema's
};

struct schema {
    backend_kind backend = backend_kind::sqlite;
    // Each sorted by name.
    std::vector<table> tables;
    std::vector<index> indexes;  // explicit CREATE INDEX only; UNIQUE constraints live on tables
    std::vector<view> views;
    std::vector<trigger> triggers;
    // PostgreSQL only; empty on SQLite.
    std::vector<extension> extensions;
    std::vector<user_type> types;
    std::vector<sequence> sequences;
    std::vector<routine> routines;  // sorted by signature

    const table* find_table(std::string_view name) const;
};

// The object of `items` called `name`: the exact spelling first, else the
// one SQLite would match (names are case-insensitive); null when none.
template <typename T>
const T* find_named(const std::vector<T>& items, std::string_view name);

// The order objects are listed in: by name, case-insensitively (as SQLite
// compares names), then by exact spelling.
bool name_less(std::string_view a, std::string_view b);

// Whether two names are the same to SQLite: equal ignoring ASCII case.
bool same_name(std::string_view a, std::string_view b);

template <typename T>
const T* find_named(const std::vector<T>& items, std::string_view name) {
    for (const auto& item : items)
        if (item.name == name)
            return &item;
    for (const auto& item : items)
        if (same_name(item.name, name))
            return &item;
    return nullptr;
}

}  // namespace strata
