#include "postgres_statements.hpp"

#include <cctype>
#include <string>

#include "strata/sql_text.hpp"  // to_upper

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

}  // namespace

std::vector<statement_span> split_postgres_statements(std::string_view sql) {
    std::vector<statement_span> spans;
    std::size_t start = skip_to_statement(sql, 0);
    // Words seen so far in the statement, to recognise CREATE FUNCTION and
    // track BEGIN ATOMIC ... END nesting the way psql does.
    std::vector<std::string> leading;
    bool routine = false;
    int depth = 0;
    std::size_t i = start;
    auto finish = [&](std::size_t end) {
        if (start < sql.size() && start < end)
            spans.push_back({start, end});
        start = skip_to_statement(sql, end);
        i = start;
        leading.clear();
        routine = false;
        depth = 0;
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
        } else if (c == ';' && depth <= 0) {
            finish(i + 1);
        } else if (is_word_char(c)) {
            std::size_t j = i;
            while (j < sql.size() && is_word_char(sql[j]))
                ++j;
            const std::string word = to_upper(std::string(sql.substr(i, j - i)));
            if (leading.size() < 4) {
                leading.push_back(word);
                routine = routine || ((word == "FUNCTION" || word == "PROCEDURE") &&
                                      leading.front() == "CREATE");
            }
            if (routine && (word == "BEGIN" || word == "CASE"))
                ++depth;
            else if (routine && word == "END")
                --depth;
            i = j;
        } else {
            ++i;
        }
    }
    finish(sql.size());
    return spans;
}

}  // namespace strata::detail
