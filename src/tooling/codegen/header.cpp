#include "tooling/codegen/header.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "strata/error.hpp"
#include "tooling/codegen/internal/header_queries.hpp"
#include "tooling/codegen/internal/identifier_scope.hpp"
#include "tooling/cpp_names.hpp"

namespace strata {

using detail::identifier_scope;

namespace {

// Names the header itself declares in a table's namespace / the schema's.
// A column's struct must not be named like one of its own members either.
const std::set<std::string> reserved_in_table = {
    "row",      "columns",  "column_names", "table_name",  "std",        "value_type",
    "sql_name", "sql_type", "is_nullable",  "pk_position", "has_default"};
const std::set<std::string> reserved_in_schema = {"schema_version", "tables", "std"};
// A PostgreSQL header also declares the enum helpers, and reserves their names
// even without enums, so that adding the first enum renames no table.
const std::set<std::string> reserved_in_postgres_schema = {"schema_version", "tables", "std",
                                                           "to_string", "from_string"};

}  // namespace

namespace {

// The C++ type and facts of one backend's columns.
struct column_rules {
    bool postgres = false;
    std::map<std::string, std::string> enums;  // PostgreSQL enum type -> its enum class

    std::string type_of(const column& c) const {
        return postgres ? cpp_type_for_postgres(c.type, enums) : cpp_type_for(c.type);
    }
    // PostgreSQL has no rowid, and its primary keys are NOT NULL whatever
    // the model says.
    bool nullable(const table& t, const column& c) const {
        return postgres ? !c.not_null && c.primary_key == 0 : t.is_nullable(c);
    }
    bool has_default(const table& t, const column& c) const {
        if (c.default_sql.has_value() || c.generated != generated_kind::none)
            return true;
        return postgres ? !c.identity.empty() : t.is_rowid_alias(c);
    }
};

struct enum_ids {
    const user_type* type;
    std::string id;
    std::vector<std::string> labels;  // an enumerator per label, in label order
};

enum_ids name_enum(const user_type& type, identifier_scope& schema_scope) {
    enum_ids e{&type, schema_scope.add(type.name), {}};
    // Enumerators live in the enum's own scope: only labels can collide.
    identifier_scope labels(std::set<std::string>{});
    for (const auto& label : type.labels)
        e.labels.push_back(labels.add(label));
    return e;
}

std::string enum_class(const enum_ids& e) {
    std::string out = fmt::format("\nenum class {} {{\n", e.id);
    for (const auto& id : e.labels)
        out += fmt::format("    {},\n", id);
    return out + "};\n";
}

std::string enum_to_string(const enum_ids& e) {
    std::string out = fmt::format("\nconstexpr ::std::string_view to_string({} value) {{\n", e.id);
    out += "    switch (value) {\n";
    for (std::size_t i = 0; i < e.labels.size(); ++i)
        out += fmt::format("        case {}::{}:\n            return \"{}\";\n", e.id, e.labels[i],
                           cpp_string_body(e.type->labels[i]));
    // Reached by a value cast from an integer that names no label.
    return out + "    }\n    return {};\n}\n";
}

std::string enum_from_string(const enum_ids& e) {
    std::string out = fmt::format(
        "\ntemplate <>\nconstexpr ::std::optional<{0}> from_string<{0}>(::std::string_view{1}) "
        "{{\n",
        e.id, e.labels.empty() ? "" : " text");  // unnamed when unused: -Wunused-parameter
    for (std::size_t i = 0; i < e.labels.size(); ++i)
        out += fmt::format("    if (text == \"{}\")\n        return {}::{};\n",
                           cpp_string_body(e.type->labels[i]), e.id, e.labels[i]);
    out += "    return ::std::nullopt;\n}\n";
    // Found by ADL, as to_string: how the query adapters read a label.
    return out + fmt::format(
                     "\nconstexpr bool from_string(::std::string_view text, {}& value) {{\n"
                     "    const auto parsed = from_string<{}>(text);\n"
                     "    if (parsed)\n        value = *parsed;\n"
                     "    return parsed.has_value();\n}}\n",
                     e.id, e.id);
}

// The enum classes and their string conversions. from_string's primary
// template is deleted: from_string<int> is an error, not a link failure.
std::string enum_declarations(const std::vector<enum_ids>& enums) {
    if (enums.empty())
        return {};
    std::string out =
        "\n// PostgreSQL enum types. to_string(value) gives a value's label; "
        "from_string<E>(label)\n// the value, or nullopt for a label E does not have.\n"
        "template <typename E>\n"
        "constexpr ::std::optional<E> from_string(::std::string_view label) = delete;\n";
    for (const auto& e : enums)
        out += enum_class(e) + enum_to_string(e) + enum_from_string(e);
    return out;
}

std::string column_struct(const table& t, const column& c, const std::string& id,
                          const std::string& type, const column_rules& rules) {
    std::string out = fmt::format("\nstruct {} {{\n", id);
    out += fmt::format("    using value_type = {};\n", type);
    out += fmt::format("    static constexpr ::std::string_view sql_name = \"{}\";\n",
                       cpp_string_body(c.name));
    out += fmt::format("    static constexpr ::std::string_view sql_type = \"{}\";\n",
                       cpp_string_body(c.type));
    out += fmt::format("    static constexpr bool is_nullable = {};\n", rules.nullable(t, c));
    out += fmt::format(
        "    static constexpr int pk_position = {};  // in the primary key, 0: not in it\n",
        c.primary_key);
    out += fmt::format("    static constexpr bool has_default = {};\n", rules.has_default(t, c));
    return out + "};\n";
}

std::string table_namespace(const table& t, const std::string& table_id,
                            const header_options& options, const column_rules& rules) {
    identifier_scope columns(reserved_in_table);
    std::vector<std::pair<const column*, std::string>> cols;
    for (const auto& c : t.columns)
        cols.emplace_back(&c, columns.add(c.name));

    std::string out = fmt::format("\nnamespace {} {{\n", table_id);
    out += fmt::format("inline constexpr ::std::string_view table_name = \"{}\";\n",
                       cpp_string_body(t.name));
    std::vector<std::string> types;
    for (const auto& [c, id] : cols) {
        auto override_it = options.type_overrides.find(t.name + "." + c->name);
        types.push_back(override_it != options.type_overrides.end() ? override_it->second
                                                                    : rules.type_of(*c));
        out += column_struct(t, *c, id, types.back(), rules);
    }
    // Members spell their types out: naming `id::type` before declaring the
    // member `id` would change what `id` means inside the struct.
    out += "\nstruct row {\n";
    for (std::size_t i = 0; i < cols.size(); ++i)
        out += fmt::format(rules.nullable(t, *cols[i].first) ? "    ::std::optional<{0}> {1};\n"
                                                             : "    {0} {1}{{}};\n",
                           types[i], cols[i].second);
    out += "};\n\n";
    std::string ids;
    std::string names;
    for (const auto& [c, id] : cols) {
        ids += (ids.empty() ? "" : ", ") + id;
        names += (names.empty() ? "" : ", ") + id + "::sql_name";
    }
    out += fmt::format("using columns = ::std::tuple<{}>;\n", ids);
    out += fmt::format(
        "inline constexpr ::std::array<::std::string_view, {}> column_names = {{{}}};\n",
        cols.size(), names);
    return out + fmt::format("}}  // namespace {}\n", table_id);
}

}  // namespace

std::string generate_header(const schema& s, const header_options& options) {
    check_cpp_namespace(options.ns);
    std::string out;
    out += fmt::format("// Generated by strata from {} — do not edit.\n",
                       options.source.empty() ? "the migrations" : options.source);
    out +=
        "#pragma once\n\n#include <array>\n#include <cstdint>\n#include <optional>\n"
        "#include <string>\n#include <string_view>\n#include <tuple>\n#include <vector>\n\n";
    out += fmt::format("namespace {} {{\n\n", options.ns);
    out += fmt::format("inline constexpr ::std::string_view schema_version = \"{}\";\n",
                       cpp_string_body(options.schema_version));

    column_rules rules;
    rules.postgres = s.backend == backend_kind::postgres;
    // Tables are named first: an enum called like a table yields to it.
    std::set<std::string> reserved =
        rules.postgres ? reserved_in_postgres_schema : reserved_in_schema;
    reserved.insert(options.reserved_names.begin(), options.reserved_names.end());
    if (!options.queries.empty())
        reserved.insert("queries");
    identifier_scope scope(reserved);
    std::vector<std::string> table_ids;
    for (const auto& t : s.tables)
        table_ids.push_back(scope.add(t.name));
    std::vector<enum_ids> enums;
    for (const auto& type : s.types) {
        if (!rules.postgres || type.kind != "enum")
            continue;
        enums.push_back(name_enum(type, scope));
        // Qualified: inside a table's namespace a column may be called like the enum.
        rules.enums[type.name] = "::" + options.ns + "::" + enums.back().id;
    }
    out += enum_declarations(enums);

    for (std::size_t i = 0; i < s.tables.size(); ++i)
        out += table_namespace(s.tables[i], table_ids[i], options, rules);
    std::string names;
    for (std::size_t i = 0; i < s.tables.size(); ++i)
        names += (names.empty() ? "" : ", ") + table_ids[i] + "::table_name";
    out += fmt::format("\ninline constexpr ::std::array<::std::string_view, {}> tables = {{{}}};\n",
                       s.tables.size(), names);
    out += detail::query_types(options.queries, rules.postgres, rules.enums);
    out += fmt::format("\n}}  // namespace {}\n", options.ns);
    return out;
}

bool write_if_changed(const std::string& path, const std::string& content) {
    {
        std::ifstream in(path, std::ios::binary);
        if (in) {
            std::ostringstream existing;
            existing << in.rdbuf();
            if (existing.str() == content)
                return false;
        }
    }
    const std::filesystem::path target(path);
    std::error_code ec;
    if (target.has_parent_path())
        std::filesystem::create_directories(target.parent_path(), ec);
    const std::string temporary = path + ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << content;
        if (!out.flush())
            throw error(error_kind::usage, "cannot write '" + temporary + "'");
    }
    std::filesystem::rename(temporary, target, ec);
    if (ec)
        throw error(error_kind::usage, "cannot write '" + path + "': " + ec.message());
    return true;
}

}  // namespace strata
