#include "sql/lexer.hpp"

#include <array>

namespace strata::sql {

namespace {

constexpr std::size_t npos = std::string_view::npos;

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_letter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_high(char c) {
    return static_cast<unsigned char>(c) >= 0x80;
}
// The ASCII names of :name and @name placeholders in query files.
bool is_name_start(char c) {
    return is_letter(c) || c == '_';
}
bool is_name_char(char c) {
    return is_name_start(c) || is_digit(c);
}

}  // namespace

bool is_blank(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool is_word_start(char c) {
    return is_letter(c) || c == '_' || is_high(c);
}

bool is_word_char(char c) {
    return is_word_start(c) || is_digit(c) || c == '$';
}

bool lexer::word_char(std::size_t i) const {
    return i < text_.size() && is_word_char(text_[i]);
}

bool lexer::next(lexeme& out) {
    const std::size_t i = at_;
    if (i >= text_.size())
        return false;
    out = {lexeme_kind::punct, i, i + 1, true};
    const char c = text_[i];
    if (is_blank(c)) {
        out.kind = lexeme_kind::blank;
        while (out.end < text_.size() && is_blank(text_[out.end]))
            ++out.end;
    } else if (c == '-' && at(i + 1, '-')) {
        out.kind = lexeme_kind::comment;
        const auto eol = text_.find('\n', i);
        out.end = eol == npos ? text_.size() : eol;
    } else if (c == '/' && at(i + 1, '*')) {
        block_comment(out);
    } else if (c == '\'') {
        quoted(out, lexeme_kind::string, i, '\'', false);
    } else if ((c == 'x' || c == 'X') && at(i + 1, '\'')) {
        quoted(out, lexeme_kind::blob, i + 1, '\'', false);
    } else if (c == '"' || (c == '`' && dialect_ != dialect::postgres)) {
        quoted(out, lexeme_kind::quoted_name, i, c, false);
    } else if (c == '[' && dialect_ == dialect::sqlite) {
        quoted(out, lexeme_kind::quoted_name, i, ']', false);
    } else if (is_word_start(c)) {
        word(out);
    } else if (is_digit(c) || (c == '.' && i + 1 < text_.size() && is_digit(text_[i + 1]))) {
        number(out);
    } else if (c == '?' || c == ':' || c == '@' || c == '$') {
        sigil(out);
    } else if ((c == '[' || c == ']') && dialect_ == dialect::portable) {
        bracket(out);
    } else {
        punct(out);
    }
    at_ = out.end;
    return true;
}

// A doubled closing quote stands for one (not in [...]); with `backslashes`
// (E'...'), so does a backslashed one.
void lexer::quoted(lexeme& out, lexeme_kind kind, std::size_t open, char close,
                   bool backslashes) const {
    out.kind = kind;
    for (std::size_t j = open + 1; j < text_.size(); ++j) {
        if (backslashes && text_[j] == '\\') {
            ++j;
        } else if (text_[j] == close) {
            if (close == ']' || !at(j + 1, close)) {
                out.end = j + 1;
                return;
            }
            ++j;
        }
    }
    out.end = text_.size();
    out.closed = false;
}

// PostgreSQL's block comments nest; SQLite's end at the first `*/`.
void lexer::block_comment(lexeme& out) const {
    out.kind = lexeme_kind::comment;
    if (dialect_ == dialect::sqlite) {
        const auto close = text_.find("*/", out.begin + 2);
        out.closed = close != npos;
        out.end = close == npos ? text_.size() : close + 2;
        return;
    }
    int depth = 0;
    for (std::size_t i = out.begin; i + 1 < text_.size(); ++i) {
        if (text_[i] == '/' && text_[i + 1] == '*') {
            ++depth;
            ++i;
        } else if (text_[i] == '*' && text_[i + 1] == '/') {
            ++i;
            if (--depth == 0) {
                out.end = i + 1;
                return;
            }
        }
    }
    out.end = text_.size();
    out.closed = false;
}

// A lone E before a quote makes PostgreSQL's escape string, E'...'.
void lexer::word(lexeme& out) const {
    out.kind = lexeme_kind::word;
    while (word_char(out.end))
        ++out.end;
    const char c = text_[out.begin];
    if (dialect_ != dialect::sqlite && out.end == out.begin + 1 && (c == 'E' || c == 'e') &&
        at(out.end, '\''))
        quoted(out, lexeme_kind::string, out.end, '\'', true);
}

// SQLite reads 0x1F, 1.5e-3 and 12abc (an error it reports itself) as one
// token. PostgreSQL takes trailing word characters as junk of the number,
// and a sign only inside an exponent.
void lexer::number(lexeme& out) const {
    out.kind = lexeme_kind::number;
    const std::size_t begin = out.begin;
    std::size_t& j = out.end;
    const bool hex = text_.compare(begin, 2, "0x") == 0 || text_.compare(begin, 2, "0X") == 0;
    j = begin;
    while (j < text_.size()) {
        const char d = text_[j];
        const bool exponent_sign = (d == '+' || d == '-') && j > begin &&
                                   (text_[j - 1] == 'e' || text_[j - 1] == 'E') && !hex;
        if (dialect_ == dialect::sqlite) {
            if (is_letter(d) || is_digit(d) || d == '.' || d == '_' || exponent_sign)
                ++j;
            else
                break;
        } else if (is_word_char(d) || d == '.' ||
                   (exponent_sign && j + 1 < text_.size() && is_digit(text_[j + 1]))) {
            ++j;
        } else {
            break;
        }
    }
}

void lexer::sigil(lexeme& out) {
    const std::size_t i = out.begin;
    const char c = text_[i];
    if (dialect_ == dialect::sqlite)
        return sqlite_sigil(out);
    if (c == '$')
        return dollar(out);
    if (dialect_ == dialect::postgres)
        return punct(out);
    // Query file placeholders.
    auto run = [&](std::size_t from, bool (*accept)(char)) {
        out.end = from;
        while (out.end < text_.size() && accept(text_[out.end]))
            ++out.end;
    };
    if (c == '?') {
        out.kind = lexeme_kind::parameter;
        run(i + 1, is_digit);
    } else if (c == ':') {
        const bool in_subscript = !subscripts_.empty() && subscripts_.back();
        if (at(i + 1, ':') || at(i + 1, '=')) {
            out.end = i + 2;  // a cast, or PL/pgSQL's assignment
        } else if (!in_subscript && i + 1 < text_.size() && is_name_start(text_[i + 1])) {
            out.kind = lexeme_kind::parameter;
            run(i + 1, is_name_char);
        }
    } else if (at(i + 1, '@')) {
        run(i + 1, [](char x) { return x == '@'; });  // @@, a text-search operator
    } else if (i + 1 < text_.size() && is_name_start(text_[i + 1])) {
        out.kind = lexeme_kind::parameter;
        run(i + 1, is_name_char);
    }
}

// ?, ?NNN, :name, @name and $name; `::` is a cast.
void lexer::sqlite_sigil(lexeme& out) const {
    const char c = text_[out.begin];
    if (c == ':' && at(out.begin + 1, ':')) {
        out.end = out.begin + 2;
        return;
    }
    while (word_char(out.end))
        ++out.end;
    if (out.end > out.begin + 1 || c == '?')
        out.kind = lexeme_kind::parameter;
}

// $1 is a parameter; $$...$$ and $tag$...$tag$ are quotes. A `$` that starts
// neither is, for psql, the start of a failed quote that runs over the word
// characters after it; a query file takes it as punctuation.
void lexer::dollar(lexeme& out) const {
    const std::size_t begin = out.begin;
    if (begin + 1 < text_.size() && is_digit(text_[begin + 1])) {
        out.kind = lexeme_kind::parameter;
        while (out.end < text_.size() && is_digit(text_[out.end]))
            ++out.end;
        return;
    }
    std::size_t i = begin + 1;
    if (i < text_.size() && is_word_start(text_[i]))
        while (i < text_.size() && text_[i] != '$' && is_word_char(text_[i]))
            ++i;
    if (!at(i, '$')) {
        if (dialect_ == dialect::postgres) {
            out.kind = lexeme_kind::word;
            while (word_char(out.end))
                ++out.end;
        }
        return;
    }
    out.kind = lexeme_kind::dollar_string;
    const std::string_view tag = text_.substr(begin, i - begin + 1);
    const auto close = text_.find(tag, i + 1);
    out.closed = close != npos;
    out.end = close == npos ? text_.size() : close + tag.size();
}

void lexer::punct(lexeme& out) const {
    static constexpr std::array<std::string_view, 11> multi = {
        "->>", "||", "<=", ">=", "==", "!=", "<>", "<<", ">>", "->", "::"};
    for (auto m : multi)
        if (text_.compare(out.begin, m.size(), m) == 0) {
            out.end = out.begin + m.size();
            return;
        }
}

// In a query file, brackets are PostgreSQL's subscripts (a[1:n], where :n
// is no placeholder) or an ARRAY[...] constructor (whose elements may be).
void lexer::bracket(lexeme& out) {
    if (text_[out.begin] == '[')
        subscripts_.push_back(!follows_array(out.begin));
    else if (!subscripts_.empty())
        subscripts_.pop_back();
}

bool lexer::follows_array(std::size_t bracket) const {
    std::size_t end = bracket;
    while (end > 0 && (text_[end - 1] == ' ' || text_[end - 1] == '\t' || text_[end - 1] == '\n' ||
                       text_[end - 1] == '\r'))
        --end;
    std::size_t begin = end;
    while (begin > 0 && is_word_char(text_[begin - 1]))
        --begin;
    const std::string_view word = text_.substr(begin, end - begin);
    static constexpr std::string_view array = "array";
    if (word.size() != array.size())
        return false;
    for (std::size_t k = 0; k < word.size(); ++k)
        if ((word[k] | 0x20) != array[k])
            return false;
    return true;
}

std::vector<lexeme> lex(std::string_view text, dialect d, std::size_t from) {
    std::vector<lexeme> all;
    lexer l(text, d, from);
    for (lexeme x; l.next(x);)
        all.push_back(x);
    return all;
}

std::size_t skip_blank_and_comments(std::string_view text, dialect d, std::size_t from) {
    lexer l(text, d, from);
    for (lexeme x; l.next(x);)
        if (x.significant())
            return x.begin;
    return text.size();
}

}  // namespace strata::sql
