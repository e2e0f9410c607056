#include "schema/dump.hpp"

#include <cctype>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "schema/internal/postgres_dump.hpp"
#include "sql/tokens.hpp"

namespace strata {

namespace {

std::string name_list(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names)
        out += (out.empty() ? "" : ", ") + quote_name(n);
    return out;
}

bool single_column_key(const table& t) {
    return t.primary_key().size() == 1;
}

const char* generated_word(generated_kind g) {
    return g == generated_kind::stored_column ? "STORED" : "VIRTUAL";
}

}  // namespace

backend_kind dialect_of(const schema& s) {
    return s.backend;
}

std::string foreign_key_sql(const foreign_key& fk, backend_kind dialect) {
    const bool postgres = dialect == backend_kind::postgres;
    if (postgres && !fk.definition.empty())
        return fk.definition;  // the server's own text: MATCH FULL and the like included
    const auto quote = postgres ? quote_postgres_name : quote_name;
    auto names = [&](const std::vector<std::string>& list) {
        std::string out;
        for (const auto& n : list)
            out += (out.empty() ? "" : ", ") + quote(n);
        return out;
    };
    std::string out = fmt::format("FOREIGN KEY ({}) REFERENCES {} ({})", names(fk.columns),
                                  quote(fk.table), names(fk.referenced));
    if (fk.on_delete != "NO ACTION")
        out += " ON DELETE " + fk.on_delete;
    if (fk.on_update != "NO ACTION")
        out += " ON UPDATE " + fk.on_update;
    if (fk.deferred)
        out += " DEFERRABLE INITIALLY DEFERRED";
    return out;
}

std::string column_sql(const column& c, bool inline_primary_key, backend_kind dialect) {
    if (dialect == backend_kind::postgres)
        return detail::postgres_column_sql(c);
    std::string out = quote_name(c.name);
    if (!c.type.empty())
        out += " " + c.type;
    if (inline_primary_key && c.primary_key > 0) {
        out += c.descending_key ? " PRIMARY KEY DESC" : " PRIMARY KEY";
        if (c.autoincrement)
            out += " AUTOINCREMENT";
    }
    if (c.not_null)
        out += " NOT NULL";
    if (!c.collation.empty())
        out += " COLLATE " + c.collation;
    if (c.default_sql)
        out += " DEFAULT " + *c.default_sql;
    if (c.generated != generated_kind::none)
        out += fmt::format(" GENERATED ALWAYS AS ({}) {}", c.generated_sql,
                           generated_word(c.generated));
    if (c.hidden)
        out += " HIDDEN";
    return out;
}

std::string table_sql(const table& t, backend_kind dialect) {
    if (dialect == backend_kind::postgres)
        return detail::postgres_table_sql(t, true);
    if (!t.virtual_using.empty())
        return fmt::format("CREATE VIRTUAL TABLE {} {};\n", quote_name(t.name), t.virtual_using);
    std::vector<std::string> lines;
    const bool inline_key = single_column_key(t);
    for (const auto& c : t.columns)
        lines.push_back(column_sql(c, inline_key));
    if (!inline_key && !t.primary_key().empty()) {
        std::vector<std::string> key;
        for (const column* c : t.primary_key())
            key.push_back(c->name);
        lines.push_back("PRIMARY KEY (" + name_list(key) + ")");
    }
    for (const auto& u : t.uniques)
        lines.push_back("UNIQUE " + unique_sql(u));
    for (const auto& c : t.checks)
        lines.push_back((c.name.empty() ? "" : "CONSTRAINT " + quote_name(c.name) + " ") +
                        "CHECK (" + c.expression + ")");
    for (const auto& fk : t.foreign_keys)
        lines.push_back(foreign_key_sql(fk));
    std::string out = "CREATE TABLE " + quote_name(t.name) + " (\n";
    for (std::size_t i = 0; i < lines.size(); ++i)
        out += "    " + lines[i] + (i + 1 < lines.size() ? ",\n" : "\n");
    out += ")";
    std::vector<std::string> options;
    if (t.without_rowid)
        options.push_back("WITHOUT ROWID");
    if (t.strict)
        options.push_back("STRICT");
    for (std::size_t i = 0; i < options.size(); ++i)
        out += (i ? ", " : " ") + options[i];
    return out + ";\n";
}

std::string index_sql(const index& ix, backend_kind dialect) {
    if (dialect == backend_kind::postgres)
        return detail::postgres_index_sql(ix);
    std::string out =
        fmt::format("CREATE {}INDEX {} ON {} ({})", ix.unique ? "UNIQUE " : "", quote_name(ix.name),
                    quote_name(ix.table), key_list_sql(ix.columns));
    if (!ix.where.empty())
        out += " WHERE " + ix.where;
    return out + ";\n";
}

