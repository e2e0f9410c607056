// Tables, their columns and constraints, and the indexes of a PostgreSQL
// schema.
#include <algorithm>
#include <map>
#include <pqxx/pqxx>
#include <tuple>

#include "postgres/internal/schema_catalog.hpp"
#include "schema/dump.hpp"
#include "sql/lexer.hpp"

namespace strata::detail {

namespace {

// Ordinary and partitioned tables of the scope, minus the tracking table and
// extension-owned tables (e.g. PostGIS's spatial_ref_sys).
std::string table_filter() {
    return "c.relnamespace = $1::oid AND c.relkind IN ('r', 'p') AND c.relname <> $2" +
           not_in_extension("pg_class", "c.oid");
}

const std::string columns_query = R"(
SELECT c.oid::text, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
       pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated,
       CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation THEN
           CASE WHEN co.collnamespace IN ('pg_catalog'::regnamespace, $1::oid)
                THEN quote_ident(co.collname)
                ELSE quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END
       END
FROM pg_class c
JOIN pg_attribute a ON a.attrelid = c.oid
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
LEFT JOIN pg_collation co ON co.oid = a.attcollation
LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
WHERE a.attnum > 0 AND NOT a.attisdropped AND )";

// Key columns as JSON arrays of names, in key order.
const std::string constraints_query = R"(
SELECT c.oid::text, k.conname, k.contype, pg_get_constraintdef(k.oid),
       pg_get_expr(k.conbin, k.conrelid),
       array_to_json(ARRAY(SELECT a.attname FROM unnest(k.conkey) WITH ORDINALITY u(n, i)
                           JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n
                           ORDER BY u.i))::text,
       f.relname,
       array_to_json(ARRAY(SELECT a.attname FROM unnest(k.confkey) WITH ORDINALITY u(n, i)
                           JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.n
                           ORDER BY u.i))::text,
       k.confdeltype, k.confupdtype, k.condeferrable, k.condeferred
FROM pg_constraint k
JOIN pg_class c ON c.oid = k.conrelid
LEFT JOIN pg_class f ON f.oid = k.confrelid
WHERE k.contype IN ('p', 'u', 'f', 'c', 'x') AND )";

std::string referential_action(char code) {
    switch (code) {
        case 'r':
            return "RESTRICT";
        case 'c':
            return "CASCADE";
        case 'n':
            return "SET NULL";
        case 'd':
            return "SET DEFAULT";
        default:
            return "NO ACTION";
    }
}

std::string text_of(const pqxx::field& f) {
    return f.is_null() ? std::string() : std::string(f.c_str());
}

void read_columns(pqxx::transaction_base& tx, const postgres_scope& scope,
                  std::map<std::string, table*>& by_oid) {
    const pqxx::result rows =
        tx.exec_params(columns_query + table_filter() + " ORDER BY c.oid, a.attnum",
                       scope.namespace_oid, scope.tracking_table);
    for (const auto& row : rows) {
        column c;
        c.name = row[1].c_str();
        c.type = row[2].c_str();
        c.not_null = row[3].as<bool>();
        const std::string identity = text_of(row[5]);
        c.identity = identity == "a" ? "ALWAYS" : identity == "d" ? "BY DEFAULT" : "";
        if (text_of(row[6]) == "s") {
            c.generated = generated_kind::stored_column;
            c.generated_sql = text_of(row[4]);
        } else if (!row[4].is_null()) {
            c.default_sql = row[4].c_str();
        }
        c.collation = text_of(row[7]);
        by_oid.at(row[0].c_str())->columns.push_back(std::move(c));
    }
}

void read_constraints(pqxx::transaction_base& tx, const postgres_scope& scope,
                      std::map<std::string, table*>& by_oid) {
    const pqxx::result rows = tx.exec_params(constraints_query + table_filter(),
                                             scope.namespace_oid, scope.tracking_table);
    for (const auto& row : rows) {
        table& t = *by_oid.at(row[0].c_str());
        const std::string name = row[1].c_str();
        const char type = row[2].c_str()[0];
        const std::vector<std::string> keys = json_names(row[5].c_str());
        if (type == 'p') {
            t.primary_key_name = name;
            t.primary_key_definition = row[3].c_str();
            for (std::size_t i = 0; i < keys.size(); ++i)
                for (auto& c : t.columns)
                    if (c.name == keys[i])
                        c.primary_key = static_cast<int>(i) + 1;
        } else if (type == 'u') {
            unique_constraint u;
            u.name = name;
            u.definition = row[3].c_str();
            for (const auto& k : keys)
                u.keys.push_back({quote_postgres_name(k), false, ""});
            t.uniques.push_back(std::move(u));
        } else if (type == 'c') {
            t.checks.push_back({name, text_of(row[4])});
        } else if (type == 'x') {
            t.exclusions.push_back({name, row[3].c_str()});
        } else {
            foreign_key fk;
            fk.name = name;
            fk.definition = row[3].c_str();
            fk.columns = keys;
            fk.table = text_of(row[6]);
            fk.referenced = json_names(row[7].c_str());
            fk.on_delete = referential_action(row[8].c_str()[0]);
            fk.on_update = referential_action(row[9].c_str()[0]);
            fk.deferred = row[10].as<bool>() && row[11].as<bool>();
            t.foreign_keys.push_back(std::move(fk));
        }
    }
}

