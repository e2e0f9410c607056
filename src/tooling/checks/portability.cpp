#include "tooling/checks/portability.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "sql/postgres_statements.hpp"
#include "sql/text.hpp"
#include "sql/tokens.hpp"
#include "sqlite/statements.hpp"

namespace strata {

namespace {

bool has(const std::string& text, const char* part) {
    return text.find(part) != std::string::npos;
}

// SQLite's affinity rules (datatype3.html, 3.1), with the names that
// applications use for booleans and times, which SQLite stores as numbers
// or text but PostgreSQL keeps apart.
std::string sqlite_class(const std::string& type) {
    const std::string t = to_upper(type);
    if (has(t, "BOOL"))
        return "bool";
    if (has(t, "DATE") || has(t, "TIME"))
        return "timestamp";
    if (has(t, "INT"))
        return "integer";
    if (has(t, "CHAR") || has(t, "CLOB") || has(t, "TEXT"))
        return "text";
    if (has(t, "BLOB") || t.empty())
        return "blob";
    return "real";
}

std::string postgres_class(const std::string& type) {
    const std::string t = to_lower(type);
    if (has(t, "[]"))
        return "array";
    if (t == "boolean")
        return "bool";
    if (t == "smallint" || t == "integer" || t == "bigint")
        return "integer";
    if (t == "real" || t == "double precision" || t.rfind("numeric", 0) == 0)
        return "real";
    if (t == "bytea")
        return "blob";
    if (t.rfind("timestamp", 0) == 0 || t == "date" || t.rfind("time", 0) == 0)
        return "timestamp";
    return "text";  // character types, uuid, json, enums and the rest, as text on the wire
}

}  // namespace

diagnostics check_portability(const schema& sqlite, const schema& postgres) {
    diagnostics found;
    auto finding = [&](std::string message) {
        found.push_back({severity::error, "portability", {}, {}, std::move(message), {}});
    };
    for (const auto& t : sqlite.tables) {
        const table* other = find_named(postgres.tables, t.name);
        if (!other) {
            finding(fmt::format("table {} exists on sqlite but not on postgres", t.name));
            continue;
        }
        for (const auto& c : t.columns) {
            const column* pc = other->find_column(c.name);
            if (!pc) {
                finding(fmt::format("table {}: column {} exists on sqlite but not on postgres",
                                    t.name, c.name));
                continue;
            }
            const auto a = sqlite_class(c.type);
            const auto b = postgres_class(pc->type);
            if (a != b)
                finding(fmt::format(
                    "table {}: column {}: {} on sqlite ({}) but {} on postgres ({})", t.name,
                    c.name, a, c.type.empty() ? "no type" : c.type, b, pc->type));
        }
        for (const auto& pc : other->columns)
            if (!t.find_column(pc.name))
                finding(fmt::format("table {}: column {} exists on postgres but not on sqlite",
                                    t.name, pc.name));
    }
    for (const auto& t : postgres.tables)
        if (!find_named(sqlite.tables, t.name))
            finding(fmt::format("table {} exists on postgres but not on sqlite", t.name));
    return found;
}

namespace {

// ---- A migration's statements, split as its backend splits them.

// Each statement of `s` as a script of its own, with its own first line.
std::vector<script> statements_of(const script& s, backend_kind backend) {
    const auto spans = backend == backend_kind::postgres ? detail::split_postgres_statements(s.sql)
                                                         : detail::split_sqlite_statements(s.sql);
    std::vector<script> statements;
    for (const auto& span : spans)
        statements.push_back({s.sql.substr(span.begin, span.end - span.begin), s.file,
                              s.first_line + lines_before(s.sql, span.begin)});
    return statements;
}

// ---- Token helpers.

bool is_word(const std::vector<token>& t, std::size_t i, std::string_view word) {
    return i < t.size() && is_word(t[i], word);
}

bool is_punct(const std::vector<token>& t, std::size_t i, std::string_view text) {
    return i < t.size() && is_punct(t[i], text);
}

// Whether `words` follow one another from `i`; if so, moves `i` past them.
bool skip_words(const std::vector<token>& t, std::size_t& i,
                std::initializer_list<std::string_view> words) {
    std::size_t j = i;
    for (auto w : words)
        if (!is_word(t, j++, w))
            return false;
    i = j;
    return true;
}

bool has_word(const std::vector<token>& t, std::string_view word) {
    return std::any_of(t.begin(), t.end(), [&](const token& x) {
        return x.kind == token_kind::word && iequals(x.text, word);
    });
}

// Whether `words` follow one another anywhere in `t`.
bool has_words(const std::vector<token>& t, std::initializer_list<std::string_view> words) {
    for (std::size_t i = 0; i < t.size(); ++i)
        if (std::size_t j = i; skip_words(t, j, words))
            return true;
    return false;
}

// A name, schema-qualified or not: its last part in lower case (PostgreSQL
// folds unquoted names, SQLite ignores their case); moves `i` past it.
std::string read_name(const std::vector<token>& t, std::size_t& i) {
    if (i >= t.size() || !is_name(t[i]))
        return {};
    std::string name = t[i++].text;
    while (is_punct(t, i, ".") && i + 1 < t.size() && is_name(t[i + 1])) {
        name = t[i + 1].text;
        i += 2;
    }
    return to_lower(name);
}

bool is_constraint_word(const token& t) {
    if (t.kind != token_kind::word)
        return false;
    for (std::string_view w :
         {"CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN", "EXCLUDE", "LIKE"})
        if (iequals(t.text, w))
            return true;
    return false;
}

// ---- What a statement would have created, and what an error says is missing.

enum class object_kind { relation, column, type, function, schema, trigger };

struct object_name {
    object_kind kind;
    std::string name;   // lower case, without its schema
    std::string table;  // a column's or trigger's table; empty where an error does not say
};

// The columns of CREATE TABLE's list, which opens at `open`.
void add_columns(const std::vector<token>& t, std::size_t open, const std::string& table,
                 std::vector<object_name>& out) {
    int depth = 0;
    bool element_start = false;
    for (std::size_t i = open; i < t.size(); ++i) {
        if (is_punct(t, i, "(")) {
            if (++depth == 1)
                element_start = true;
            continue;
        }
        if (is_punct(t, i, ")")) {
            if (--depth == 0)
                return;
            continue;
        }
        if (depth == 1 && is_punct(t, i, ",")) {
            element_start = true;
            continue;
        }
        if (depth == 1 && element_start) {
            element_start = false;
            if (is_name(t[i]) && !is_constraint_word(t[i]))
                out.push_back({object_kind::column, to_lower(t[i].text), table});
        }
    }
}

void add_created(const std::vector<token>& t, std::vector<object_name>& out) {
    std::size_t i = 1;
    skip_words(t, i, {"OR", "REPLACE"});
    while (i < t.size() && t[i].kind == token_kind::word &&
           (iequals(t[i].text, "TEMP") || iequals(t[i].text, "TEMPORARY") ||
            iequals(t[i].text, "GLOBAL") || iequals(t[i].text, "LOCAL") ||
            iequals(t[i].text, "UNLOGGED") || iequals(t[i].text, "UNIQUE") ||
            iequals(t[i].text, "MATERIALIZED") || iequals(t[i].text, "RECURSIVE") ||
            iequals(t[i].text, "VIRTUAL") || iequals(t[i].text, "CONSTRAINT")))
        ++i;
    if (i >= t.size() || t[i].kind != token_kind::word)
        return;
    const std::string what = to_upper(t[i++].text);
    object_kind kind;
    if (what == "TABLE" || what == "VIEW" || what == "SEQUENCE" || what == "INDEX")
        kind = object_kind::relation;
    else if (what == "TYPE" || what == "DOMAIN")
        kind = object_kind::type;
    else if (what == "FUNCTION" || what == "PROCEDURE" || what == "AGGREGATE")
        kind = object_kind::function;
    else if (what == "SCHEMA")
        kind = object_kind::schema;
    else if (what == "TRIGGER")
        kind = object_kind::trigger;
    else
        return;
    skip_words(t, i, {"CONCURRENTLY"});
    skip_words(t, i, {"IF", "NOT", "EXISTS"});
    if (what == "INDEX" && is_word(t, i, "ON"))
        return;  // PostgreSQL names it
    if (what == "SCHEMA")
        skip_words(t, i, {"AUTHORIZATION"});
    const std::string name = read_name(t, i);
    if (name.empty())
        return;
    std::string table;
    if (kind == object_kind::trigger)
        for (std::size_t j = i; j < t.size() && table.empty(); ++j)
            if (is_word(t, j, "ON"))
                table = read_name(t, ++j);
    out.push_back({kind, name, table});
    if (what == "TABLE" && is_punct(t, i, "("))
        add_columns(t, i, name, out);
}

void add_altered(const std::vector<token>& t, std::vector<object_name>& out) {
    std::size_t i = 1;
    if (skip_words(t, i, {"TABLE"})) {
        skip_words(t, i, {"IF", "EXISTS"});
        skip_words(t, i, {"ONLY"});
        const std::string table = read_name(t, i);
        if (table.empty())
            return;
        int depth = 0;
        bool action_start = true;
        for (; i < t.size(); ++i) {
            if (is_punct(t, i, "("))
                ++depth;
            else if (is_punct(t, i, ")"))
                --depth;
            else if (depth == 0 && is_punct(t, i, ","))
                action_start = true;
            if (!action_start || is_punct(t, i, ","))
                continue;
            action_start = false;
            std::size_t j = i;
            if (skip_words(t, j, {"ADD"})) {
                const bool column = skip_words(t, j, {"COLUMN"});
                skip_words(t, j, {"IF", "NOT", "EXISTS"});
                if (j < t.size() && is_name(t[j]) && (column || !is_constraint_word(t[j])))
                    out.push_back({object_kind::column, to_lower(t[j].text), table});
            } else if (skip_words(t, j, {"RENAME", "TO"})) {
                const std::string renamed = read_name(t, j);
                if (renamed.empty())
                    continue;
                // A table rebuilt under a new name (SQLite's way to change a
                // column) would have brought its columns along.
                std::vector<object_name> columns;
                for (const auto& o : out)
                    if (o.kind == object_kind::column && o.table == table)
                        columns.push_back({object_kind::column, o.name, renamed});
                out.push_back({object_kind::relation, renamed, {}});
                out.insert(out.end(), columns.begin(), columns.end());
            } else if (skip_words(t, j, {"RENAME"})) {
                skip_words(t, j, {"COLUMN"});
                if (is_word(t, j, "CONSTRAINT") || read_name(t, j).empty() ||
                    !skip_words(t, j, {"TO"}))
                    continue;
                if (const std::string renamed = read_name(t, j); !renamed.empty())
                    out.push_back({object_kind::column, renamed, table});
            }
        }
        return;
    }
    // ALTER INDEX / VIEW / SEQUENCE / MATERIALIZED VIEW / TYPE x RENAME TO y.
    skip_words(t, i, {"MATERIALIZED"});
    const bool type = is_word(t, i, "TYPE");
    if (!type && !is_word(t, i, "INDEX") && !is_word(t, i, "VIEW") && !is_word(t, i, "SEQUENCE"))
        return;
    ++i;
    skip_words(t, i, {"IF", "EXISTS"});
    if (read_name(t, i).empty() || !skip_words(t, i, {"RENAME", "TO"}))
        return;
    if (const std::string renamed = read_name(t, i); !renamed.empty())
        out.push_back({type ? object_kind::type : object_kind::relation, renamed, {}});
}

// What the statement would have created: tables, views, indexes, sequences,
// types, functions, schemas, triggers, and columns (of CREATE TABLE, added
// or renamed by ALTER TABLE, and brought along when a table is renamed).
void add_objects(const std::vector<token>& t, std::vector<object_name>& out) {
    if (is_word(t, 0, "CREATE"))
        add_created(t, out);
    else if (is_word(t, 0, "ALTER"))
        add_altered(t, out);
}

bool starts_with(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

bool ends_with(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// "(SQLSTATE 42P01)" at the end of a PostgreSQL message, as postgres_database
// words it: the code, and the message without it.
std::pair<std::string, std::string> split_sqlstate(const std::string& message) {
    const auto at = message.rfind(" (SQLSTATE ");
    if (at == std::string::npos || !ends_with(message, ")"))
        return {{}, message};
    return {message.substr(at + 11, message.size() - at - 12), message.substr(0, at)};
}

// The last part of a name that an error message spells, in lower case.
std::string name_in_message(std::string_view name) {
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"')
        name = name.substr(1, name.size() - 2);
    if (const auto dot = name.rfind('.'); dot != std::string_view::npos)
        name = name.substr(dot + 1);
    return to_lower(name);
}

// `prefix"NAME"rest`: NAME and rest.
std::optional<std::pair<std::string, std::string>> quoted_name(std::string_view text,
                                                               std::string_view prefix) {
    if (!starts_with(text, prefix))
        return std::nullopt;
    const auto close = text.find('"', prefix.size());
    if (close == std::string_view::npos)
        return std::nullopt;
    return std::make_pair(std::string(text.substr(prefix.size(), close - prefix.size())),
                          std::string(text.substr(close + 1)));
}

// The object a "does not exist" error names: PostgreSQL's undefined-object
// SQLSTATEs (42P01, 42703, 42704, 42883, 3F000) or SQLite's "no such ..."
// messages. Nothing for any other error.
std::optional<object_name> missing_object(const std::string& message) {
    const auto [state, text] = split_sqlstate(message);
    const std::string_view missing = " does not exist";
    if (state == "42P01") {
        for (std::string_view prefix :
             {"relation \"", "table \"", "view \"", "sequence \"", "materialized view \""})
            if (auto q = quoted_name(text, prefix); q && q->second == missing)
                return object_name{object_kind::relation, name_in_message(q->first), {}};
    } else if (state == "42704") {
        if (auto q = quoted_name(text, "type \""); q && q->second == missing)
            return object_name{object_kind::type, name_in_message(q->first), {}};
        if (auto q = quoted_name(text, "index \""); q && q->second == missing)
            return object_name{object_kind::relation, name_in_message(q->first), {}};
        if (auto q = quoted_name(text, "trigger \""); q && ends_with(q->second, missing))
            return object_name{object_kind::trigger, name_in_message(q->first), {}};
    } else if (state == "42703") {
        if (auto q = quoted_name(text, "column \"")) {
            if (auto of = quoted_name(q->second, " of relation \""); of && of->second == missing)
                return object_name{object_kind::column, to_lower(q->first),
                                   name_in_message(of->first)};
            if (q->second == missing ||
                q->second == " referenced in foreign key constraint does not exist" ||
                q->second == " named in key does not exist")
                return object_name{object_kind::column, to_lower(q->first), {}};
        } else if (starts_with(text, "column ") && ends_with(text, missing)) {
            return object_name{
                object_kind::column,
                name_in_message(std::string_view(text).substr(7, text.size() - 7 - missing.size())),
                {}};
        }
    } else if (state == "42883") {
        if (starts_with(text, "function ") && ends_with(text, missing)) {
            const auto paren = text.find('(');
            if (paren != std::string::npos)
                return object_name{object_kind::function,
                                   name_in_message(std::string_view(text).substr(9, paren - 9)),
                                   {}};
        }
    } else if (state == "3F000") {
        if (auto q = quoted_name(text, "schema \""); q && q->second == missing)
            return object_name{object_kind::schema, name_in_message(q->first), {}};
    } else if (state.empty()) {  // SQLite
        for (auto [prefix, kind] :
             {std::pair<std::string_view, object_kind>{"no such table: ", object_kind::relation},
              {"no such view: ", object_kind::relation},
              {"no such index: ", object_kind::relation},
              {"no such trigger: ", object_kind::trigger},
              {"no such column: ", object_kind::column}})
            if (starts_with(text, prefix))
                return object_name{
                    kind, name_in_message(std::string_view(text).substr(prefix.size())), {}};
        if (starts_with(text, "table ")) {
            const auto at = text.find(" has no column named ");
            if (at != std::string::npos)
                return object_name{object_kind::column, to_lower(text.substr(at + 21)),
                                   name_in_message(text.substr(6, at - 6))};
        }
    }
    return std::nullopt;
}

// Whether `objects` (what failed statements would have created) hold the
// object whose absence made `statement` fail. A column the error names
// without its table counts only when the statement names that table.
bool would_create(const std::vector<object_name>& objects, const object_name& missing,
                  const std::vector<token>& statement) {
    const auto names = [&](const std::string& table) {
        return std::any_of(statement.begin(), statement.end(),
                           [&](const token& x) { return is_name(x) && iequals(x.text, table); });
    };
    return std::any_of(objects.begin(), objects.end(), [&](const object_name& o) {
        if (o.kind != missing.kind || o.name != missing.name)
            return false;
        if (o.kind != object_kind::column)
            return true;
        return missing.table.empty() ? names(o.table) : o.table == missing.table;
    });
}

// ---- Hints: SQLite's spellings that PostgreSQL rejects, and its own.

// SQLite's functions that PostgreSQL lacks, and what PostgreSQL does instead.
constexpr std::pair<std::string_view, std::string_view> sqlite_functions[] = {
    {"datetime", "writes `CURRENT_TIMESTAMP` (or `now()`)"},
    {"strftime",
     "writes `to_char(ts, 'YYYY-MM-DD HH24:MI:SS')`, or `extract(epoch FROM ts)` for '%s'"},
    {"julianday",
     "subtracts timestamps (`ts2 - ts1` is an interval) or uses `extract(epoch FROM ts)`"},
    {"unixepoch", "writes `extract(epoch FROM now())`"},
    {"ifnull", "writes `coalesce()`"},
    {"group_concat", "writes `string_agg(x, ',')`"},
    {"instr", "writes `strpos()`"},
    {"randomblob", "writes `gen_random_uuid()` for ids (or pgcrypto's `gen_random_bytes(n)`)"},
};

// SQLite's type names that are no PostgreSQL types.
constexpr std::pair<std::string_view, std::string_view> sqlite_types[] = {
    {"blob", "`bytea`"},
    {"datetime", "`timestamp` (or `timestamptz`)"},
    {"double", "`double precision`"},
    {"tinyint", "`smallint`"},
    {"clob", "`text`"},
};

// A hint when PostgreSQL's error on `statement` comes from a spelling only
// SQLite accepts, with PostgreSQL's form; empty otherwise. Both the
// statement's tokens (never the inside of its strings or comments) and the
// server's error must agree.
std::string postgres_hint(const std::vector<token>& t, std::string_view statement,
                          const std::string& message) {
    const auto [state, text] = split_sqlstate(message);
    std::string near;
    if (state == "42601") {
        if (auto q = quoted_name(text, "syntax error at or near \""))
            near = q->first;
        else if (text != "syntax error at end of input")
            return {};
    }
    const bool syntax = state == "42601";
    // Where the statement proper begins: the INSERT of `WITH ... INSERT`.
    std::size_t start = 0;
    if (is_word(t, 0, "WITH"))
        for (std::size_t i = 1, depth = 0; i < t.size() && start == 0; ++i) {
            if (is_punct(t, i, "("))
                ++depth;
            else if (is_punct(t, i, ")") && depth > 0)
                --depth;
            else if (depth == 0 && (is_word(t, i, "INSERT") || is_word(t, i, "REPLACE") ||
                                    is_word(t, i, "SELECT") || is_word(t, i, "UPDATE") ||
                                    is_word(t, i, "DELETE")))
                start = i;
        }
    if (syntax && near == "OR" && is_word(t, start, "INSERT") && is_word(t, start + 1, "OR")) {
        if (is_word(t, start + 2, "IGNORE"))
            return "`INSERT OR IGNORE` is SQLite's; PostgreSQL writes `INSERT ... ON CONFLICT DO "
                   "NOTHING`";
        if (is_word(t, start + 2, "REPLACE"))
            return "`INSERT OR REPLACE` is SQLite's; PostgreSQL writes `INSERT ... ON CONFLICT "
                   "(key) DO UPDATE SET col = EXCLUDED.col`";
    }
    if (syntax && iequals(near, "REPLACE") && is_word(t, start, "REPLACE") &&
        is_word(t, start + 1, "INTO"))
        return "`REPLACE INTO` is SQLite's; PostgreSQL writes `INSERT ... ON CONFLICT (key) DO "
               "UPDATE SET col = EXCLUDED.col`";
    if (syntax && iequals(near, "AUTOINCREMENT") && has_word(t, "AUTOINCREMENT"))
        return "`INTEGER PRIMARY KEY AUTOINCREMENT` is SQLite's; PostgreSQL writes `INTEGER "
               "GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY`";
    std::size_t trigger = 1;
    if (!skip_words(t, trigger, {"TEMP"}))
        skip_words(t, trigger, {"TEMPORARY"});
    if (syntax && is_word(t, 0, "CREATE") && skip_words(t, trigger, {"TRIGGER"})) {
        const std::string body =
            "SQLite's trigger body `BEGIN ... END` is no PostgreSQL syntax: put the body in a "
            "function (`CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ... "
            "RETURN NEW; END $$`) and write `CREATE TRIGGER ... FOR EACH ROW EXECUTE FUNCTION "
            "f()`";
        if (iequals(near, "NOT") && skip_words(t, trigger, {"IF", "NOT", "EXISTS"}))
            return "PostgreSQL has no `CREATE TRIGGER IF NOT EXISTS`: write `CREATE OR REPLACE "
                   "TRIGGER`" +
                   (has_word(t, "BEGIN") ? "; and " + body : std::string());
        if (iequals(near, "BEGIN") && has_word(t, "BEGIN"))
            return body;
    }
    if (syntax && iequals(near, "PRAGMA") && is_word(t, 0, "PRAGMA"))
        return "`PRAGMA` is SQLite's; PostgreSQL has no such statement (it always enforces "
               "foreign keys)";
    if (syntax && iequals(near, "ROWID") && has_words(t, {"WITHOUT", "ROWID"}))
        return "`WITHOUT ROWID` is SQLite's; PostgreSQL tables have no rowid: leave it out";
    if (syntax && iequals(near, "STRICT") && is_word(t, 0, "CREATE") && has_word(t, "STRICT"))
        return "`STRICT` tables are SQLite's; PostgreSQL always enforces column types: leave it "
               "out";
    if (syntax && iequals(near, "VIRTUAL") && has_words(t, {"CREATE", "VIRTUAL", "TABLE"}))
        return "virtual tables (`fts5`, `rtree`) are SQLite's; PostgreSQL has full-text search "
               "(`tsvector` with a GIN index) and extensions instead";
    if (syntax)
        for (std::size_t i = 0; i + 1 < t.size(); ++i)
            if (is_word(t, i, "GLOB") && t[i + 1].text == near)
                return "`GLOB` is SQLite's; PostgreSQL writes `LIKE` (`%` for `*`, `_` for `?`) "
                       "or a regular expression (`~`)";
    if (syntax && std::any_of(t.begin(), t.end(), [&](const token& x) {
            return x.kind == token_kind::quoted_identifier && statement[x.offset] == '`';
        }))
        return "backticks quote names in SQLite (and MySQL); PostgreSQL quotes them with double "
               "quotes";
    if (syntax && iequals(near, "NOT") &&
        (is_word(t, start, "SELECT") || is_word(t, start, "INSERT") ||
         is_word(t, start, "UPDATE") || is_word(t, start, "DELETE")))
        for (std::size_t i = start + 1; i + 1 < t.size(); ++i)
            if (is_word(t, i, "NOT") && is_word(t, i + 1, "NULL") && !is_word(t, i - 1, "IS"))
                return "`x NOT NULL` as a condition is SQLite's; PostgreSQL writes `x IS NOT "
                       "NULL`";
    if (state == "42704") {
        if (auto q = quoted_name(text, "type \""); q && q->second == " does not exist")
            for (auto [name, instead] : sqlite_types)
                if (q->first == name && has_word(t, name))
                    return fmt::format("`{}` is no PostgreSQL type; write {}", to_upper(name),
                                       instead);
        if (starts_with(text, "collation \"nocase\"") && has_words(t, {"COLLATE", "NOCASE"}))
            return "`COLLATE NOCASE` is SQLite's; PostgreSQL compares `lower(x)`, or uses the "
                   "`citext` type";
    }
    if (state == "42883" && starts_with(text, "function "))
        for (auto [name, instead] : sqlite_functions)
            if (starts_with(std::string_view(text).substr(9), std::string(name) + "("))
                for (std::size_t i = 0; i + 1 < t.size(); ++i)
                    if (is_word(t, i, name) && is_punct(t, i + 1, "("))
                        return fmt::format("`{}()` is SQLite's; PostgreSQL {}", name, instead);
    const bool boolean_from_integer =
        (state == "42804" && text.find("is of type boolean but") != std::string::npos &&
         ends_with(text, "expression is of type integer")) ||
        (state == "42883" && (text == "operator does not exist: boolean = integer" ||
                              text == "operator does not exist: integer = boolean"));
    if (boolean_from_integer && std::any_of(t.begin(), t.end(), [](const token& x) {
            return x.kind == token_kind::number && (x.text == "0" || x.text == "1");
        }))
        return "SQLite stores booleans as 0 and 1; PostgreSQL's boolean takes `TRUE` and `FALSE` "
               "(`DEFAULT FALSE`)";
    if (state == "0A000" && text == "cannot use column reference in DEFAULT expression")
        for (std::size_t i = 0; i + 1 < t.size(); ++i)
            if (is_word(t, i, "DEFAULT") && t[i + 1].kind == token_kind::quoted_identifier &&
                statement[t[i + 1].offset] == '"')
                return "double quotes name a column on PostgreSQL; a string takes single quotes "
                       "(SQLite accepts both)";
    return {};
}

std::string not_checked(std::size_t count) {
    if (count == 0)
        return {};
    return fmt::format("; {} statement{} after it not checked", count, count == 1 ? "" : "s");
}

struct failed_migration {
    const migration* m;
    source_location where;  // of its first failing statement
    std::string message;    // the database's
    std::size_t unchecked;  // statements after that one, not run
};

// A failure that no earlier one explains, and the later ones it explains.
struct root_cause {
    failed_migration root;
    std::string hint;
    std::vector<failed_migration> then;
    // What the failed and unchecked statements of all of them would have created.
    std::vector<object_name> objects;
};

}  // namespace

diagnostics failing_statements(const migration_set& set, const scratch_target& target) {
    std::vector<root_cause> causes;
    auto db = make_scratch(target);
    database& backend = db->backend();
    for (const auto& m : set.migrations) {
        const std::vector<script> statements = statements_of(m.up, target.backend);
        for (std::size_t i = 0; i < statements.size(); ++i) {
            // Each statement runs on its own: a script's own BEGIN would
            // leave the next failure's transaction aborted for the rest.
            if (!transaction_control_keyword(statements[i].sql).empty())
                continue;
            try {
                backend.execute(statements[i]);
                continue;
            } catch (const error& e) {
                if (e.kind() == error_kind::connection)
                    throw;
                const failed_migration failure{&m, e.where(), e.what(), statements.size() - i - 1};
                const auto tokens = tokenize_sql(statements[i].sql);
                root_cause* cause = nullptr;
                if (const auto missing = missing_object(failure.message))
                    for (auto c = causes.begin(); c != causes.end() && !cause; ++c)
                        if (would_create(c->objects, *missing, tokens))
                            cause = &*c;
                if (cause) {
                    cause->then.push_back(failure);
                } else {
                    cause = &causes.emplace_back();
                    cause->root = failure;
                    if (target.backend == backend_kind::postgres)
                        cause->hint = postgres_hint(tokens, statements[i].sql, failure.message);
                }
                for (std::size_t j = i; j < statements.size(); ++j)
                    add_objects(j == i ? tokens : tokenize_sql(statements[j].sql), cause->objects);
            }
            break;
        }
        backend.reset_session();
    }
    diagnostics found;
    for (const auto& c : causes) {
        std::string message = fmt::format("statement of migration {} fails: {}{}", c.root.m->id(),
                                          c.root.message, not_checked(c.root.unchecked));
        if (!c.hint.empty())
            message += "\n    hint: " + c.hint;
        for (const auto& k : c.then)
            message +=
                fmt::format("\n    then: {}: migration {} fails: {}{}", format_location(k.where),
                            k.m->id(), k.message, not_checked(k.unchecked));
        found.push_back({severity::error,
                         "sql-error",
                         c.root.where,
                         c.root.m->version.str(),
                         std::move(message),
                         {}});
    }
    return found;
}
}  // namespace strata
