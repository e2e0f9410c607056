#include "sql/postgres_statements.hpp"

#include <cctype>
#include <string>

#include "sql/text.hpp"  // to_upper

namespace strata::detail {

namespace {

bool is_word_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' ||
           static_cast<unsigned char>(c) >= 0x80;
}

// The end of a quoted run starting at `pos` (at the opening quote).
std::size_t skip_quoted(std::string_view sql, std::size_t pos, char quote, bool backslashes) {
    for (std::size_t i = pos + 1; i < sql.size(); ++i) {
        if (backslashes && sql[i] == '\\') {
            ++i;
        } else if (sql[i] == quote) {
            if (i + 1 < sql.size() && sql[i + 1] == quote)
                ++i;  // doubled quote
            else
                return i + 1;
        }
    }
    return sql.size();
}

std::size_t skip_block_comment(std::string_view sql, std::size_t pos) {
    int depth = 0;  // PostgreSQL's block comments nest
    for (std::size_t i = pos; i + 1 < sql.size(); ++i) {
        if (sql[i] == '/' && sql[i + 1] == '*') {
            ++depth;
            ++i;
        } else if (sql[i] == '*' && sql[i + 1] == '/') {
            ++i;
            if (--depth == 0)
                return i + 1;
        }
    }
    return sql.size();
}

// `$tag$` at `pos`, or empty when `pos` starts no dollar quote.
std::string_view dollar_tag(std::string_view sql, std::size_t pos) {
    std::size_t i = pos + 1;
    while (i < sql.size() && sql[i] != '$' && is_word_char(sql[i]))
        ++i;
    if (i >= sql.size() || sql[i] != '$')
        return {};
    if (i > pos + 1 && std::isdigit(static_cast<unsigned char>(sql[pos + 1])))
        return {};  // $1 is a parameter
    return sql.substr(pos, i - pos + 1);
}

// Blanks, comments (nested, as PostgreSQL's are) and empty statements.
std::size_t skip_to_statement(std::string_view sql, std::size_t i) {
    while (i < sql.size()) {
        if (std::isspace(static_cast<unsigned char>(sql[i])) || sql[i] == ';') {
            ++i;
        } else if (sql.compare(i, 2, "--") == 0) {
            const auto eol = sql.find('\n', i);
            i = eol == std::string_view::npos ? sql.size() : eol + 1;
        } else if (sql.compare(i, 2, "/*") == 0) {
            i = skip_block_comment(sql, i);
        } else {
            break;
        }
    }
    return i;
}

// psql's heuristic (psqlscan.l) for the body of a SQL-standard routine:
// inside CREATE [OR REPLACE] {FUNCTION | PROCEDURE}, outside parentheses,
// BEGIN opens a block, CASE nests within one, END closes; semicolons inside
// a block or inside parentheses do not end the statement.
class statement_state {
  public:
    void word(const std::string& upper) {
        if (count_ < 4 && (upper == "CREATE" || upper == "FUNCTION" || upper == "PROCEDURE" ||
                           upper == "OR" || upper == "REPLACE"))
            leading_[count_] = upper[0];
        ++count_;
        if (!routine() || parens_ > 0)
            return;
        if (upper == "BEGIN")
            ++blocks_;
        else if (upper == "CASE" && blocks_ > 0)
            ++blocks_;
        else if (upper == "END" && blocks_ > 0)
            --blocks_;
    }
    void open_paren() { ++parens_; }
    void close_paren() { parens_ = parens_ > 0 ? parens_ - 1 : 0; }
    bool at_top_level() const { return parens_ == 0 && blocks_ == 0; }

  private:
    bool routine() const {
        return leading_[0] == 'C' && (leading_[1] == 'F' || leading_[1] == 'P' ||
                                      (leading_[1] == 'O' && leading_[2] == 'R' &&
                                       (leading_[3] == 'F' || leading_[3] == 'P')));
    }

    char leading_[4] = {};
    int count_ = 0;
    int parens_ = 0;
    int blocks_ = 0;
};

}  // namespace

std::vector<statement_span> split_postgres_statements(std::string_view sql) {
    std::vector<statement_span> spans;
    std::size_t start = skip_to_statement(sql, 0);
    statement_state state;
    std::size_t i = start;
    auto finish = [&](std::size_t end) {
        if (start < sql.size() && start < end)
            spans.push_back({start, end});
        start = skip_to_statement(sql, end);
        i = start;
        state = {};
    };
    while (i < sql.size()) {
        const char c = sql[i];
        if (c == '\'') {
            const bool escapes = i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') &&
                                 (i < 2 || !is_word_char(sql[i - 2]));
            i = skip_quoted(sql, i, '\'', escapes);
        } else if (c == '"') {
            i = skip_quoted(sql, i, '"', false);
        } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
            const auto eol = sql.find('\n', i);
            i = eol == std::string_view::npos ? sql.size() : eol + 1;
        } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
            i = skip_block_comment(sql, i);
        } else if (c == '$' && (i == 0 || !is_word_char(sql[i - 1])) &&
                   !dollar_tag(sql, i).empty()) {
            const auto tag = dollar_tag(sql, i);
            const auto close = sql.find(tag, i + tag.size());
            i = close == std::string_view::npos ? sql.size() : close + tag.size();
        } else if (c == ';' && state.at_top_level()) {
            finish(i + 1);
        } else if (is_word_char(c)) {
            std::size_t j = i;
            while (j < sql.size() && is_word_char(sql[j]))
                ++j;
            state.word(to_upper(sql.substr(i, j - i)));
            i = j;
        } else {
            if (c == '(')
                state.open_paren();
            else if (c == ')')
                state.close_paren();
            ++i;
        }
    }
    finish(sql.size());
    return spans;
}

}  // namespace strata::detail
