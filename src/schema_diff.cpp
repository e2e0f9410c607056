#include "strata/schema_diff.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "strata/schema_dump.hpp"
#include "strata/sql_text.hpp"
#include "strata/sql_tokens.hpp"

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

std::string list(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names)
        out += (out.empty() ? "" : ", ") + quote_name(n);
    return "(" + out + ")";
}

class differ {
  public:
    std::vector<schema_change> changes;

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
        foreign_keys(a, b, change);
    }

    template <typename Change>
    void columns(const table& a, const table& b, Change& change) {
        std::vector<std::string> common_a, common_b;
        for (const auto& ca : a.columns) {
            const column* cb = b.find_column(ca.name);
            if (!cb) {
                change("column " + quote_name(ca.name), column_sql(ca, false), "");
                continue;
            }
            common_a.push_back(cb->name);
            const std::string prefix = "column " + quote_name(cb->name) + ": ";
            change(prefix + "name", ca.name, cb->name);
            change(prefix + "type", ca.type.empty() ? "none" : ca.type,
                   cb->type.empty() ? "none" : cb->type);
            change(prefix + "not null", flag(ca.not_null), flag(cb->not_null));
            change(prefix + "default", shown(ca.default_sql), shown(cb->default_sql));
            change(prefix + "collation", ca.collation.empty() ? "BINARY" : ca.collation,
                   cb->collation.empty() ? "BINARY" : cb->collation);
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
                change("column " + quote_name(cb.name), "", column_sql(cb, false));
                continue;
            }
            common_b.push_back(cb.name);
        }
        if (common_a != common_b)
            change("column order", list(common_a), list(common_b));
    }

    template <typename Change>
    void foreign_keys(const table& a, const table& b, Change& change) {
        auto find = [](const table& t, const foreign_key& fk) -> const foreign_key* {
            for (const auto& other : t.foreign_keys)
                if (other.columns == fk.columns && iequals(other.table, fk.table))
                    return &other;
            return nullptr;
        };
        for (const auto& fa : a.foreign_keys) {
            const std::string key =
                "foreign key " + list(fa.columns) + " -> " + quote_name(fa.table);
            const foreign_key* fb = find(b, fa);
            if (!fb) {
                change(key, fk_text(fa), "");
                continue;
            }
            change(key + ": referenced columns", list(fa.referenced), list(fb->referenced));
            change(key + ": on delete", fa.on_delete, fb->on_delete);
            change(key + ": on update", fa.on_update, fb->on_update);
            change(key + ": deferred", flag(fa.deferred), flag(fb->deferred));
        }
        for (const auto& fb : b.foreign_keys)
            if (!find(a, fb))
                change("foreign key " + list(fb.columns) + " -> " + quote_name(fb.table), "",
                       fk_text(fb));
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
    }

  private:
    static std::string generated_text(const column& c) {
        if (c.generated == generated_kind::none)
            return "no";
        return (c.generated == generated_kind::stored_column ? "stored (" : "virtual (") +
               c.generated_sql + ")";
    }

    static std::vector<std::string> unique_texts(const table& t) {
        std::vector<std::string> out;
        for (const auto& u : t.uniques)
            out.push_back(unique_sql(u));
        return out;
    }

    static std::vector<std::string> check_texts(const table& t) {
        std::vector<std::string> out;
        for (const auto& c : t.checks)
            out.push_back((c.name.empty() ? "" : quote_name(c.name) + " ") + "(" + c.expression +
                          ")");
        return out;
    }

    static std::string fk_text(const foreign_key& fk) {
        return foreign_key_sql(fk).substr(std::string_view("FOREIGN KEY ").size());
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

}  // namespace

std::vector<schema_change> diff_schemas(const schema& before, const schema& after) {
    differ d;
    objects(
        "table", before.tables, after.tables, d,
        [&](const table& a, const table& b) { d.table_pair(a, b); },
        [](const table& t) { return strip_semicolon_newline(table_sql(t)); });
    objects(
        "index", before.indexes, after.indexes, d,
        [&](const index& a, const index& b) { d.index_pair(a, b); },
        [](const index& ix) { return strip_semicolon_newline(index_sql(ix)); });
    objects(
        "view", before.views, after.views, d,
        [&](const view& a, const view& b) {
            if (a.sql != b.sql)
                d.changes.push_back({"view", b.name, "definition", a.sql, b.sql});
        },
        [](const view& v) { return v.sql; });
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