void sort_constraints(table& t) {
    std::sort(t.uniques.begin(), t.uniques.end(), [](const auto& a, const auto& b) {
        return std::make_tuple(unique_sql(a), a.name) < std::make_tuple(unique_sql(b), b.name);
    });
    auto by_name = [](const check_constraint& a, const check_constraint& b) {
        return std::tie(a.name, a.expression) < std::tie(b.name, b.expression);
    };
    std::sort(t.checks.begin(), t.checks.end(), by_name);
    std::sort(t.exclusions.begin(), t.exclusions.end(), by_name);
    std::sort(t.foreign_keys.begin(), t.foreign_keys.end(), [](const auto& a, const auto& b) {
        return std::tie(a.columns, a.table, a.referenced, a.name) <
               std::tie(b.columns, b.table, b.referenced, b.name);
    });
}

}  // namespace

void read_postgres_tables(pqxx::transaction_base& tx, const postgres_scope& scope, schema& s) {
    const pqxx::result rows =
        tx.exec_params("SELECT c.oid::text, c.relname FROM pg_class c WHERE " + table_filter(),
                       scope.namespace_oid, scope.tracking_table);
    s.tables.reserve(s.tables.size() + rows.size());
    std::map<std::string, table*> by_oid;
    for (const auto& row : rows) {
        table t;
        t.name = row[1].c_str();
        s.tables.push_back(std::move(t));
        by_oid[row[0].c_str()] = &s.tables.back();
    }
    read_columns(tx, scope, by_oid);
    read_constraints(tx, scope, by_oid);
    for (auto& [oid, t] : by_oid)
        sort_constraints(*t);
}

namespace {

// Indexes that back a primary key, unique or exclusion constraint are part of
// their table's definition.
const std::string indexes_query = R"(
SELECT ic.relname, c.relname, i.indisunique, pg_get_indexdef(i.indexrelid),
       quote_ident(n.nspname) || '.' || quote_ident(c.relname), i.indnkeyatts,
       pg_get_expr(i.indpred, i.indrelid)
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relnamespace = $1::oid AND c.relkind IN ('r', 'p', 'm') AND c.relname <> $2
  AND NOT EXISTS (SELECT FROM pg_constraint k WHERE k.conindid = i.indexrelid
                  AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x')))";

// The parenthesised list starting at `text[open]`, split at its top-level
// commas; `end` is left after the closing parenthesis. A `,` or `)` inside a
// name, literal or comment does not count.
std::vector<std::string> split_list(const std::string& text, std::size_t open, std::size_t& end) {
    std::vector<std::string> items;
    auto add = [&](std::size_t begin, std::size_t stop) {
        const auto first = text.find_first_not_of(' ', begin);
        items.push_back(first >= stop ? "" : text.substr(first, stop - first));
    };
    int depth = 0;
    std::size_t item = open + 1;
    sql::lexer lexer(text, sql::dialect::postgres, open);
    for (sql::lexeme x; lexer.next(x);) {
        if (x.kind != sql::lexeme_kind::punct || x.end != x.begin + 1)
            continue;
        const char c = text[x.begin];
        if (c == '(') {
            ++depth;
        } else if (c == ')' && --depth == 0) {
            add(item, x.begin);
            end = x.end;
            return items;
        } else if (c == ',' && depth == 1) {
            add(item, x.begin);
            item = x.end;
        }
    }
    add(item, text.size());
    end = text.size();
    return items;
}

// pg_get_indexdef always qualifies the table, so the statement is taken
// apart after `ON schema.table USING`: method, keys, INCLUDE, options, WHERE.
index parse_index(const pqxx::row& row) {
    index ix;
    ix.name = row[0].c_str();
    ix.table = row[1].c_str();
    ix.unique = row[2].as<bool>();
    const std::string def = row[3].c_str();
    const std::string on = " " + std::string(row[4].c_str()) + " USING ";
    std::size_t pos = def.find(on);
    if (pos == std::string::npos)
        return ix;
    pos += on.size();
    const std::size_t open = def.find(" (", pos);
    ix.method = def.substr(pos, open - pos);
    if (ix.method == "btree")
        ix.method.clear();
    std::size_t end = 0;
    for (auto& key : split_list(def, open + 1, end))
        ix.columns.push_back({std::move(key), false, ""});
    std::string rest = def.substr(end);
    if (rest.rfind(" INCLUDE (", 0) == 0) {
        ix.include = split_list(rest, 9, end);
        rest.erase(0, end);
    }
    if (!row[6].is_null()) {
        ix.where = row[6].c_str();
        const auto where = rest.rfind(" WHERE ");
        if (where != std::string::npos)
            rest.erase(where);
    }
    const auto first = rest.find_first_not_of(' ');
    ix.options = first == std::string::npos ? "" : rest.substr(first);
    return ix;
}

}  // namespace

void read_postgres_indexes(pqxx::transaction_base& tx, const postgres_scope& scope, schema& s) {
    const pqxx::result rows = tx.exec_params(indexes_query + not_in_extension("pg_class", "c.oid"),
                                             scope.namespace_oid, scope.tracking_table);
    for (const auto& row : rows)
        s.indexes.push_back(parse_index(row));
}

}  // namespace strata::detail
