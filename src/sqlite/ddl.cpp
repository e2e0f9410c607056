#include "sqlite/internal/ddl.hpp"

#include <algorithm>
#include <cctype>
#include <tuple>

#include "sql/text.hpp"
#include "sql/tokens.hpp"

namespace strata::detail {

namespace {

using tokens = std::vector<token>;

// Index just past the parenthesis that closes the one at `open`.
std::size_t closing(const tokens& ts, std::size_t open) {
    int depth = 0;
    for (std::size_t i = open; i < ts.size(); ++i) {
        if (is_punct(ts[i], "("))
            ++depth;
        if (is_punct(ts[i], ")") && --depth == 0)
            return i + 1;
    }
    return ts.size();
}

// Splits ts[begin, end) at commas outside parentheses.
std::vector<tokens> split_top_level(const tokens& ts, std::size_t begin, std::size_t end) {
    std::vector<tokens> parts(1);
    int depth = 0;
    for (std::size_t i = begin; i < end; ++i) {
        if (is_punct(ts[i], "("))
            ++depth;
        if (is_punct(ts[i], ")"))
            --depth;
        if (depth == 0 && is_punct(ts[i], ",")) {
            parts.emplace_back();
            continue;
        }
        parts.back().push_back(ts[i]);
    }
    if (parts.back().empty())
        parts.pop_back();
    return parts;
}

// The canonical text of the parenthesised expression opening at `open`,
// without its outer parentheses.
std::string inner_expression(const tokens& ts, std::size_t open) {
    const std::size_t end = closing(ts, open);
    if (end - open < 2)
        return {};
    return canonical_sql(tokens(ts.begin() + static_cast<std::ptrdiff_t>(open) + 1,
                                ts.begin() + static_cast<std::ptrdiff_t>(end) - 1));
}

std::string name_of(const token& t) {
    return t.text;
}

bool is_table_constraint(const tokens& part) {
    if (part.empty())
        return false;
    for (auto keyword : {"CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"})
        if (is_word(part.front(), keyword))
            return true;
    return false;
}

void read_definition(const tokens& part, table_ddl& ddl) {
    const bool constraint = is_table_constraint(part);
    std::vector<std::string> key_columns;
    if (!constraint && !part.empty())
        key_columns.push_back(to_lower(name_of(part.front())));
    std::string constraint_name;
    for (std::size_t i = constraint ? 0 : 1; i < part.size(); ++i) {
        const token& t = part[i];
        if (is_word(t, "CONSTRAINT") && i + 1 < part.size()) {
            constraint_name = name_of(part[++i]);
        } else if (is_word(t, "CHECK") && i + 1 < part.size() && is_punct(part[i + 1], "(")) {
            ddl.checks.push_back({constraint_name, inner_expression(part, i + 1)});
            constraint_name.clear();
            i = closing(part, i + 1) - 1;
        } else if (!constraint && is_word(t, "AS") && i + 1 < part.size() &&
                   is_punct(part[i + 1], "(")) {
            ddl.generated.emplace_back(key_columns.front(), inner_expression(part, i + 1));
            i = closing(part, i + 1) - 1;
        } else if (constraint && is_word(t, "FOREIGN") && i + 2 < part.size() &&
                   is_punct(part[i + 2], "(")) {
            key_columns.clear();
            const std::size_t end = closing(part, i + 2);
            for (std::size_t j = i + 3; j + 1 < end; ++j)
                if (!is_punct(part[j], ","))
                    key_columns.push_back(to_lower(name_of(part[j])));
            i = end - 1;
        } else if (!constraint && is_word(t, "PRIMARY") && i + 2 < part.size() &&
                   is_word(part[i + 1], "KEY") && is_word(part[i + 2], "DESC")) {
            ddl.descending_keys.push_back(key_columns.front());
        } else if (is_word(t, "UNIQUE")) {
            std::vector<std::string> columns = key_columns;
            std::size_t next = i + 1;
            if (constraint && next < part.size() && is_punct(part[next], "(")) {
                columns.clear();
                const std::size_t end = closing(part, next);
                for (const auto& item : split_top_level(part, next + 1, end - 1))
                    if (!item.empty())
                        columns.push_back(to_lower(name_of(item.front())));
                next = end;
            }
            if (next + 2 < part.size() && is_word(part[next], "ON") &&
                is_word(part[next + 1], "CONFLICT"))
                ddl.unique_conflicts.emplace_back(columns, to_upper(part[next + 2].text));
            i = next - 1;
        } else if (is_word(t, "DEFERRABLE")) {
            const bool negated = i > 0 && is_word(part[i - 1], "NOT");
            const bool deferred = !negated && i + 2 < part.size() &&
                                  is_word(part[i + 1], "INITIALLY") &&
                                  is_word(part[i + 2], "DEFERRED");
            ddl.keys.push_back({key_columns, deferred});
        } else if (is_punct(t, "(")) {
            i = closing(part, i) - 1;
        }
    }
}

}  // namespace

table_ddl parse_create_table(std::string_view sql) {
    table_ddl ddl;
    const tokens ts = tokenize_sql(sql);
    std::size_t i = 0;
    while (i < ts.size() && !is_punct(ts[i], "(") && !is_word(ts[i], "USING"))
        ++i;
    if (i < ts.size() && is_word(ts[i], "USING")) {
        ddl.virtual_using =
            canonical_sql(tokens(ts.begin() + static_cast<std::ptrdiff_t>(i), ts.end()));
        return ddl;
    }
    if (i == ts.size())
        return ddl;
    const std::size_t end = closing(ts, i);
    for (const auto& part : split_top_level(ts, i + 1, end - 1))
        read_definition(part, ddl);
    for (std::size_t j = end; j < ts.size(); ++j) {
        if (is_word(ts[j], "ROWID") && j > 0 && is_word(ts[j - 1], "WITHOUT"))
            ddl.without_rowid = true;
        if (is_word(ts[j], "STRICT"))
            ddl.strict = true;
    }
    std::sort(ddl.checks.begin(), ddl.checks.end(), [](const auto& a, const auto& b) {
        return std::tie(a.expression, a.name) < std::tie(b.expression, b.name);
    });
    return ddl;
}

index_ddl parse_create_index(std::string_view sql) {
    index_ddl ddl;
    const tokens ts = tokenize_sql(sql);
    std::size_t i = 0;
    while (i < ts.size() && !is_punct(ts[i], "("))
        ++i;
    if (i == ts.size())
        return ddl;
    const std::size_t end = closing(ts, i);
    for (auto part : split_top_level(ts, i + 1, end - 1)) {
        // Trailing ASC/DESC and COLLATE x belong to the key, not the expression.
        if (!part.empty() && (is_word(part.back(), "ASC") || is_word(part.back(), "DESC")))
            part.pop_back();
        if (part.size() >= 2 && is_word(part[part.size() - 2], "COLLATE"))
            part.resize(part.size() - 2);
        ddl.expressions.push_back(canonical_sql(part));
    }
    if (end < ts.size() && is_word(ts[end], "WHERE"))
        ddl.where =
            canonical_sql(tokens(ts.begin() + static_cast<std::ptrdiff_t>(end) + 1, ts.end()));
    return ddl;
}

}  // namespace strata::detail
