#include "strata/schema_diff.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "schema/dump.hpp"
#include "sql/text.hpp"
#include "sql/tokens.hpp"

namespace strata {

std::string schema_change::text() const {
    // "table users: added", "table users: column age: added age INTEGER",
    // "table users: column theme: default 'light' -> 'dark'"
    std::string out = object_kind + " " + object + ": ";
    if (before.empty())
        return out + (attribute.empty() ? "added" : attribute + ": added " + after);
    if (after.empty())
        return out + (attribute.empty() ? "removed" : attribute + ": removed " + before);
    return out + attribute + " " + before + " -> " + after;
}

std::string format_changes(const std::vector<schema_change>& changes, const std::string& indent) {
    std::string out;
    for (const auto& c : changes)
        out += indent + c.text() + "\n";
    return out;
}

nlohmann::json to_json(const std::vector<schema_change>& changes) {
    auto out = nlohmann::json::array();
    for (const auto& c : changes)
        out.push_back(
            {{"object_kind", c.object_kind},
             {"object", c.object},
             {"attribute", c.attribute},
             {"before", c.before.empty() ? nlohmann::json(nullptr) : nlohmann::json(c.before)},
             {"after", c.after.empty() ? nlohmann::json(nullptr) : nlohmann::json(c.after)},
             {"message", c.text()}});
    return out;
}

namespace {

std::string flag(bool b) {
    return b ? "yes" : "no";
}

std::string shown(const std::optional<std::string>& s) {
    return s ? *s : "none";
}

std::string or_none(const std::string& s) {
    return s.empty() ? "none" : s;
}

class differ {
  public:
    explicit differ(backend_kind d) : dialect(d) {}

    backend_kind dialect;
    std::vector<schema_change> changes;

    std::string q(const std::string& name) const {
        return dialect == backend_kind::postgres ? quote_postgres_name(name) : quote_name(name);
    }

    std::string names(const std::vector<std::string>& items) const {
        std::string out;
        for (const auto& n : items)
            out += (out.empty() ? "" : ", ") + q(n);
        return "(" + out + ")";
    }

    std::string constraint_name(const std::string& name) const {
        return name.empty() ? "" : q(name) + " ";
    }

    void table_pair(const table& a, const table& b) {
        const std::string& name = b.name;
        auto change = [&](std::string attribute, std::string before, std::string after) {
            if (before != after)
                changes.push_back(
                    {"table", name, std::move(attribute), std::move(before), std::move(after)});
        };
        change("name", a.name, b.name);
        change("without rowid", flag(a.without_rowid), flag(b.without_rowid));
        change("strict", flag(a.strict), flag(b.strict));
        change("virtual table", a.virtual_using, b.virtual_using);
        columns(a, b, change);
        sets("unique", unique_texts(a), unique_texts(b), change);
        sets("check", check_texts(a), check_texts(b), change);
        sets("exclusion", exclusion_texts(a), exclusion_texts(b), change);
        change("primary key name", or_none(a.primary_key_name), or_none(b.primary_key_name));
        // Options of an unchanged key (DEFERRABLE, INCLUDE); the columns' own
        // positions report a changed key.
        if (key_of(a) == key_of(b))
            change("primary key", or_none(a.primary_key_definition),
                   or_none(b.primary_key_definition));
        foreign_keys(a, b, change);
    }

