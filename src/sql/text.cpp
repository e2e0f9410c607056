#include "sql/text.hpp"

#include <algorithm>
#include <cctype>

#include "sql/lexer.hpp"

namespace strata {

namespace {

std::size_t statement_start(std::string_view text, std::size_t from = 0) {
    return sql::skip_blank_and_comments(text, sql::dialect::sqlite, from);
}

// The word (letters and underscores) at `at`, in upper case, and its end.
std::pair<std::string, std::size_t> word_at(std::string_view statement, std::size_t at) {
    std::size_t end = at;
    while (end < statement.size() &&
           (std::isalpha(static_cast<unsigned char>(statement[end])) || statement[end] == '_'))
        ++end;
    return {to_upper(statement.substr(at, end - at)), end};
}

}  // namespace

std::string first_keyword(std::string_view statement) {
    return word_at(statement, statement_start(statement)).first;
}

std::string transaction_control_keyword(std::string_view statement) {
    auto word_at = [&](std::size_t at) { return strata::word_at(statement, at); };
    const auto [first, after] = word_at(statement_start(statement));
    for (const char* keyword : {"BEGIN", "START", "COMMIT", "END", "ABORT"})
        if (first == keyword)
            return first;
    if (first == "ROLLBACK") {
        // ROLLBACK [WORK | TRANSACTION] TO [SAVEPOINT] undoes part of a transaction only.
        auto [next, next_end] = word_at(statement_start(statement, after));
        if (next == "WORK" || next == "TRANSACTION")
            next = word_at(statement_start(statement, next_end)).first;
        return next == "TO" ? std::string() : first;
    }
    return {};
}

bool has_statement(std::string_view sql) {
    std::size_t i = statement_start(sql);
    while (i < sql.size() && sql[i] == ';')
        i = statement_start(sql, i + 1);
    return i < sql.size();
}

int lines_before(std::string_view text, std::size_t offset) {
    offset = std::min(offset, text.size());
    return static_cast<int>(std::count(text.begin(), text.begin() + offset, '\n'));
}

std::string_view trim_left(std::string_view s) {
    while (!s.empty() && sql::is_blank(s.front()))
        s.remove_prefix(1);
    return s;
}

std::string_view trim_right(std::string_view s) {
    while (!s.empty() && sql::is_blank(s.back()))
        s.remove_suffix(1);
    return s;
}

std::string_view trim(std::string_view s) {
    return trim_right(trim_left(s));
}

std::string to_upper(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::string to_lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

}  // namespace strata
