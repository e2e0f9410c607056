#include "sqlite/schema.hpp"

#include <sqlite3.h>

#include <SQLiteCpp/Statement.h>

#include <SQLiteCpp/Database.h>
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <memory>
#include <tuple>

#include "sql/text.hpp"
#include "sql/tokens.hpp"
#include "sqlite/internal/ddl.hpp"
#include "strata/error.hpp"

namespace strata {

namespace {

std::string collation_of(const char* name) {
    std::string c = name ? to_upper(name) : std::string();
    return c == "BINARY" ? std::string() : c;
}

// DEFAULT 0, DEFAULT (0) and DEFAULT ((0)) are one default; an expression
// other than a literal needs its parentheses to be valid DDL again.
std::string canonical_default(const std::string& text) {
    auto tokens = tokenize_sql(text);
    auto wraps_all = [&] {
        if (tokens.size() < 2 || tokens.front().text != "(" || tokens.back().text != ")")
            return false;
        int depth = 0;
        for (std::size_t i = 0; i < tokens.size(); ++i) {
            if (tokens[i].kind != token_kind::punct)
                continue;
            if (tokens[i].text == "(")
                ++depth;
            if (tokens[i].text == ")" && --depth == 0 && i + 1 < tokens.size())
                return false;
        }
        return true;
    };
    while (wraps_all())
        tokens = std::vector<token>(tokens.begin() + 1, tokens.end() - 1);
    const bool signed_number = tokens.size() == 2 &&
                               (tokens[0].text == "-" || tokens[0].text == "+") &&
                               tokens[1].kind == token_kind::number;
    const bool literal =
        tokens.size() == 1 &&
        (tokens[0].kind == token_kind::number || tokens[0].kind == token_kind::string ||
         tokens[0].kind == token_kind::blob ||
         (tokens[0].kind == token_kind::word && is_sql_keyword(tokens[0].text)) ||
         (tokens[0].kind == token_kind::word &&
          (to_upper(tokens[0].text) == "TRUE" || to_upper(tokens[0].text) == "FALSE")));
    const std::string sql = canonical_sql(tokens);
    return literal || signed_number ? sql : "(" + sql + ")";
}

// The declared spelling of `name` among `t`'s columns (SQLite matches names
// case-insensitively; the model spells them as declared).
std::string declared(const table& t, const std::string& name) {
    const column* c = t.find_column(name);
    return c ? c->name : name;
}

// The PRAGMA queries of one schema read, each prepared once: a schema of
// thousands of tables would otherwise have them prepared thousands of times.
struct pragma_queries {
    explicit pragma_queries(SQLite::Database& db)
        : columns(db,
                  "SELECT name, type, \"notnull\", dflt_value, pk, hidden "
                  "FROM pragma_table_xinfo(?) ORDER BY cid"),
          unique_indexes(db, "SELECT name FROM pragma_index_list(?) WHERE origin = 'u'"),
          unique_keys(db,
                      "SELECT name, \"desc\", coll FROM pragma_index_xinfo(?) "
                      "WHERE key = 1 ORDER BY seqno"),
          foreign_keys(db,
                       "SELECT id, \"table\", \"from\", \"to\", on_update, on_delete "
                       "FROM pragma_foreign_key_list(?) ORDER BY id, seq"),
          index_unique(db, "SELECT \"unique\" FROM pragma_index_list(?) WHERE name = ?"),
          index_keys(db,
                     "SELECT seqno, cid, name, \"desc\", coll FROM pragma_index_xinfo(?) "
                     "WHERE key = 1 ORDER BY seqno") {}