    template <typename Change>
    void columns(const table& a, const table& b, Change& change) {
        std::vector<std::string> common_a, common_b;
        for (const auto& ca : a.columns) {
            const column* cb = b.find_column(ca.name);
            if (!cb) {
                change("column " + q(ca.name), column_sql(ca, false, dialect), "");
                continue;
            }
            common_a.push_back(cb->name);
            const std::string prefix = "column " + q(cb->name) + ": ";
            change(prefix + "name", ca.name, cb->name);
            change(prefix + "type", ca.type.empty() ? "none" : ca.type,
                   cb->type.empty() ? "none" : cb->type);
            change(prefix + "not null", flag(ca.not_null), flag(cb->not_null));
            change(prefix + "default", shown(ca.default_sql), shown(cb->default_sql));
            const std::string default_collation =
                dialect == backend_kind::postgres ? "default" : "BINARY";
            change(prefix + "collation", ca.collation.empty() ? default_collation : ca.collation,
                   cb->collation.empty() ? default_collation : cb->collation);
            change(prefix + "identity", or_none(ca.identity), or_none(cb->identity));
            change(prefix + "primary key position", std::to_string(ca.primary_key),
                   std::to_string(cb->primary_key));
            change(prefix + "primary key direction", ca.descending_key ? "DESC" : "ASC",
                   cb->descending_key ? "DESC" : "ASC");
            change(prefix + "autoincrement", flag(ca.autoincrement), flag(cb->autoincrement));
            change(prefix + "generated", generated_text(ca), generated_text(*cb));
            change(prefix + "hidden", flag(ca.hidden), flag(cb->hidden));
        }
        for (const auto& cb : b.columns) {
            if (!a.find_column(cb.name)) {
                change("column " + q(cb.name), "", column_sql(cb, false, dialect));
                continue;
            }
            common_b.push_back(cb.name);
        }
        if (common_a != common_b)
            change("column order", names(common_a), names(common_b));
    }

    template <typename Change>
    void foreign_keys(const table& a, const table& b, Change& change) {
        // Two foreign keys may share columns and target (a column's REFERENCES
        // and a table's FOREIGN KEY on it, with other actions): those equal in
        // every field pair up first, the rest by columns and target.
        std::vector<const foreign_key*> partner(a.foreign_keys.size(), nullptr);
        std::vector<bool> taken(b.foreign_keys.size(), false);
        const auto same_target = [](const foreign_key& x, const foreign_key& y) {
            return x.columns == y.columns && iequals(x.table, y.table);
        };
        for (int exact = 1; exact >= 0; --exact)
            for (std::size_t i = 0; i < a.foreign_keys.size(); ++i) {
                const auto& fa = a.foreign_keys[i];
                for (std::size_t j = 0; j < b.foreign_keys.size() && !partner[i]; ++j) {
                    const auto& fb = b.foreign_keys[j];
                    if (!taken[j] && same_target(fa, fb) &&
                        (!exact || (same_fields(fa, fb) && fa.definition == fb.definition))) {
                        partner[i] = &fb;
                        taken[j] = true;
                    }
                }
            }
        for (std::size_t i = 0; i < a.foreign_keys.size(); ++i) {
            const auto& fa = a.foreign_keys[i];
            const std::string key = "foreign key " + names(fa.columns) + " -> " + q(fa.table);
            const foreign_key* fb = partner[i];
            if (!fb) {
                change(key, fk_text(fa), "");
                continue;
            }
            change(key + ": referenced columns", names(fa.referenced), names(fb->referenced));
            change(key + ": on delete", fa.on_delete, fb->on_delete);
            change(key + ": on update", fa.on_update, fb->on_update);
            change(key + ": deferred", flag(fa.deferred), flag(fb->deferred));
            change(key + ": name", or_none(fa.name), or_none(fb->name));
            // What the fields above do not hold: MATCH FULL, DEFERRABLE alone.
            if (same_fields(fa, *fb))
                change(key + ": definition", or_none(fa.definition), or_none(fb->definition));
        }
        for (std::size_t j = 0; j < b.foreign_keys.size(); ++j)
            if (!taken[j])
                change("foreign key " + names(b.foreign_keys[j].columns) + " -> " +
                           q(b.foreign_keys[j].table),
                       "", fk_text(b.foreign_keys[j]));
    }

    template <typename Change>
    static void sets(const std::string& what, const std::vector<std::string>& a,
                     const std::vector<std::string>& b, Change& change) {
        for (const auto& x : a)
            if (std::find(b.begin(), b.end(), x) == b.end())
                change(what, x, "");
        for (const auto& x : b)
            if (std::find(a.begin(), a.end(), x) == a.end())
                change(what, "", x);
    }

