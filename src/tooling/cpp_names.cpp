#include "tooling/cpp_names.hpp"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <string_view>

#include <fmt/format.h>

#include "strata/error.hpp"

namespace strata {

namespace {

constexpr std::string_view cpp_keywords[] = {
    "alignas", "alignof", "and", "and_eq", "asm", "atomic_cancel", "atomic_commit",
    "atomic_noexcept", "auto", "bitand", "bitor", "bool", "break", "case", "catch", "char",
    "char16_t", "char32_t", "char8_t", "class", "co_await", "co_return", "co_yield", "compl",
    "concept", "const", "const_cast", "consteval", "constexpr", "constinit", "continue", "decltype",
    "default", "delete", "do", "double", "dynamic_cast", "else", "enum", "explicit", "export",
    "extern", "false", "final", "float", "for", "friend", "goto", "if", "import", "inline", "int",
    "long", "module", "mutable", "namespace", "new", "noexcept", "not", "not_eq", "nullptr",
    "operator", "or", "or_eq", "override", "private", "protected", "public", "reflexpr", "register",
    "reinterpret_cast", "requires", "return", "short", "signed", "sizeof", "static",
    "static_assert", "static_cast", "struct", "switch", "synchronized", "template", "this",
    "thread_local", "throw", "true", "try", "typedef", "typeid", "typename", "union", "unsigned",
    "using", "virtual", "void", "volatile", "wchar_t", "xor", "xor_eq",
    // Macros of the C and POSIX headers, and of GNU dialects (-std=gnu++17).
    "EOF", "NULL", "assert", "errno", "i386", "linux", "offsetof", "stderr", "stdin", "stdout",
    "unix"};

bool is_keyword(const std::string& s) {
    return std::find(std::begin(cpp_keywords), std::end(cpp_keywords), s) != std::end(cpp_keywords);
}

}  // namespace

std::string cpp_string_body(const std::string& text) {
    std::string out;
    for (unsigned char c : text) {
        if (c == '?' && !out.empty() && out.back() == '?') {
            out += "\\?";  // `??/` and the other trigraphs: warned of, or replaced before C++17
        } else if (c == '\\' || c == '"') {
            out.push_back('\\');
            out.push_back(static_cast<char>(c));
        } else if (c < 0x20 || c == 0x7f) {
            out += fmt::format("\\x{:02x}\"\"", c);  // "" ends the hex escape
        } else {
            out.push_back(static_cast<char>(c));
        }
    }
    return out;
}

void check_cpp_namespace(const std::string& ns) {
    std::size_t pos = 0;
    while (true) {
        auto end = ns.find("::", pos);
        std::string part = ns.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
        if (part.empty() || cpp_identifier(part) != part)
            throw error(error_kind::usage,
                        "namespace '" + ns + "' is not a C++ namespace name (like app::db)");
        if (end == std::string::npos)
            break;
        pos = end + 2;
    }
}

std::string cpp_identifier(const std::string& sql_name) {
    std::string out;
    for (unsigned char c : sql_name) {
        const char mapped = std::isalnum(c) ? static_cast<char>(c) : '_';
        if (mapped == '_' && (out.empty() || out.back() == '_')) {
            if (out.empty())
                continue;  // no leading '_': `_X` is reserved
            continue;      // no `__`: reserved
        }
        out.push_back(mapped);
    }
    while (!out.empty() && out.back() == '_')
        out.pop_back();
    if (out.empty())
        return "unnamed";
    if (std::isdigit(static_cast<unsigned char>(out.front())))
        out.insert(0, "n");
    if (is_keyword(out))
        out += "_";
    return out;
}

}  // namespace strata
