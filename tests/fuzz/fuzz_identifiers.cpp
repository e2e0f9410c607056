// The identifier mapper of the generated C++ header: cpp_identifier() and
// identifier_scope (src/identifier_scope.hpp), plus the string-literal and
// namespace helpers of src/header.cpp. The input is a list of SQL names, one
// per line, all in one scope.
//
// Invariants: every identifier is a valid C++ identifier ([A-Za-z][A-Za-z0-9_]*),
// not a keyword, without the reserved `__` or a leading `_`; cpp_identifier is
// idempotent; within one scope, distinct names get distinct identifiers, none
// of them reserved, and the same name twice gets two identifiers; a string body
// has no raw quote, backslash escape gone astray, control character or `??`;
// an accepted namespace is `::`-separated identifiers; only strata::error is
// thrown.
#include <set>
#include <string>

#include "fuzz_support.hpp"
#include "strata/error.hpp"
#include "tooling/codegen/header.hpp"
#include "tooling/codegen/internal/identifier_scope.hpp"

namespace {

using strata::fuzz::shown;

// C++20's keywords and alternative tokens, and the names that <cstdio>,
// <cerrno> and <cassert> or -std=gnu++17 define as macros: none of them can
// name a struct or a member.
const std::set<std::string> cpp_reserved_words = {
    "alignas",       "alignof",     "and",
    "and_eq",        "asm",         "auto",
    "bitand",        "bitor",       "bool",
    "break",         "case",        "catch",
    "char",          "char8_t",     "char16_t",
    "char32_t",      "class",       "compl",
    "concept",       "const",       "consteval",
    "constexpr",     "constinit",   "const_cast",
    "continue",      "co_await",    "co_return",
    "co_yield",      "decltype",    "default",
    "delete",        "do",          "double",
    "dynamic_cast",  "else",        "enum",
    "explicit",      "export",      "extern",
    "false",         "float",       "for",
    "friend",        "goto",        "if",
    "inline",        "int",         "long",
    "mutable",       "namespace",   "new",
    "noexcept",      "not",         "not_eq",
    "nullptr",       "operator",    "or",
    "or_eq",         "private",     "protected",
    "public",        "register",    "reinterpret_cast",
    "requires",      "return",      "short",
    "signed",        "sizeof",      "static",
    "static_assert", "static_cast", "struct",
    "switch",        "template",    "this",
    "thread_local",  "throw",       "true",
    "try",           "typedef",     "typeid",
    "typename",      "union",       "unsigned",
    "using",         "virtual",     "void",
    "volatile",      "wchar_t",     "while",
    "xor",           "xor_eq",      "EOF",
    "NULL",          "assert",      "errno",
    "stderr",        "stdin",       "stdout",
    "linux",         "unix",        "i386"};

// The names header.cpp reserves in a table's namespace.
const std::set<std::string> reserved_in_table = {
    "row",      "columns",  "column_names", "table_name",  "std",        "value_type",
    "sql_name", "sql_type", "is_nullable",  "pk_position", "has_default"};

bool is_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_alnum(char c) {
    return is_alpha(c) || (c >= '0' && c <= '9');
}

void check_identifier(const std::string& id, const std::string& from) {
    const std::string context = "from '" + shown(from) + "': '" + shown(id) + "'";
    FUZZ_CHECK(!id.empty(), context);
    FUZZ_CHECK(is_alpha(id.front()), context);
    for (char c : id)
        FUZZ_CHECK(is_alnum(c) || c == '_', context);
    FUZZ_CHECK(id.find("__") == std::string::npos, context);
    FUZZ_CHECK(cpp_reserved_words.count(id) == 0, context);
}

void check_string_body(const std::string& text) {
    const std::string body = strata::cpp_string_body(text);
    const std::string context = "'" + shown(text) + "' -> '" + shown(body) + "'";
    for (std::size_t i = 0; i < body.size(); ++i) {
        const auto c = static_cast<unsigned char>(body[i]);
        FUZZ_CHECK(c >= 0x20 && c != 0x7f, context);
        FUZZ_CHECK(!(body[i] == '?' && i + 1 < body.size() && body[i + 1] == '?'), context);
        if (body[i] == '\\') {
            FUZZ_CHECK(i + 1 < body.size(), context);
            ++i;  // the escaped character
        } else if (body[i] == '"') {
            // Only the `""` that ends a hex escape: `\xNN""`.
            FUZZ_CHECK(i + 1 < body.size() && body[i + 1] == '"' && i >= 4 &&
                           body.compare(i - 4, 2, "\\x") == 0,
                       context);
            ++i;
        }
    }
}

void check_namespace(const std::string& ns) {
    try {
        strata::check_cpp_namespace(ns);
    } catch (const strata::error&) {
        return;
    }
    std::size_t pos = 0;
    for (;;) {
        const auto end = ns.find("::", pos);
        const std::string part = ns.substr(pos, end == std::string::npos ? end : end - pos);
        check_identifier(part, ns);
        if (end == std::string::npos)
            break;
        pos = end + 2;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(strata::fuzz::as_text(data, size));
    check_string_body(text);
    check_namespace(text);

    strata::detail::identifier_scope scope(reserved_in_table);
    std::set<std::string> given;
    for (const auto name_view : strata::fuzz::split(text, '\n')) {
        const std::string name(name_view);
        const std::string id = strata::cpp_identifier(name);
        check_identifier(id, name);
        FUZZ_CHECK(strata::cpp_identifier(id) == id, "not idempotent: '" + shown(name) + "'");

        const std::string scoped = scope.add(name);
        check_identifier(scoped, name);
        FUZZ_CHECK(reserved_in_table.count(scoped) == 0, "'" + shown(name) + "' -> " + scoped);
        FUZZ_CHECK(given.insert(scoped).second,
                   "two names in one scope -> " + scoped + " (last: '" + shown(name) + "')");
    }
    return 0;
}