    void index_pair(const index& a, const index& b) {
        auto change = [&](std::string attribute, std::string before, std::string after) {
            if (before != after)
                changes.push_back(
                    {"index", b.name, std::move(attribute), std::move(before), std::move(after)});
        };
        change("name", a.name, b.name);
        change("table", a.table, b.table);
        change("unique", flag(a.unique), flag(b.unique));
        change("columns", keys_text(a), keys_text(b));
        change("where", a.where.empty() ? "none" : a.where, b.where.empty() ? "none" : b.where);
        if (dialect == backend_kind::postgres) {
            change("method", a.method.empty() ? "btree" : a.method,
                   b.method.empty() ? "btree" : b.method);
            change("include", "(" + join(a.include) + ")", "(" + join(b.include) + ")");
            change("options", or_none(a.options), or_none(b.options));
        }
    }

  private:
    static std::string generated_text(const column& c) {
        if (c.generated == generated_kind::none)
            return "no";
        return (c.generated == generated_kind::stored_column ? "stored (" : "virtual (") +
               c.generated_sql + ")";
    }

    static std::string join(const std::vector<std::string>& items) {
        std::string out;
        for (const auto& item : items)
            out += (out.empty() ? "" : ", ") + item;
        return out;
    }

    static std::vector<std::string> key_of(const table& t) {
        std::vector<std::string> out;
        for (const column* c : t.primary_key())
            out.push_back(c->name);
        return out;
    }

    static bool same_fields(const foreign_key& a, const foreign_key& b) {
        return a.referenced == b.referenced && a.on_delete == b.on_delete &&
               a.on_update == b.on_update && a.deferred == b.deferred;
    }

    std::vector<std::string> unique_texts(const table& t) const {
        std::vector<std::string> out;
        for (const auto& u : t.uniques)
            out.push_back(constraint_name(u.name) +
                          (u.definition.empty() ? unique_sql(u) : u.definition));
        return out;
    }

    std::vector<std::string> exclusion_texts(const table& t) const {
        std::vector<std::string> out;
        for (const auto& x : t.exclusions)
            out.push_back(constraint_name(x.name) + x.expression);
        return out;
    }

    std::vector<std::string> check_texts(const table& t) const {
        std::vector<std::string> out;
        for (const auto& c : t.checks)
            out.push_back((c.name.empty() ? "" : q(c.name) + " ") + "(" + c.expression + ")");
        return out;
    }

    std::string fk_text(const foreign_key& fk) const {
        return foreign_key_sql(fk, dialect).substr(std::string_view("FOREIGN KEY ").size());
    }

    static std::string keys_text(const index& ix) { return "(" + key_list_sql(ix.columns) + ")"; }
};

std::string strip_semicolon_newline(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ';'))
        s.pop_back();
    return s;
}

template <typename T, typename Pair, typename Text>
void objects(const std::string& kind, const std::vector<T>& a, const std::vector<T>& b, differ& d,
             Pair pair, Text text) {
    for (const auto& x : a) {
        if (const T* y = find_named(b, x.name))
            pair(x, *y);
        else
            d.changes.push_back({kind, x.name, "", text(x), ""});
    }
    for (const auto& y : b)
        if (!find_named(a, y.name))
            d.changes.push_back({kind, y.name, "", "", text(y)});
}

std::string text_of(const extension& e) {
    return "CREATE EXTENSION IF NOT EXISTS " + quote_postgres_name(e.name);
}
std::string text_of(const user_type& t) {
    return t.sql;
}
std::string text_of(const sequence& q) {
    return q.sql;
}
std::string text_of(const routine& r) {
    return r.sql;
}
std::string text_of(const trigger& t) {
    return t.sql;
}

// PostgreSQL's objects keyed by `key` (exact: its names are case-sensitive).
template <typename T, typename Key, typename Pair>
void keyed_objects(const std::vector<T>& a, const std::vector<T>& b, differ& d, Key key,
                   Pair pair) {
    auto find = [&](const std::vector<T>& items, const std::string& k) -> const T* {
        for (const auto& item : items)
            if (key(item).second == k)
                return &item;
        return nullptr;
    };
    for (const auto& x : a) {
        const auto [kind, name] = key(x);
        if (const T* y = find(b, name))
            pair(x, *y);
        else
            d.changes.push_back({kind, name, "", text_of(x), ""});
    }
    for (const auto& y : b) {
        const auto [kind, name] = key(y);
        if (!find(a, name))
            d.changes.push_back({kind, name, "", "", text_of(y)});
    }
}