std::string dump_sql(const schema& s) {
    if (dialect_of(s) == backend_kind::postgres)
        return detail::postgres_dump_sql(s);
    std::string out =
        fmt::format("-- canonical schema ({}), written by strata\n", to_string(s.backend));
    for (const auto& t : s.tables)
        out += "\n" + table_sql(t);
    for (const auto& ix : s.indexes)
        out += "\n" + index_sql(ix);
    for (const auto& v : s.views)
        out += "\n" + v.sql + ";\n";
    for (const auto& tr : s.triggers)
        out += "\n" + tr.sql + ";\n";
    return out;
}

namespace {

nlohmann::json keys_json(const std::vector<index_column>& keys) {
    using nlohmann::json;
    json out = json::array();
    for (const auto& k : keys)
        out.push_back({{"expression", k.expression},
                       {"descending", k.descending},
                       {"collation", k.collation.empty() ? json(nullptr) : json(k.collation)}});
    return out;
}

void add_postgres_json(const schema& s, nlohmann::json& out) {
    using nlohmann::json;
    json extensions = json::array();
    for (const auto& e : s.extensions)
        extensions.push_back(e.name);
    json types = json::array();
    for (const auto& t : s.types) {
        types.push_back({{"name", t.name}, {"kind", t.kind}, {"sql", t.sql}});
        if (t.kind == "enum" || !t.labels.empty())
            types.back()["labels"] = t.labels;
    }
    json sequences = json::array();
    for (const auto& q : s.sequences)
        sequences.push_back({{"name", q.name},
                             {"sql", q.sql},
                             {"owned_by", q.owned_by.empty() ? json(nullptr) : json(q.owned_by)}});
    json routines = json::array();
    for (const auto& r : s.routines)
        routines.push_back({{"signature", r.signature}, {"kind", r.kind}, {"sql", r.sql}});
    out["extensions"] = std::move(extensions);
    out["types"] = std::move(types);
    out["sequences"] = std::move(sequences);
    out["routines"] = std::move(routines);
}

}  // namespace

nlohmann::json to_json(const schema& s) {
    using nlohmann::json;
    json tables = json::array();
    for (const auto& t : s.tables) {
        json columns = json::array();
        for (const auto& c : t.columns) {
            json col = {{"name", c.name},
                        {"descending_key", c.descending_key},
                        {"type", c.type},
                        {"not_null", c.not_null},
                        {"default", c.default_sql ? json(*c.default_sql) : json(nullptr)},
                        {"collation", c.collation.empty() ? json(nullptr) : json(c.collation)},
                        {"primary_key", c.primary_key},
                        {"autoincrement", c.autoincrement},
                        {"hidden", c.hidden}};
            if (c.generated != generated_kind::none)
                col["generated"] = {
                    {"kind", c.generated == generated_kind::stored_column ? "stored" : "virtual"},
                    {"expression", c.generated_sql}};
            if (!c.identity.empty())
                col["identity"] = c.identity;
            columns.push_back(std::move(col));
        }
        json fks = json::array();
        for (const auto& fk : t.foreign_keys) {
            fks.push_back({{"columns", fk.columns},
                           {"table", fk.table},
                           {"referenced", fk.referenced},
                           {"on_delete", fk.on_delete},
                           {"on_update", fk.on_update},
                           {"deferred", fk.deferred}});
            if (!fk.name.empty())
                fks.back()["name"] = fk.name;
            if (!fk.definition.empty())
                fks.back()["definition"] = fk.definition;
        }
        json checks = json::array();
        for (const auto& c : t.checks)
            checks.push_back({{"name", c.name.empty() ? json(nullptr) : json(c.name)},
                              {"expression", c.expression}});
        json uniques = json::array();
        for (const auto& u : t.uniques) {
            uniques.push_back(
                {{"columns", keys_json(u.keys)},
                 {"on_conflict", u.on_conflict.empty() ? json(nullptr) : json(u.on_conflict)}});
            if (!u.name.empty())
                uniques.back()["name"] = u.name;
            if (!u.definition.empty())
                uniques.back()["definition"] = u.definition;
        }
        json item = {{"name", t.name},    {"columns", columns},  {"uniques", uniques},
                     {"checks", checks},  {"foreign_keys", fks}, {"without_rowid", t.without_rowid},
                     {"strict", t.strict}};
        if (!t.virtual_using.empty())
            item["virtual"] = t.virtual_using;
        if (!t.primary_key_name.empty())
            item["primary_key_name"] = t.primary_key_name;
        if (!t.primary_key_definition.empty())
            item["primary_key_definition"] = t.primary_key_definition;
        if (!t.exclusions.empty()) {
            json exclusions = json::array();
            for (const auto& x : t.exclusions)
                exclusions.push_back({{"name", x.name}, {"definition", x.expression}});
            item["exclusions"] = std::move(exclusions);
        }
        tables.push_back(std::move(item));
    }
    json indexes = json::array();
    for (const auto& ix : s.indexes) {
        indexes.push_back({{"name", ix.name},
                           {"table", ix.table},
                           {"unique", ix.unique},
                           {"columns", keys_json(ix.columns)},
                           {"where", ix.where.empty() ? json(nullptr) : json(ix.where)}});
        if (!ix.method.empty())
            indexes.back()["method"] = ix.method;
        if (!ix.include.empty())
            indexes.back()["include"] = ix.include;
        if (!ix.options.empty())
            indexes.back()["options"] = ix.options;
    }
    json views = json::array();
    for (const auto& v : s.views) {
        views.push_back({{"name", v.name}, {"sql", v.sql}});
        if (v.materialized)
            views.back()["materialized"] = true;
    }
    json triggers = json::array();
    for (const auto& tr : s.triggers)
        triggers.push_back({{"name", tr.name}, {"table", tr.table}, {"sql", tr.sql}});
    json out = {{"backend", to_string(s.backend)},
                {"tables", tables},
                {"indexes", indexes},
                {"views", views},
                {"triggers", triggers}};
    // A SQLite schema's JSON has no PostgreSQL keys unless its model holds
    // PostgreSQL objects after all (so that schema_from_json gets them back).
    if (dialect_of(s) == backend_kind::postgres || !s.extensions.empty() || !s.types.empty() ||
        !s.sequences.empty() || !s.routines.empty())
        add_postgres_json(s, out);
    return out;
}