    SQLite::Statement columns, unique_indexes, unique_keys, foreign_keys, index_unique, index_keys;
};

// `q`, ready to be bound and run again.
SQLite::Statement& fresh(SQLite::Statement& q) {
    q.reset();
    q.clearBindings();
    return q;
}

void read_columns(SQLite::Database& db, pragma_queries& pragmas, table& t,
                  const detail::table_ddl& ddl) {
    auto& q = fresh(pragmas.columns);
    q.bind(1, t.name);
    while (q.executeStep()) {
        column c;
        c.name = q.getColumn(0).getString();
        c.type = to_upper(canonical_sql(q.getColumn(1).getString()));
        c.not_null = q.getColumn(2).getInt() != 0;
        if (!q.getColumn(3).isNull())
            c.default_sql = canonical_default(q.getColumn(3).getString());
        c.primary_key = q.getColumn(4).getInt();
        const int hidden = q.getColumn(5).getInt();
        c.hidden = hidden == 1;
        if (hidden == 2 || hidden == 3) {
            c.generated =
                hidden == 2 ? generated_kind::virtual_column : generated_kind::stored_column;
            for (const auto& [name, expression] : ddl.generated)
                if (name == to_lower(c.name))
                    c.generated_sql = expression;
        }
        for (const auto& name : ddl.descending_keys)
            if (name == to_lower(c.name))
                c.descending_key = true;
        const char* collation = nullptr;
        int autoincrement = 0;
        if (sqlite3_table_column_metadata(db.getHandle(), "main", t.name.c_str(), c.name.c_str(),
                                          nullptr, &collation, nullptr, nullptr,
                                          &autoincrement) == SQLITE_OK) {
            c.collation = collation_of(collation);
            c.autoincrement = autoincrement != 0;
        }
        t.columns.push_back(std::move(c));
    }
    // NOT NULL on a rowid alias changes nothing: NULL still means "next rowid".
    for (auto& c : t.columns)
        if (t.is_rowid_alias(c))
            c.not_null = false;
}

void read_uniques(pragma_queries& pragmas, table& t, const detail::table_ddl& ddl) {
    auto& list = fresh(pragmas.unique_indexes);
    list.bind(1, t.name);
    while (list.executeStep()) {
        auto& info = fresh(pragmas.unique_keys);
        info.bind(1, list.getColumn(0).getString());
        unique_constraint u;
        std::vector<std::string> names;
        while (info.executeStep()) {
            const std::string name = info.getColumn(0).getString();
            names.push_back(to_lower(name));
            u.keys.push_back({quote_name(declared(t, name)), info.getColumn(1).getInt() != 0,
                              collation_of(info.getColumn(2).getText(nullptr))});
        }
        for (const auto& [columns, conflict] : ddl.unique_conflicts)
            if (columns == names && conflict != "ABORT")
                u.on_conflict = conflict;
        t.uniques.push_back(std::move(u));
    }
    std::sort(t.uniques.begin(), t.uniques.end(),
              [](const auto& a, const auto& b) { return unique_sql(a) < unique_sql(b); });
}

void read_foreign_keys(pragma_queries& pragmas, table& t, const detail::table_ddl& ddl) {
    auto& q = fresh(pragmas.foreign_keys);
    q.bind(1, t.name);
    int current = -1;
    while (q.executeStep()) {
        if (q.getColumn(0).getInt() != current) {
            current = q.getColumn(0).getInt();
            foreign_key fk;
            fk.table = q.getColumn(1).getString();
            fk.on_update = to_upper(q.getColumn(4).getString());
            fk.on_delete = to_upper(q.getColumn(5).getString());
            t.foreign_keys.push_back(std::move(fk));
        }
        auto& fk = t.foreign_keys.back();
        fk.columns.push_back(declared(t, q.getColumn(2).getString()));
        if (!q.getColumn(3).isNull())
            fk.referenced.push_back(q.getColumn(3).getString());
    }
    for (auto& fk : t.foreign_keys) {
        std::vector<std::string> key;
        for (const auto& c : fk.columns)
            key.push_back(to_lower(c));
        for (const auto& d : ddl.keys)
            if (d.columns == key)
                fk.deferred = d.deferred;
    }
}

table read_table(SQLite::Database& db, pragma_queries& pragmas, const std::string& name,
                 const std::string& sql) {
    table t;
    t.name = name;
    const auto ddl = detail::parse_create_table(sql);
    t.virtual_using = ddl.virtual_using;
    t.without_rowid = ddl.without_rowid;
    t.strict = ddl.strict;
    t.checks = ddl.checks;
    read_columns(db, pragmas, t, ddl);
    read_uniques(pragmas, t, ddl);
    read_foreign_keys(pragmas, t, ddl);
    return t;
}

index read_index(pragma_queries& pragmas, const std::string& name, const std::string& table_name,
                 const std::string& sql) {
    index ix;
    ix.name = name;
    ix.table = table_name;
    const auto ddl = detail::parse_create_index(sql);
    ix.where = ddl.where;
    auto& unique = fresh(pragmas.index_unique);
    unique.bind(1, table_name);
    unique.bind(2, name);
    ix.unique = unique.executeStep() && unique.getColumn(0).getInt() != 0;
    auto& q = fresh(pragmas.index_keys);
    q.bind(1, name);
    while (q.executeStep()) {
        index_column key;
        const auto seqno = static_cast<std::size_t>(q.getColumn(0).getInt());
        const int cid = q.getColumn(1).getInt();
        if (cid == -2)
            key.expression = seqno < ddl.expressions.size() ? ddl.expressions[seqno] : "?";
        else if (cid == -1)
            key.expression = "rowid";
        else
            key.expression = quote_name(q.getColumn(2).getString());
        key.descending = q.getColumn(3).getInt() != 0;
        key.collation = collation_of(q.getColumn(4).getText(nullptr));
        ix.columns.push_back(std::move(key));
    }
    return ix;
}

// REFERENCES clauses name their target as written; the model spells it as
// declared and fills in the implicit primary-key columns.
void resolve_foreign_keys(schema& s) {
    for (auto& t : s.tables)
        for (auto& fk : t.foreign_keys) {
            const table* target = s.find_table(fk.table);
            if (!target)
                continue;
            fk.table = target->name;
            if (fk.referenced.empty())
                for (const column* c : target->primary_key())
                    fk.referenced.push_back(c->name);
            for (auto& r : fk.referenced)
                r = declared(*target, r);
        }
    for (auto& t : s.tables)
        // Every field: a column may have two keys to one table (its
        // REFERENCES and a table's FOREIGN KEY), and their order must not
        // depend on the order SQLite lists them in.
        std::sort(t.foreign_keys.begin(), t.foreign_keys.end(), [](const auto& a, const auto& b) {
            return std::tie(a.columns, a.table, a.referenced, a.on_delete, a.on_update,
                            a.deferred) <
                   std::tie(b.columns, b.table, b.referenced, b.on_delete, b.on_update, b.deferred);
        });
}

template <typename T>
void sort_by_name(std::vector<T>& items) {
    std::sort(items.begin(), items.end(),
              [](const T& a, const T& b) { return name_less(a.name, b.name); });
}

constexpr const char* objects_query =
    "SELECT type, name, tbl_name, sql FROM sqlite_schema "
    "WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> ?1 AND tbl_name <> ?1 "
    "AND sql IS NOT NULL";

}  // namespace

schema read_sqlite_schema(SQLite::Database& db, const std::string& tracking_table) {
    schema s;
    s.backend = backend_kind::sqlite;
    try {
        // A virtual table's shadow tables (FTS5's *_data, ...) belong to it:
        // its CREATE VIRTUAL TABLE makes them again.
        std::vector<std::string> shadow;
        SQLite::Statement shadows(db,
                                  "SELECT name FROM pragma_table_list "
                                  "WHERE schema = 'main' AND type = 'shadow'");
        while (shadows.executeStep())
            shadow.push_back(shadows.getColumn(0).getString());
        auto is_shadow = [&](const std::string& name) {
            return std::find(shadow.begin(), shadow.end(), name) != shadow.end();
        };
        pragma_queries pragmas(db);
        SQLite::Statement q(db, objects_query);
        q.bind(1, tracking_table);
        while (q.executeStep()) {
            const std::string type = q.getColumn(0).getString();
            const std::string name = q.getColumn(1).getString();
            const std::string table_name = q.getColumn(2).getString();
            const std::string sql = q.getColumn(3).getString();
            if (is_shadow(table_name))
                continue;
            if (type == "table")
                s.tables.push_back(read_table(db, pragmas, name, sql));
            else if (type == "index")
                s.indexes.push_back(read_index(pragmas, name, table_name, sql));
            else if (type == "view")
                s.views.push_back({name, canonical_statement(sql)});
            else if (type == "trigger")
                s.triggers.push_back({name, table_name, canonical_sql(sql)});
        }
    } catch (const SQLite::Exception& e) {
        throw error(error_kind::check, std::string("cannot read the schema: ") + e.what());
    }
    resolve_foreign_keys(s);
    sort_by_name(s.tables);
    sort_by_name(s.indexes);
    sort_by_name(s.views);
    sort_by_name(s.triggers);
    return s;
}

void sqlite_schema_fingerprint(SQLite::Database& db, std::string& into,
                               const std::string& tracking_table) {
    // The stored DDL itself, compared whole: this runs three times per
    // migration in a round trip, and copying the text costs less than hashing it.
    const std::string sql = std::string(objects_query) + " ORDER BY type, name";
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db.getHandle(), sql.c_str(), -1, &raw, nullptr) != SQLITE_OK)
        throw error(error_kind::check,
                    std::string("cannot read the schema: ") + sqlite3_errmsg(db.getHandle()));
    std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> statement(raw, sqlite3_finalize);
    sqlite3_bind_text(raw, 1, tracking_table.c_str(), -1, SQLITE_STATIC);
    into.clear();
    while (sqlite3_step(raw) == SQLITE_ROW) {
        for (int i = 0; i < 4; ++i) {
            const auto* value = reinterpret_cast<const char*>(sqlite3_column_text(raw, i));
            const auto size = static_cast<std::size_t>(sqlite3_column_bytes(raw, i));
            into += std::to_string(size);  // length-prefixed: no two row sets read alike
            into += ':';
            into.append(value, size);
        }
    }
}

}  // namespace strata