std::string labels_text(const std::vector<std::string>& labels) {
    std::string out;
    for (const auto& l : labels) {
        std::string quoted = "'";
        for (char c : l)
            quoted += c == '\'' ? std::string("''") : std::string(1, c);
        out += (out.empty() ? "" : ", ") + quoted + "'";
    }
    return out;
}

void postgres_objects_before_tables(const schema& before, const schema& after, differ& d) {
    keyed_objects(
        before.extensions, after.extensions, d,
        [](const extension& e) { return std::make_pair(std::string("extension"), e.name); },
        [](const extension&, const extension&) {});
    keyed_objects(
        before.types, after.types, d,
        [](const user_type& t) { return std::make_pair(std::string("type"), t.name); },
        [&](const user_type& a, const user_type& b) {
            if (a.kind != b.kind)
                d.changes.push_back({"type", b.name, "kind", a.kind, b.kind});
            else if (a.labels != b.labels)
                d.changes.push_back(
                    {"type", b.name, "labels", labels_text(a.labels), labels_text(b.labels)});
            else if (a.sql != b.sql)
                d.changes.push_back({"type", b.name, "definition", a.sql, b.sql});
        });
    keyed_objects(
        before.sequences, after.sequences, d,
        [](const sequence& q) { return std::make_pair(std::string("sequence"), q.name); },
        [&](const sequence& a, const sequence& b) {
            if (a.sql != b.sql)
                d.changes.push_back({"sequence", b.name, "definition", a.sql, b.sql});
            if (a.owned_by != b.owned_by)
                d.changes.push_back(
                    {"sequence", b.name, "owned by", or_none(a.owned_by), or_none(b.owned_by)});
        });
}

void postgres_objects_after_views(const schema& before, const schema& after, differ& d) {
    keyed_objects(
        before.routines, after.routines, d,
        [](const routine& r) { return std::make_pair(r.kind, r.signature); },
        [&](const routine& a, const routine& b) {
            if (a.kind != b.kind)
                d.changes.push_back({b.kind, b.signature, "kind", a.kind, b.kind});
            else if (a.sql != b.sql)
                d.changes.push_back({b.kind, b.signature, "definition", a.sql, b.sql});
        });
    // Trigger names are per table.
    keyed_objects(
        before.triggers, after.triggers, d,
        [](const trigger& t) {
            return std::make_pair(std::string("trigger"), t.name + " on " + t.table);
        },
        [&](const trigger& a, const trigger& b) {
            if (a.sql != b.sql)
                d.changes.push_back(
                    {"trigger", b.name + " on " + b.table, "definition", a.sql, b.sql});
        });
}

}  // namespace

std::vector<schema_change> diff_schemas(const schema& before, const schema& after) {
    const bool postgres =
        dialect_of(before) == backend_kind::postgres || dialect_of(after) == backend_kind::postgres;
    const backend_kind dialect = postgres ? backend_kind::postgres : backend_kind::sqlite;
    differ d(dialect);
    if (postgres)
        postgres_objects_before_tables(before, after, d);
    objects(
        "table", before.tables, after.tables, d,
        [&](const table& a, const table& b) { d.table_pair(a, b); },
        [&](const table& t) { return strip_semicolon_newline(table_sql(t, dialect)); });
    objects(
        "index", before.indexes, after.indexes, d,
        [&](const index& a, const index& b) { d.index_pair(a, b); },
        [&](const index& ix) { return strip_semicolon_newline(index_sql(ix, dialect)); });
    objects(
        "view", before.views, after.views, d,
        [&](const view& a, const view& b) {
            if (a.materialized != b.materialized)
                d.changes.push_back(
                    {"view", b.name, "materialized", flag(a.materialized), flag(b.materialized)});
            else if (a.sql != b.sql)
                d.changes.push_back({"view", b.name, "definition", a.sql, b.sql});
        },
        [](const view& v) { return v.sql; });
    if (postgres) {
        postgres_objects_after_views(before, after, d);
        return d.changes;
    }
    objects(
        "trigger", before.triggers, after.triggers, d,
        [&](const trigger& a, const trigger& b) {
            if (a.sql != b.sql)
                d.changes.push_back({"trigger", b.name, "definition", a.sql, b.sql});
        },
        [](const trigger& t) { return t.sql; });
    return d.changes;
}

}  // namespace strata
