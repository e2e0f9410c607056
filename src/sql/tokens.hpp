// A tokenizer for SQL as SQLite and PostgreSQL spell it, and the canonical
// spelling of a token sequence used to compare expressions, views and
// triggers regardless of case, whitespace, comments and quoting.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace strata {

enum class token_kind {
    word,               // keyword or bare identifier
    quoted_identifier,  // "x", `x`, [x]; text holds the unquoted name
    string,             // 'x'; text holds the literal with its quotes
    number,
    blob,       // x'00ff'
    parameter,  // ?, ?1, :name, @name, $name, $1
    punct,      // operators and punctuation
};

struct token {
    token_kind kind;
    std::string text;
    std::size_t offset = 0;  // in the tokenized text
};

// The token is the keyword or bare identifier `word` (any case), the
// punctuation `text`, or a name (bare or quoted).
bool is_word(const token& t, std::string_view word);
bool is_punct(const token& t, std::string_view text);
bool is_name(const token& t);

// Comments and whitespace are dropped. Never throws: an unterminated quote
// runs to the end of the text.
std::vector<token> tokenize_sql(std::string_view sql);

// True for SQLite keywords (case-insensitive).
bool is_sql_keyword(std::string_view word);

// One canonical spelling: keywords upper case, identifiers lower case and
// quoted only where needed, literals as written, single spaces where a space
// separates tokens and none around `.`, `(`-after-a-name, `)` and `,`.
std::string canonical_sql(const std::vector<token>& tokens);
inline std::string canonical_sql(std::string_view sql) {
    return canonical_sql(tokenize_sql(sql));
}

// The same for a whole CREATE VIEW statement, except that identifiers keep
// their case: a view's name and its column names are what queries see.
std::string canonical_statement(std::string_view sql);

// `name` in double quotes, inner quotes doubled.
std::string double_quoted(std::string_view name);

// How a name is written in canonical SQL: bare when it is a plain identifier
// and no keyword, otherwise double-quoted with quotes doubled. Case is kept.
std::string quote_name(std::string_view name);

}  // namespace strata
