#include "schema/internal/postgres_dump.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "schema/dump.hpp"

namespace strata::detail {

namespace {

std::string name_list(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names)
        out += (out.empty() ? "" : ", ") + quote_postgres_name(n);
    return out;
}

std::string named(const std::string& name) {
    return name.empty() ? "" : "CONSTRAINT " + quote_postgres_name(name) + " ";
}

bool is_name_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' ||
           static_cast<unsigned char>(c) >= 0x80;
}

// Whether `sql` names `name` as a whole identifier.
bool mentions(const std::string& sql, const std::string& name) {
    const std::string quoted = quote_postgres_name(name);
    for (auto pos = sql.find(quoted); pos != std::string::npos; pos = sql.find(quoted, pos + 1)) {
        const bool starts = pos == 0 || !is_name_char(sql[pos - 1]);
        const std::size_t end = pos + quoted.size();
        if (starts && (end == sql.size() || !is_name_char(sql[end])))
            return true;
    }
    return false;
}

// `items` (sorted by name) with each one after those its SQL names, so that
// a view on a view or a domain over an enum loads; ties keep name order, and
// a cycle falls back to it. Deterministic, so still canonical.
template <typename T>
std::vector<const T*> dependency_order(const std::vector<T>& items) {
    std::vector<const T*> pending, out;
    for (const auto& item : items)
        pending.push_back(&item);
    while (!pending.empty()) {
        auto ready = std::find_if(pending.begin(), pending.end(), [&](const T* x) {
            return std::none_of(pending.begin(), pending.end(),
                                [&](const T* y) { return y != x && mentions(x->sql, y->name); });
        });
        if (ready == pending.end())
            ready = pending.begin();
        out.push_back(*ready);
        pending.erase(ready);
    }
    return out;
}

}  // namespace

std::string postgres_column_sql(const column& c) {
    std::string out = quote_postgres_name(c.name) + " " + c.type;
    if (!c.collation.empty())
        out += " COLLATE " + c.collation;
    if (!c.identity.empty())
        out += " GENERATED " + c.identity + " AS IDENTITY";
    if (c.not_null)
        out += " NOT NULL";
    if (c.default_sql)
        out += " DEFAULT " + *c.default_sql;
    if (c.generated != generated_kind::none)
        out += " GENERATED ALWAYS AS (" + c.generated_sql + ") STORED";
    return out;
}

std::string postgres_table_sql(const table& t, bool with_foreign_keys) {
    std::vector<std::string> lines;
    for (const auto& c : t.columns)
        lines.push_back(postgres_column_sql(c));
    if (!t.primary_key().empty()) {
        std::vector<std::string> key;
        for (const column* c : t.primary_key())
            key.push_back(c->name);
        lines.push_back(named(t.primary_key_name) + (t.primary_key_definition.empty()
                                                         ? "PRIMARY KEY (" + name_list(key) + ")"
                                                         : t.primary_key_definition));
    }
    for (const auto& u : t.uniques)
        lines.push_back(named(u.name) +
                        (u.definition.empty() ? "UNIQUE " + unique_sql(u) : u.definition));
    for (const auto& c : t.checks)
        lines.push_back(named(c.name) + "CHECK (" + c.expression + ")");
    for (const auto& x : t.exclusions)
        lines.push_back(named(x.name) + x.expression);
    if (with_foreign_keys)
        for (const auto& fk : t.foreign_keys)
            lines.push_back(named(fk.name) + foreign_key_sql(fk, backend_kind::postgres));
    std::string out = "CREATE TABLE " + quote_postgres_name(t.name) + " (\n";
    for (std::size_t i = 0; i < lines.size(); ++i)
        out += "    " + lines[i] + (i + 1 < lines.size() ? ",\n" : "\n");
    return out + ");\n";
}

std::string postgres_index_sql(const index& ix) {
    std::string out = fmt::format("CREATE {}INDEX {} ON {}", ix.unique ? "UNIQUE " : "",
                                  quote_postgres_name(ix.name), quote_postgres_name(ix.table));
    if (!ix.method.empty())
        out += " USING " + ix.method;
    out += " (" + key_list_sql(ix.columns) + ")";
    if (!ix.include.empty())
        out += fmt::format(" INCLUDE ({})", fmt::join(ix.include, ", "));
    if (!ix.options.empty())
        out += " " + ix.options;
    if (!ix.where.empty())
        out += " WHERE " + ix.where;
    return out + ";\n";
}

std::string postgres_dump_sql(const schema& s) {
    std::string out = "-- canonical schema (postgres), written by strata\n";
    // The body of a LANGUAGE sql function may name tables created below.
    if (!s.routines.empty())
        out += "SET check_function_bodies = false;\n";
    for (const auto& e : s.extensions)
        out += "\nCREATE EXTENSION IF NOT EXISTS " + quote_postgres_name(e.name) + ";\n";
    for (const user_type* t : dependency_order(s.types))
        out += "\n" + t->sql + ";\n";
    for (const auto& r : s.routines)
        out += "\n" + r.sql + ";\n";
    for (const auto& q : s.sequences)
        out += "\n" + q.sql + ";\n";
    for (const auto& t : s.tables)
        out += "\n" + postgres_table_sql(t, false);
    for (const auto& t : s.tables)
        for (const auto& fk : t.foreign_keys)
            out += fmt::format("\nALTER TABLE {} ADD {}{};\n", quote_postgres_name(t.name),
                               named(fk.name), foreign_key_sql(fk, backend_kind::postgres));
    for (const auto& q : s.sequences)
        if (!q.owned_by.empty())
            out += fmt::format("\nALTER SEQUENCE {} OWNED BY {};\n", quote_postgres_name(q.name),
                               q.owned_by);
    for (const view* v : dependency_order(s.views))
        out += "\n" + v->sql + ";\n";
    for (const auto& ix : s.indexes)
        out += "\n" + postgres_index_sql(ix);
    for (const auto& tr : s.triggers)
        out += "\n" + tr.sql + ";\n";
    return out;
}

}  // namespace strata::detail
