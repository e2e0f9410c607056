// The C++ types of the generated header's columns: SQLite's declared types by
// affinity, PostgreSQL's format_type() text by type.
#include <cctype>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "tooling/codegen/header.hpp"

namespace strata {

namespace {

bool contains(const std::string& haystack, std::string_view needle) {
    return haystack.find(needle) != std::string::npos;
}

// format_type()'s text taken apart: `timestamp(3) with time zone` is
// {"timestamp with time zone"}, `other."My Type"[]` is {"other", "My Type"}
// quoted with one dimension.
struct postgres_type_name {
    std::vector<std::string> parts{""};  // the schema qualification first, unquoted
    bool quoted = false;                 // a quoted name is never a built-in type
    int dimensions = 0;
};

// Skips from an opening bracket to its closing one; returns that position.
std::size_t skip_group(std::string_view text, std::size_t open, char close) {
    std::size_t i = open;
    while (i < text.size() && text[i] != close)
        ++i;
    return i;
}

// Appends a quoted name's characters (`""` is one quote); returns the
// position of its closing quote.
std::size_t read_quoted(std::string_view text, std::size_t open, std::string& out) {
    std::size_t i = open + 1;
    for (; i < text.size(); ++i) {
        if (text[i] != '"') {
            out.push_back(text[i]);
        } else if (i + 1 < text.size() && text[i + 1] == '"') {
            out.push_back('"');
            ++i;
        } else {
            break;
        }
    }
    return i;
}

postgres_type_name parse_postgres_type(std::string_view text) {
    postgres_type_name t;
    bool space = false;  // pending: one space between words, none at the ends
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (std::isspace(static_cast<unsigned char>(c))) {
            space = true;
            continue;
        }
        std::string& part = t.parts.back();
        if (c == '(') {  // type modifiers: length, precision, scale
            i = skip_group(text, i, ')');
        } else if (c == '[') {
            ++t.dimensions;
            i = skip_group(text, i, ']');
        } else if (c == '.') {
            t.parts.emplace_back();
            space = false;
        } else {
            if (space && !part.empty())
                part.push_back(' ');
            space = false;
            if (c == '"') {
                t.quoted = true;
                i = read_quoted(text, i, part);
            } else {
                part.push_back(c);
            }
        }
    }
    return t;
}

// Built-in types by format_type()'s spelling and their internal names.
// numeric, the date/time types, interval, uuid, json and inet stay text on
// purpose: their text formats are lossless (no rounding of numeric, no time
// zone conversion) and are what libpqxx reads and writes, so an application
// chooses its own decimal or chrono type without losing anything on the way.
const std::map<std::string, std::string, std::less<>> postgres_builtin_types = {
    {"smallint", "::std::int16_t"},
    {"int2", "::std::int16_t"},
    {"smallserial", "::std::int16_t"},
    {"serial2", "::std::int16_t"},
    {"integer", "::std::int32_t"},
    {"int", "::std::int32_t"},
    {"int4", "::std::int32_t"},
    {"serial", "::std::int32_t"},
    {"serial4", "::std::int32_t"},
    {"bigint", "::std::int64_t"},
    {"int8", "::std::int64_t"},
    {"bigserial", "::std::int64_t"},
    {"serial8", "::std::int64_t"},
    {"boolean", "bool"},
    {"bool", "bool"},
    {"real", "float"},
    {"float4", "float"},
    {"double precision", "double"},
    {"float8", "double"},
    // As SQLite's BLOB, so that one program reads either backend's bytes.
    {"bytea", "::std::vector<::std::uint8_t>"},
};

std::string join(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& p : parts)
        out += (out.empty() ? "" : ".") + p;
    return out;
}

// The type of one value (an array's element). pg_catalog comes first on
// every search path, so an unquoted built-in name is the built-in type.
std::string postgres_element_type(const postgres_type_name& t,
                                  const std::map<std::string, std::string>& enums) {
    if (!t.quoted && t.parts.size() == 1) {
        auto builtin = postgres_builtin_types.find(t.parts.front());
        if (builtin != postgres_builtin_types.end())
            return builtin->second;
    }
    auto user_enum = enums.find(join(t.parts));
    if (user_enum != enums.end())
        return user_enum->second;
    // Text formats of everything else (varchar, citext, domains, enums of
    // other schemas, ...) are what the server sends and accepts.
    return "::std::string";
}

}  // namespace

std::string cpp_type_for(const std::string& sql_type) {
    std::string t = sql_type;
    for (auto& c : t)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (contains(t, "BOOL"))
        return "bool";
    if (contains(t, "INT"))
        return "::std::int64_t";
    if (contains(t, "CHAR") || contains(t, "CLOB") || contains(t, "TEXT") || contains(t, "DATE") ||
        contains(t, "TIME"))
        return "::std::string";
    if (contains(t, "BLOB") || t.empty())
        return "::std::vector<::std::uint8_t>";
    return "double";  // REAL, FLOAT, DOUBLE, NUMERIC, DECIMAL and the rest of NUMERIC affinity
}

std::string cpp_type_for_postgres(const std::string& format_type,
                                  const std::map<std::string, std::string>& enums) {
    const postgres_type_name t = parse_postgres_type(format_type);
    std::string type = postgres_element_type(t, enums);
    for (int d = 0; d < t.dimensions; ++d)
        type = "::std::vector<" + type + ">";
    return type;
}

}  // namespace strata
