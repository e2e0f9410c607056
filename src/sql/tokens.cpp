#include "sql/tokens.hpp"

#include "sql/text.hpp"

#include <algorithm>
#include <array>
#include <cctype>

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

bool is_word_start(unsigned char c) {
    return std::isalpha(c) || c == '_' || c >= 0x80;
}
bool is_word_char(unsigned char c) {
    return std::isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

bool is_plain_identifier(std::string_view name) {
    if (name.empty() || !is_word_start(static_cast<unsigned char>(name.front())))
        return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return is_word_char(static_cast<unsigned char>(c)) && c != '$';
    });
}

// Reads a quoted run starting at `i` (the opening quote) up to the closing
// `close`, where a doubled close quote stands for one. Returns the end offset.
std::size_t read_quoted(std::string_view sql, std::size_t i, char close, std::string* content) {
    std::size_t j = i + 1;
    while (j < sql.size()) {
        if (sql[j] == close) {
            if (close != ']' && j + 1 < sql.size() && sql[j + 1] == close) {
                if (content)
                    content->push_back(close);
                j += 2;
                continue;
            }
            return j + 1;
        }
        if (content)
            content->push_back(sql[j]);
        ++j;
    }
    return sql.size();
}

}  // namespace

bool is_sql_keyword(std::string_view word) {
    const std::string u = to_upper(word);
    return std::binary_search(keywords.begin(), keywords.end(), std::string_view(u));
}

std::vector<token> tokenize_sql(std::string_view sql) {
    std::vector<token> tokens;
    std::size_t i = 0;
    while (i < sql.size()) {
        const unsigned char c = static_cast<unsigned char>(sql[i]);
        if (std::isspace(c) || sql.compare(i, 2, "--") == 0 || sql.compare(i, 2, "/*") == 0) {
            i = skip_blank_and_comments(sql, i);
        } else if ((c == 'x' || c == 'X') && i + 1 < sql.size() && sql[i + 1] == '\'') {
            auto end = read_quoted(sql, i + 1, '\'', nullptr);
            tokens.push_back(
                {token_kind::blob, "X" + std::string(sql.substr(i + 1, end - i - 1)), i});
            i = end;
        } else if (is_word_start(c)) {
            auto j = i + 1;
            while (j < sql.size() && is_word_char(static_cast<unsigned char>(sql[j])))
                ++j;
            tokens.push_back({token_kind::word, std::string(sql.substr(i, j - i)), i});
            i = j;
        } else if (std::isdigit(c) || (c == '.' && i + 1 < sql.size() &&
                                       std::isdigit(static_cast<unsigned char>(sql[i + 1])))) {
            auto j = i;
            const bool is_hex = sql.compare(i, 2, "0x") == 0 || sql.compare(i, 2, "0X") == 0;
            while (j < sql.size()) {
                const unsigned char d = static_cast<unsigned char>(sql[j]);
                if (std::isalnum(d) || d == '.' || d == '_') {
                    ++j;
                } else if ((d == '+' || d == '-') && (sql[j - 1] == 'e' || sql[j - 1] == 'E') &&
                           !is_hex) {
                    ++j;
                } else {
                    break;
                }
            }
            tokens.push_back({token_kind::number, std::string(sql.substr(i, j - i)), i});
            i = j;
        } else if (c == '\'') {
            auto end = read_quoted(sql, i, '\'', nullptr);
            tokens.push_back({token_kind::string, std::string(sql.substr(i, end - i)), i});
            i = end;
        } else if (c == '"' || c == '`' || c == '[') {
            std::string content;
            auto end = read_quoted(sql, i, c == '[' ? ']' : static_cast<char>(c), &content);
            tokens.push_back({token_kind::quoted_identifier, std::move(content), i});
            i = end;
        } else if (c == '?' || c == ':' || c == '@' || c == '$') {
            auto j = i + 1;
            if (c == ':' && j < sql.size() && sql[j] == ':') {  // PostgreSQL cast
                tokens.push_back({token_kind::punct, "::", i});
                i += 2;
                continue;
            }
            while (j < sql.size() && is_word_char(static_cast<unsigned char>(sql[j])))
                ++j;
            tokens.push_back({j == i + 1 && c != '?' ? token_kind::punct : token_kind::parameter,
                              std::string(sql.substr(i, j - i)), i});
            i = j;
        } else {
            static constexpr std::array<std::string_view, 11> multi = {
                "->>", "||", "<=", ">=", "==", "!=", "<>", "<<", ">>", "->", "::"};
            std::string_view op = sql.substr(i, 1);
            for (auto m : multi)
                if (sql.compare(i, m.size(), m) == 0) {
                    op = m;
                    break;
                }
            tokens.push_back({token_kind::punct, std::string(op), i});
            i += op.size();
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
