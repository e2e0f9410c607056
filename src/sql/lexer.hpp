// The one lexer of SQL text in Strata. Statement splitting, canonical tokens,
// query files, directives and comment skipping all walk its lexemes, so a
// rule about quotes or comments is written once, here, and the differences
// between SQLite and PostgreSQL are its `dialect` parameter.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace strata::sql {

enum class dialect {
    // SQLite: flat /* */ comments; '...', "...", `...` and [...]; X'...'
    // blobs; ?, ?NNN, :name, @name and $name parameters.
    sqlite,
    // PostgreSQL as psql reads it: nested /* */ comments; '...', E'...'
    // (backslash escapes), "..." and $tag$...$tag$; $N parameters.
    postgres,
    // Query files, written to run on both: PostgreSQL's quoting plus `...`
    // names, brackets as array subscripts, and the placeholders of both (?,
    // ?N, $N, :name, @name; not :name inside a subscript, as in a[1:n]).
    portable,
};

enum class lexeme_kind {
    blank,          // spaces, tabs, line breaks
    comment,        // -- to the end of the line (without the line break), or /* */
    string,         // '...', E'...' (kind of its quotes)
    dollar_string,  // $tag$...$tag$
    quoted_name,    // "...", `...`, [...]
    blob,           // X'...'
    number,
    parameter,
    word,   // keyword or bare identifier
    punct,  // operators and punctuation, one lexeme per operator
};

struct lexeme {
    lexeme_kind kind = lexeme_kind::blank;
    std::size_t begin = 0;
    std::size_t end = 0;
    // False for a quote or comment that runs to the end of the text without
    // closing: the lexer never throws, the reader decides.
    bool closed = true;

    bool significant() const { return kind != lexeme_kind::blank && kind != lexeme_kind::comment; }
};

class lexer {
  public:
    lexer(std::string_view text, dialect d, std::size_t from = 0)
        : text_(text), dialect_(d), at_(from) {}

    // The next lexeme, or false at the end of the text.
    bool next(lexeme& out);

    std::size_t position() const { return at_; }

  private:
    bool at(std::size_t i, char c) const { return i < text_.size() && text_[i] == c; }
    bool word_char(std::size_t i) const;
    void quoted(lexeme& out, lexeme_kind kind, std::size_t open, char close,
                bool backslashes) const;
    void block_comment(lexeme& out) const;
    void word(lexeme& out) const;
    void number(lexeme& out) const;
    void sigil(lexeme& out);
    void sqlite_sigil(lexeme& out) const;
    void dollar(lexeme& out) const;
    void punct(lexeme& out) const;
    void bracket(lexeme& out);
    bool follows_array(std::size_t bracket) const;

    std::string_view text_;
    dialect dialect_;
    std::size_t at_;
    std::vector<bool> subscripts_;  // portable: open brackets, true for a subscript
};

// The lexemes of `text` from `from` on, in order.
std::vector<lexeme> lex(std::string_view text, dialect d, std::size_t from = 0);

// Offset of the first significant character at or after `from` (text.size()
// if none).
std::size_t skip_blank_and_comments(std::string_view text, dialect d, std::size_t from = 0);

// Spaces, tabs, line breaks, form feeds and vertical tabs: SQL's blanks.
bool is_blank(char c);
// Where a bare word may start (letters, `_`, any non-ASCII byte; digits
// start numbers), and what may follow in it: those, digits and `$`.
bool is_word_start(char c);
bool is_word_char(char c);

}  // namespace strata::sql