namespace {

// Mermaid entity and attribute names: letters, digits, '_' and '-' only.
std::string mermaid_name(const std::string& name) {
    std::string out;
    for (unsigned char c : name)
        out.push_back(std::isalnum(c) || c == '_' || c == '-' ? static_cast<char>(c) : '_');
    if (out.empty() || std::isdigit(static_cast<unsigned char>(out.front())))
        out.insert(0, "_");
    return out;
}

std::string mermaid_type(const std::string& type) {
    std::string out;
    for (unsigned char c : type)
        out.push_back(std::isalnum(c) ? static_cast<char>(c) : '_');
    return out.empty() ? "ANY" : out;
}

std::string dot_escape(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '"' || c == '\\')
            out.push_back('\\');
        if (c == '<' || c == '>' || c == '{' || c == '}' || c == '|')
            out.push_back('\\');
        out.push_back(c);
    }
    return out;
}

}  // namespace

std::string dump_mermaid(const schema& s) {
    std::string out = "erDiagram\n";
    for (const auto& t : s.tables) {
        out += "    " + mermaid_name(t.name) + " {\n";
        for (const auto& c : t.columns) {
            std::string keys;
            if (c.primary_key > 0)
                keys = "PK";
            for (const auto& fk : t.foreign_keys)
                for (const auto& fc : fk.columns)
                    if (fc == c.name && keys.find("FK") == std::string::npos)
                        keys += keys.empty() ? "FK" : ", FK";
            out += fmt::format("        {} {}{}{}\n", mermaid_type(c.type), mermaid_name(c.name),
                               keys.empty() ? "" : " " + keys,
                               t.is_nullable(c) ? " \"nullable\"" : "");
        }
        out += "    }\n";
    }
    for (const auto& t : s.tables)
        for (const auto& fk : t.foreign_keys)
            out += fmt::format("    {} }}o--|| {} : \"{}\"\n", mermaid_name(t.name),
                               mermaid_name(fk.table), fmt::join(fk.columns, ", "));
    return out;
}

std::string dump_dot(const schema& s) {
    std::string out = "digraph schema {\n    rankdir=LR;\n    node [shape=record];\n";
    for (const auto& t : s.tables) {
        std::string fields;
        for (const auto& c : t.columns)
            fields +=
                fmt::format("|<{}> {}{} {}", dot_escape(mermaid_name(c.name)),
                            c.primary_key > 0 ? "* " : "", dot_escape(c.name), dot_escape(c.type));
        out += fmt::format("    \"{}\" [label=\"{}{}\"];\n", dot_escape(t.name), dot_escape(t.name),
                           fields);
    }
    for (const auto& t : s.tables)
        for (const auto& fk : t.foreign_keys)
            out += fmt::format("    \"{}\":\"{}\" -> \"{}\" [label=\"{}\"];\n", dot_escape(t.name),
                               dot_escape(mermaid_name(fk.columns.front())), dot_escape(fk.table),
                               dot_escape(fmt::format("{}", fmt::join(fk.columns, ", "))));
    return out + "}\n";
}

}  // namespace strata
