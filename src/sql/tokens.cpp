#include "sql/tokens.hpp"

#include "sql/lexer.hpp"
#include "sql/text.hpp"

#include <algorithm>
#include <array>

namespace strata {

namespace {

// https://www.sqlite.org/lang_keywords.html
constexpr std::array<std::string_view, 147> keywords = {"ABORT",
                                                        "ACTION",
                                                        "ADD",
                                                        "AFTER",
                                                        "ALL",
                                                        "ALTER",
                                                        "ALWAYS",
                                                        "ANALYZE",
                                                        "AND",
                                                        "AS",
                                                        "ASC",
                                                        "ATTACH",
                                                        "AUTOINCREMENT",
                                                        "BEFORE",
                                                        "BEGIN",
                                                        "BETWEEN",
                                                        "BY",
                                                        "CASCADE",
                                                        "CASE",
                                                        "CAST",
                                                        "CHECK",
                                                        "COLLATE",
                                                        "COLUMN",
                                                        "COMMIT",
                                                        "CONFLICT",
                                                        "CONSTRAINT",
                                                        "CREATE",
                                                        "CROSS",
                                                        "CURRENT",
                                                        "CURRENT_DATE",
                                                        "CURRENT_TIME",
                                                        "CURRENT_TIMESTAMP",
                                                        "DATABASE",
                                                        "DEFAULT",
                                                        "DEFERRABLE",
                                                        "DEFERRED",
                                                        "DELETE",
                                                        "DESC",
                                                        "DETACH",
                                                        "DISTINCT",
                                                        "DO",
                                                        "DROP",
                                                        "EACH",
                                                        "ELSE",
                                                        "END",
                                                        "ESCAPE",
                                                        "EXCEPT",
                                                        "EXCLUDE",
                                                        "EXCLUSIVE",
                                                        "EXISTS",
                                                        "EXPLAIN",
                                                        "FAIL",
                                                        "FILTER",
                                                        "FIRST",
                                                        "FOLLOWING",
                                                        "FOR",
                                                        "FOREIGN",
                                                        "FROM",
                                                        "FULL",
                                                        "GENERATED",
                                                        "GLOB",
                                                        "GROUP",
                                                        "GROUPS",
                                                        "HAVING",
                                                        "IF",
                                                        "IGNORE",
                                                        "IMMEDIATE",
                                                        "IN",
                                                        "INDEX",
                                                        "INDEXED",
                                                        "INITIALLY",
                                                        "INNER",
                                                        "INSERT",
                                                        "INSTEAD",
                                                        "INTERSECT",
                                                        "INTO",
                                                        "IS",
                                                        "ISNULL",
                                                        "JOIN",
                                                        "KEY",
                                                        "LAST",
                                                        "LEFT",
                                                        "LIKE",
                                                        "LIMIT",
                                                        "MATCH",
                                                        "MATERIALIZED",
                                                        "NATURAL",
                                                        "NO",
                                                        "NOT",
                                                        "NOTHING",
                                                        "NOTNULL",
                                                        "NULL",
                                                        "NULLS",
                                                        "OF",
                                                        "OFFSET",
                                                        "ON",
                                                        "OR",
                                                        "ORDER",
                                                        "OTHERS",
                                                        "OUTER",
                                                        "OVER",
                                                        "PARTITION",
                                                        "PLAN",
                                                        "PRAGMA",
                                                        "PRECEDING",
                                                        "PRIMARY",
                                                        "QUERY",
                                                        "RAISE",
                                                        "RANGE",
                                                        "RECURSIVE",
                                                        "REFERENCES",
                                                        "REGEXP",
                                                        "REINDEX",
                                                        "RELEASE",
                                                        "RENAME",
                                                        "REPLACE",
                                                        "RESTRICT",
                                                        "RETURNING",
                                                        "RIGHT",
                                                        "ROLLBACK",
                                                        "ROW",
                                                        "ROWS",
                                                        "SAVEPOINT",
                                                        "SELECT",
                                                        "SET",
                                                        "TABLE",
                                                        "TEMP",
                                                        "TEMPORARY",
                                                        "THEN",
                                                        "TIES",
                                                        "TO",
                                                        "TRANSACTION",
                                                        "TRIGGER",
                                                        "UNBOUNDED",
                                                        "UNION",
                                                        "UNIQUE",
                                                        "UPDATE",
                                                        "USING",
                                                        "VACUUM",
                                                        "VALUES",
                                                        "VIEW",
                                                        "VIRTUAL",
                                                        "WHEN",
                                                        "WHERE",
                                                        "WINDOW",
                                                        "WITH",
                                                        "WITHOUT"};

bool is_plain_identifier(std::string_view name) {
    if (name.empty() || !sql::is_word_start(name.front()))
        return false;
    return std::all_of(name.begin(), name.end(),
                       [](char c) { return sql::is_word_char(c) && c != '$'; });
}

// The name inside a quoted name's quotes, a doubled closing quote read as one.
std::string unquoted(std::string_view quoted, bool closed) {
    const char close = quoted.front() == '[' ? ']' : quoted.front();
    std::string_view inside = quoted.substr(1, quoted.size() - (closed ? 2 : 1));
    std::string name;
    for (std::size_t i = 0; i < inside.size(); ++i) {
        name.push_back(inside[i]);
        if (inside[i] == close && close != ']')
            ++i;
    }
    return name;
}

}  // namespace

bool is_word(const token& t, std::string_view word) {
    return t.kind == token_kind::word && iequals(t.text, word);
}

bool is_punct(const token& t, std::string_view text) {
    return t.kind == token_kind::punct && t.text == text;
}

bool is_name(const token& t) {
    return t.kind == token_kind::word || t.kind == token_kind::quoted_identifier;
}

bool is_sql_keyword(std::string_view word) {
    const std::string u = to_upper(word);
    return std::binary_search(keywords.begin(), keywords.end(), std::string_view(u));
}

std::vector<token> tokenize_sql(std::string_view sql) {
    std::vector<token> tokens;
    sql::lexer lexer(sql, sql::dialect::sqlite);
    for (sql::lexeme x; lexer.next(x);) {
        const std::string_view text = sql.substr(x.begin, x.end - x.begin);
        switch (x.kind) {
            case sql::lexeme_kind::blank:
            case sql::lexeme_kind::comment:
                break;
            case sql::lexeme_kind::blob:
                tokens.push_back({token_kind::blob, "X" + std::string(text.substr(1)), x.begin});
                break;
            case sql::lexeme_kind::quoted_name:
                tokens.push_back(
                    {token_kind::quoted_identifier, unquoted(text, x.closed), x.begin});
                break;
            case sql::lexeme_kind::word:
                tokens.push_back({token_kind::word, std::string(text), x.begin});
                break;
            case sql::lexeme_kind::number:
                tokens.push_back({token_kind::number, std::string(text), x.begin});
                break;
            case sql::lexeme_kind::string:
            case sql::lexeme_kind::dollar_string:
                tokens.push_back({token_kind::string, std::string(text), x.begin});
                break;
            case sql::lexeme_kind::parameter:
                tokens.push_back({token_kind::parameter, std::string(text), x.begin});
                break;
            case sql::lexeme_kind::punct:
                tokens.push_back({token_kind::punct, std::string(text), x.begin});
                break;
        }
    }
    return tokens;
}

std::string double_quoted(std::string_view name) {
    std::string out = "\"";
    for (char c : name) {
        if (c == '"')
            out.push_back('"');
        out.push_back(c);
    }
    return out + "\"";
}

std::string quote_name(std::string_view name) {
    if (is_plain_identifier(name) && !is_sql_keyword(name))
        return std::string(name);
    return double_quoted(name);
}

namespace {

std::string canonical(const std::vector<token>& tokens, bool fold_identifiers) {
    std::string out;
    const token* previous = nullptr;
    for (const auto& t : tokens) {
        std::string text;
        switch (t.kind) {
            case token_kind::word:
                text = is_sql_keyword(t.text) ? to_upper(t.text)
                                              : (fold_identifiers ? to_lower(t.text) : t.text);
                break;
            case token_kind::quoted_identifier:
                text = quote_name(fold_identifiers ? to_lower(t.text) : t.text);
                break;
            case token_kind::blob:
            case token_kind::number:
                text = to_upper(t.text);
                break;
            default:
                text = t.text;
        }
        if (previous) {
            const std::string& p = previous->text;
            const bool previous_is_name =
                previous->kind == token_kind::quoted_identifier ||
                (previous->kind == token_kind::word && !is_sql_keyword(p));
            // A number glued to a '.' would read back as one longer number.
            const bool no_space = text == "," || text == ")" || text == ";" ||
                                  (text == "." && previous->kind != token_kind::number) ||
                                  p == "(" || (p == "." && t.kind != token_kind::number) ||
                                  text == "::" || p == "::" || (text == "(" && previous_is_name);
            if (!no_space)
                out.push_back(' ');
        }
        out += text;
        previous = &t;
    }
    return out;
}

}  // namespace

std::string canonical_sql(const std::vector<token>& tokens) {
    return canonical(tokens, true);
}

std::string canonical_statement(std::string_view sql) {
    return canonical(tokenize_sql(sql), false);
}

}  // namespace strata
