#include "tooling/codegen/internal/header_queries.hpp"

#include <filesystem>

#include <fmt/format.h>

#include "tooling/codegen/header.hpp"
#include "tooling/codegen/internal/identifier_scope.hpp"

namespace strata::detail {

namespace {

// The row's own name: `row::row` would name its constructor, not a member.
// The query struct's members (name, sql, fields, ...) live in another scope.
const std::set<std::string> reserved_in_row = {"row"};

// Text for a `//` comment: one line, and no trailing backslash to splice the next.
std::string comment_text(std::string text) {
    for (auto& c : text)
        if (static_cast<unsigned char>(c) < 0x20)
            c = ' ';
    while (!text.empty() && (text.back() == '\\' || text.back() == ' '))
        text.pop_back();
    return text;
}

// SQL as a string literal, line ends written as \n to keep it readable.
std::string sql_literal(const std::string& sql) {
    std::string body = cpp_string_body(sql);
    const std::string hex_newline = "\\x0a\"\"";
    for (auto at = body.find(hex_newline); at != std::string::npos; at = body.find(hex_newline, at))
        body.replace(at, hex_newline.size(), "\\n");
    return "\"" + body + "\"";
}

std::string string_array(const std::vector<std::string>& values) {
    std::string items;
    for (const auto& v : values)
        items += (items.empty() ? "" : ", ") + ("\"" + cpp_string_body(v) + "\"");
    return fmt::format("::std::array<::std::string_view, {}>{{{}}}", values.size(), items);
}

struct type_mapper {
    bool postgres;
    const std::map<std::string, std::string>& enums;

    // SQLite cannot type every expression; its text is what every value reads as.
    std::string operator()(const std::string& sql_type) const {
        if (postgres)
            return cpp_type_for_postgres(sql_type, enums);
        return sql_type.empty() ? "::std::string" : cpp_type_for(sql_type);
    }
};

std::string parameters_tuple(const described_query& q, const type_mapper& type_of) {
    std::string types;
    for (const auto& t : q.parameter_types) {
        if (t.empty())
            return {};  // SQLite: the database does not say
        types += (types.empty() ? "" : ", ") + type_of(t);
    }
    return fmt::format("    using parameters = ::std::tuple<{}>;\n", types);
}

std::string row_struct(const described_query& q, const type_mapper& type_of) {
    identifier_scope members(reserved_in_row);
    std::string out = "    struct row {\n";
    std::string pointers;
    std::vector<std::string> names;
    for (const auto& c : q.columns) {
        const std::string id = members.add(c.name);
        const std::string type = type_of(c.sql_type);
        const std::string why =
            c.sql_type.empty() ? "  // SQLite does not type this expression: read as text" : "";
        out += fmt::format(
            c.nullable ? "        ::std::optional<{0}> {1};{2}\n" : "        {0} {1}{{}};{2}\n",
            type, id, why);
        pointers += (pointers.empty() ? "" : ", ") + ("&row::" + id);
        names.push_back(c.name);
    }
    out += "    };\n";
    out += fmt::format("    static constexpr auto column_names = {};\n", string_array(names));
    out +=
        q.columns.empty()
            ? "    static constexpr auto fields = ::std::tuple<>{};\n"
            : fmt::format("    static constexpr auto fields = ::std::make_tuple({});\n", pointers);
    return out;
}

std::string query_struct(const described_query& d, const std::string& id,
                         const type_mapper& type_of) {
    const named_query& q = d.query;
    // The file's name alone: the same queries give the same header anywhere.
    std::string out = fmt::format(
        "\n// {}:{}\n", comment_text(std::filesystem::path(q.where.file).filename().string()),
        q.where.line);
    std::string doc = q.doc;
    for (std::size_t line = 0; !doc.empty();
         doc.erase(0, line == std::string::npos ? doc.size() : line + 1)) {
        line = doc.find('\n');
        out += "// " + comment_text(doc.substr(0, line)) + "\n";
    }
    out += fmt::format("struct {} {{\n", id);
    out += fmt::format("    static constexpr ::std::string_view name = \"{}\";\n",
                       cpp_string_body(q.name));
    for (const auto& [member, text] : {std::pair{"sql", &q.sql},
                                       {"sqlite_sql", &q.sqlite_sql},
                                       {"postgres_sql", &q.postgres_sql}})
        out += fmt::format("    static constexpr ::std::string_view {} = {};\n", member,
                           sql_literal(*text));
    out += fmt::format("    static constexpr ::std::size_t parameter_count = {};\n",
                       q.parameters.size());
    out += fmt::format("    static constexpr auto parameter_names = {};\n",
                       string_array(q.parameters));
    std::vector<std::string> types = d.parameter_types;
    types.resize(q.parameters.size());
    out += fmt::format("    static constexpr auto parameter_types = {};\n", string_array(types));
    out += parameters_tuple(d, type_of);
    out += row_struct(d, type_of);
    return out + "};\n";
}

}  // namespace

std::string query_types(const std::vector<described_query>& queries, bool postgres,
                        const std::map<std::string, std::string>& enums) {
    if (queries.empty())
        return {};
    const type_mapper type_of{postgres, enums};
    // A struct may not be called like one of its members.
    identifier_scope ids({"std", "row", "name", "sql", "sqlite_sql", "postgres_sql",
                          "parameter_count", "parameter_names", "parameter_types", "parameters",
                          "column_names", "fields"});
    std::string out = "\n// Named queries, checked against this schema when it was generated.\n";
    out += "namespace queries {\n";
    for (const auto& q : queries)
        out += query_struct(q, ids.add(q.query.identifier), type_of);
    return out + "\n}  // namespace queries\n";
}

}  // namespace strata::detail
