#include "strata/sql_text.hpp"

#include <algorithm>

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

}  // namespace strata
