#include "sql/text.hpp"

#include <algorithm>
#include <cctype>

namespace strata {

namespace {

bool is_blank(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

}  // namespace

std::size_t skip_blank_and_comments(std::string_view text, std::size_t from) {
    std::size_t i = from;
    while (i < text.size()) {
        if (is_blank(text[i])) {
            ++i;
        } else if (text.compare(i, 2, "--") == 0) {
            auto end = text.find('\n', i);
            i = end == std::string_view::npos ? text.size() : end + 1;
        } else if (text.compare(i, 2, "/*") == 0) {
            auto end = text.find("*/", i + 2);
            i = end == std::string_view::npos ? text.size() : end + 2;
        } else {
            break;
        }
    }
    return i;
}

namespace {

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
    return word_at(statement, skip_blank_and_comments(statement)).first;
}

std::string transaction_control_keyword(std::string_view statement) {
    auto word_at = [&](std::size_t at) { return strata::word_at(statement, at); };
    const auto [first, after] = word_at(skip_blank_and_comments(statement));
    for (const char* keyword : {"BEGIN", "START", "COMMIT", "END", "ABORT"})
        if (first == keyword)
            return first;
    if (first == "ROLLBACK") {
        // ROLLBACK [WORK | TRANSACTION] TO [SAVEPOINT] undoes part of a transaction only.
        auto [next, next_end] = word_at(skip_blank_and_comments(statement, after));
        if (next == "WORK" || next == "TRANSACTION")
            next = word_at(skip_blank_and_comments(statement, next_end)).first;
        return next == "TO" ? std::string() : first;
    }
    return {};
}

bool has_statement(std::string_view sql) {
    std::size_t i = skip_blank_and_comments(sql);
    while (i < sql.size() && sql[i] == ';')
        i = skip_blank_and_comments(sql, i + 1);
    return i < sql.size();
}

int lines_before(std::string_view text, std::size_t offset) {
    offset = std::min(offset, text.size());
    return static_cast<int>(std::count(text.begin(), text.begin() + offset, '\n'));
}

std::string_view trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r");
    if (first == std::string_view::npos)
        return {};
    const auto last = s.find_last_not_of(" \t\r");
    return s.substr(first, last - first + 1);
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
