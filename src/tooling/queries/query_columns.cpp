#include "tooling/queries/internal/query_columns.hpp"

#include <algorithm>
#include <map>
#include <regex>

#include "sql/text.hpp"

namespace strata::detail {

namespace {

bool is_any_word(const token& t, std::initializer_list<std::string_view> words) {
    return std::any_of(words.begin(), words.end(), [&](auto w) { return is_word(t, w); });
}

// The position after the parenthesis group that opens at `open`.
std::size_t skip_group(const std::vector<token>& tokens, std::size_t open) {
    int depth = 0;
    for (std::size_t i = open; i < tokens.size(); ++i) {
        if (is_punct(tokens[i], "("))
            ++depth;
        else if (is_punct(tokens[i], ")") && --depth == 0)
            return i + 1;
    }
    return tokens.size();
}

// Calls `f(i)` for each token outside parentheses.
template <typename F>
void for_each_top_level(const std::vector<token>& tokens, F f) {
    for (std::size_t i = 0; i < tokens.size();) {
        if (is_punct(tokens[i], "(")) {
            i = skip_group(tokens, i);
            continue;
        }
        if (!f(i))
            return;
        ++i;
    }
}

// The last name of a dotted chain starting at `i` (schema.table -> table).
std::string chain_name(const std::vector<token>& tokens, std::size_t i) {
    std::string name;
    while (i < tokens.size() && is_name(tokens[i])) {
        name = tokens[i].text;
        if (i + 2 < tokens.size() && is_punct(tokens[i + 1], "."))
            i += 2;
        else
            break;
    }
    return name;
}

// The bodies of a statement's common table expressions by lower-case name:
// `WITH [RECURSIVE] name [(columns)] AS [[NOT] MATERIALIZED] (body), ...`.
std::map<std::string, std::vector<token>> common_table_expressions(
    const std::vector<token>& tokens) {
    std::map<std::string, std::vector<token>> out;
    std::size_t i = 0;
    if (i >= tokens.size() || !is_word(tokens[i], "WITH"))
        return out;
    ++i;
    if (i < tokens.size() && is_word(tokens[i], "RECURSIVE"))
        ++i;
    while (i < tokens.size() && is_name(tokens[i])) {
        const std::string name = to_lower(tokens[i].text);
        ++i;
        if (i < tokens.size() && is_punct(tokens[i], "("))
            i = skip_group(tokens, i);
        if (i >= tokens.size() || !is_word(tokens[i], "AS"))
            break;
        ++i;
        while (i < tokens.size() && is_any_word(tokens[i], {"NOT", "MATERIALIZED"}))
            ++i;
        if (i >= tokens.size() || !is_punct(tokens[i], "("))
            break;
        const std::size_t end = skip_group(tokens, i);
        out[name].assign(tokens.begin() + static_cast<long>(i) + 1,
                         tokens.begin() + static_cast<long>(end > i + 1 ? end - 1 : i + 1));
        i = end;
        if (i >= tokens.size() || !is_punct(tokens[i], ","))
            break;
        ++i;
    }
    return out;
}

class relation_finder {
  public:
    relation_finder(const schema& s, const std::vector<token>& statement)
        : s_(s), ctes_(common_table_expressions(statement)) {}

    // Tables of the schema that tokens [begin, end) read, views expanded.
    void add_read(const std::vector<token>& tokens, std::size_t begin, std::size_t end,
                  std::set<std::string>& out, int depth = 0) const {
        for (std::size_t i = begin; i < end && i < tokens.size(); ++i) {
            if (!is_name(tokens[i]))
                continue;
            if (const auto cte = ctes_.find(to_lower(tokens[i].text)); cte != ctes_.end()) {
                if (depth < 8)
                    add_read(cte->second, 0, cte->second.size(), out, depth + 1);
            } else if (s_.find_table(tokens[i].text))
                out.insert(to_lower(tokens[i].text));
            else if (const view* v = find_named(s_.views, tokens[i].text); v && depth < 8) {
                const auto body = tokenize_sql(v->sql);
                add_read(body, 0, body.size(), out, depth + 1);
            }
        }
    }

    void add_outer_joined(const std::vector<token>& tokens, std::set<std::string>& out,
                          int depth = 0) const {
        for (std::size_t i = 0; i < tokens.size(); ++i) {
            if (is_name(tokens[i]) && depth < 8)
                if (const view* v = find_named(s_.views, tokens[i].text))
                    add_outer_joined(tokenize_sql(v->sql), out, depth + 1);
            if (!is_word(tokens[i], "JOIN"))
                continue;
            std::size_t j = i;
            while (j > 0 && is_any_word(tokens[j - 1], {"OUTER", "NATURAL"}))
                --j;
            const bool left = j > 0 && is_word(tokens[j - 1], "LEFT");
            const bool right = j > 0 && is_word(tokens[j - 1], "RIGHT");
            const bool full = j > 0 && is_word(tokens[j - 1], "FULL");
            std::size_t joined = i + 1;  // the relation the JOIN brings in
            while (joined < tokens.size() && is_any_word(tokens[joined], {"LATERAL", "ONLY"}))
                ++joined;
            if ((left || full) && joined < tokens.size()) {
                if (is_punct(tokens[joined], "("))
                    add_read(tokens, joined, skip_group(tokens, joined), out, depth);
                else
                    add_read({token{token_kind::word, chain_name(tokens, joined), 0}}, 0, 1, out,
                             depth);
            }
            if (right || full)
                add_read(tokens, 0, i, out, depth);
        }
    }

  private:
    const schema& s_;
    std::map<std::string, std::vector<token>> ctes_;
};

const std::set<std::string> clause_ends = {"FROM",  "WHERE",  "GROUP", "HAVING",    "WINDOW",
                                           "ORDER", "LIMIT",  "UNION", "INTERSECT", "EXCEPT",
                                           "INTO",  "OFFSET", "FETCH", "FOR"};

std::vector<std::vector<token>> split_items(const std::vector<token>& tokens, std::size_t begin,
                                            std::size_t end) {
    std::vector<std::vector<token>> items(1);
    for (std::size_t i = begin; i < end;) {
        if (is_punct(tokens[i], "(")) {
            const std::size_t after = std::min(skip_group(tokens, i), end);
            items.back().insert(items.back().end(), tokens.begin() + static_cast<long>(i),
                                tokens.begin() + static_cast<long>(after));
            i = after;
        } else if (is_punct(tokens[i], ",")) {
            items.emplace_back();
            ++i;
        } else {
            items.back().push_back(tokens[i++]);
        }
    }
    for (const auto& item : items)
        if (item.empty())
            return {};
    return items;
}

// The item without its alias.
std::vector<token> expression_of(const std::vector<token>& item) {
    std::vector<token> out;
    bool done = false;
    for_each_top_level(item, [&](std::size_t i) {
        if (is_word(item[i], "AS")) {
            out.assign(item.begin(), item.begin() + static_cast<long>(i));
            done = true;
            return false;
        }
        return true;
    });
    return done ? out : item;
}

const std::map<std::string, std::string> sqlite_function_types = {
    {"COUNT", "INTEGER"},
    {"ROW_NUMBER", "INTEGER"},
    {"RANK", "INTEGER"},
    {"DENSE_RANK", "INTEGER"},
    {"NTILE", "INTEGER"},
    {"LENGTH", "INTEGER"},
    {"OCTET_LENGTH", "INTEGER"},
    {"INSTR", "INTEGER"},
    {"UNICODE", "INTEGER"},
    {"CHANGES", "INTEGER"},
    {"TOTAL_CHANGES", "INTEGER"},
    {"LAST_INSERT_ROWID", "INTEGER"},
    {"RANDOM", "INTEGER"},
    {"AVG", "REAL"},
    {"TOTAL", "REAL"},
    {"PERCENT_RANK", "REAL"},
    {"CUME_DIST", "REAL"},
    {"LOWER", "TEXT"},
    {"UPPER", "TEXT"},
    {"TRIM", "TEXT"},
    {"LTRIM", "TEXT"},
    {"RTRIM", "TEXT"},
    {"SUBSTR", "TEXT"},
    {"SUBSTRING", "TEXT"},
    {"REPLACE", "TEXT"},
    {"GROUP_CONCAT", "TEXT"},
    {"STRING_AGG", "TEXT"},
    {"PRINTF", "TEXT"},
    {"FORMAT", "TEXT"},
    {"QUOTE", "TEXT"},
    {"HEX", "TEXT"},
    {"TYPEOF", "TEXT"},
    {"CHAR", "TEXT"},
    {"DATE", "TEXT"},
    {"TIME", "TEXT"},
    {"DATETIME", "TEXT"},
    {"STRFTIME", "TEXT"},
    {"JSON", "TEXT"},
    {"JSON_OBJECT", "TEXT"},
    {"JSON_ARRAY", "TEXT"},
    {"JSON_GROUP_ARRAY", "TEXT"},
    {"JSON_GROUP_OBJECT", "TEXT"},
    {"RANDOMBLOB", "BLOB"},
    {"ZEROBLOB", "BLOB"},
};

}  // namespace

std::vector<std::vector<token>> result_items(const std::vector<token>& statement) {
    std::optional<std::size_t> returning;
    std::optional<std::size_t> select;
    for_each_top_level(statement, [&](std::size_t i) {
        if (is_word(statement[i], "RETURNING"))
            returning = i;
        else if (is_word(statement[i], "SELECT") && !select)
            select = i;
        return true;
    });
    std::size_t begin = 0;
    std::size_t end = statement.size();
    if (returning) {
        begin = *returning + 1;
    } else if (select) {
        begin = *select + 1;
        if (begin < end && is_word(statement[begin], "ALL"))
            ++begin;
        if (begin < end && is_word(statement[begin], "DISTINCT")) {
            ++begin;
            if (begin + 1 < end && is_word(statement[begin], "ON"))
                begin = skip_group(statement, begin + 1);
        }
        for (std::size_t i = begin; i < end;) {
            if (is_punct(statement[i], "(")) {
                i = skip_group(statement, i);
            } else if (statement[i].kind == token_kind::word &&
                       clause_ends.count(to_upper(statement[i].text))) {
                end = i;
            } else {
                ++i;
            }
        }
    } else {
        return {};
    }
    if (begin < end && is_punct(statement[end - 1], ";"))
        --end;
    return begin < end ? split_items(statement, begin, end) : std::vector<std::vector<token>>{};
}

bool is_column_reference(const std::vector<token>& item) {
    const std::vector<token> expression = expression_of(item);
    std::size_t i = 0;
    std::size_t names = 0;
    while (i < expression.size() && is_name(expression[i])) {
        ++names;
        ++i;
        if (i < expression.size() && is_punct(expression[i], "."))
            ++i;
        else
            break;
    }
    // `email`, `u.email`, `main.u.email`; also `email e` (an alias without AS).
    const bool reference =
        names >= 1 && names <= 3 &&
        (i == expression.size() || (i + 1 == expression.size() &&
                                    expression.size() == item.size() && is_name(expression[i])));
    return reference && !is_any_word(expression.front(), {"NULL", "TRUE", "FALSE", "CURRENT_DATE",
                                                          "CURRENT_TIME", "CURRENT_TIMESTAMP"});
}

bool is_star(const std::vector<token>& item) {
    return !item.empty() && is_punct(item.back(), "*") &&
           (item.size() == 1 || is_punct(item[item.size() - 2], "."));
}

column_reference referenced_column(const std::vector<token>& item) {
    if (!is_column_reference(item))
        return {};
    const std::vector<token> e = expression_of(item);
    std::size_t last = 0;
    while (last + 2 < e.size() && is_punct(e[last + 1], "."))
        last += 2;
    return {last >= 2 ? e[last - 2].text : std::string(), e[last].text};
}

bool has_grouping_sets(const std::vector<token>& statement) {
    return std::any_of(statement.begin(), statement.end(), [](const token& t) {
        return is_any_word(t, {"ROLLUP", "CUBE", "GROUPING"});
    });
}

bool is_compound(const std::vector<token>& statement) {
    bool compound = false;
    for_each_top_level(statement, [&](std::size_t i) {
        compound = is_any_word(statement[i], {"UNION", "INTERSECT", "EXCEPT"});
        return !compound;
    });
    return compound;
}

std::set<std::string> outer_joined_tables(const std::vector<token>& statement, const schema& s) {
    std::set<std::string> out;
    relation_finder(s, statement).add_outer_joined(statement, out);
    return out;
}

std::string modified_table(const std::vector<token>& statement) {
    std::string table;
    for_each_top_level(statement, [&](std::size_t i) {
        const token& t = statement[i];
        std::size_t name = 0;
        if (is_word(t, "INSERT") || is_word(t, "DELETE") || is_word(t, "REPLACE")) {
            for (name = i + 1; name < statement.size() && !is_word(statement[name], "INTO") &&
                               !is_word(statement[name], "FROM");
                 ++name) {
            }
            ++name;
        } else if (is_word(t, "UPDATE")) {
            name = i + 1;
            if (name < statement.size() && is_word(statement[name], "OR"))
                name += 2;
            if (name < statement.size() && is_word(statement[name], "ONLY"))
                ++name;
        } else {
            return true;
        }
        if (name < statement.size() && is_word(statement[name], "ONLY"))
            ++name;
        table = chain_name(statement, name);
        return false;
    });
    return table;
}

namespace {

// `integer`, `character varying(40)`, `numeric(10, 2)`, `text[]`.
bool looks_like_type_name(const std::string& text) {
    static const std::regex type_name(R"(^[A-Za-z_][A-Za-z0-9_ ]*(\(\d+(, ?\d+)?\))?(\[\])*$)");
    return std::regex_match(text, type_name);
}

// What an alias may be called, unlike SQLite's names for unaliased
// expressions such as `strftime('%H:%M', 'now')`.
bool looks_like_alias(const std::string& text) {
    return !text.empty() && text.find_first_of("()',:") == std::string::npos;
}

}  // namespace

column_hint parse_column_hint(const std::string& name) {
    column_hint hint;
    hint.name = name;
    const auto colon = name.find(':');
    if (colon != std::string::npos) {
        const std::string before(trim(std::string_view(name).substr(0, colon)));
        const std::string type(trim(std::string_view(name).substr(colon + 1)));
        if (!looks_like_alias(before) || !looks_like_type_name(type))
            return hint;  // `x::y`, `strftime('%H:%M', ...)`: a name, no hint
        hint.name = before;
        hint.type = type;
    }
    const char last = hint.name.empty() ? '\0' : hint.name.back();
    if ((last == '!' || last == '?') &&
        looks_like_alias(hint.name.substr(0, hint.name.size() - 1))) {
        hint.nullable = last == '?';
        hint.name.pop_back();
    }
    return hint;
}

std::set<std::string> tables_read(const std::vector<token>& statement, const schema& s) {
    std::set<std::string> out;
    relation_finder(s, statement).add_read(statement, 0, statement.size(), out);
    return out;
}

std::string sqlite_expression_type(
    const std::vector<token>& item,
    const std::function<std::string(const std::string& column)>& column_type) {
    std::vector<token> e = expression_of(item);
    if (e.size() == 2 && is_name(e[1]) && !is_punct(e[0], "-"))
        e.pop_back();  // an alias without AS
    if (e.empty())
        return {};
    if (is_punct(e.front(), "-") || is_punct(e.front(), "+"))
        e.erase(e.begin());
    if (e.size() == 1) {
        if (e[0].kind == token_kind::number)
            return e[0].text.find_first_of(".eE") == std::string::npos ||
                           e[0].text.rfind("0x", 0) == 0
                       ? "INTEGER"
                       : "REAL";
        if (e[0].kind == token_kind::string)
            return "TEXT";
        if (e[0].kind == token_kind::blob)
            return "BLOB";
    }
    if (e.size() < 2 || e[0].kind != token_kind::word || !is_punct(e[1], "(") ||
        skip_group(e, 1) != e.size())
        return {};
    if (is_word(e[0], "CAST")) {
        std::string type;
        bool after_as = false;
        int depth = 0;
        for (std::size_t i = 2; i + 1 < e.size(); ++i) {
            if (is_punct(e[i], "("))
                ++depth;
            if (is_punct(e[i], ")"))
                --depth;
            if (after_as && e[i].kind == token_kind::word)
                type += (type.empty() ? "" : " ") + e[i].text;
            if (depth == 0 && is_word(e[i], "AS"))
                after_as = true;
        }
        return to_upper(type);
    }
    const auto known = sqlite_function_types.find(to_upper(e[0].text));
    if (known != sqlite_function_types.end())
        return known->second;
    // Functions whose result's type follows their first argument's.
    const bool arithmetic = is_any_word(e[0], {"SUM", "ABS"});
    if (!arithmetic && !is_any_word(e[0], {"MIN", "MAX", "COALESCE", "IFNULL", "NULLIF"}))
        return {};
    std::vector<token> argument;
    for (std::size_t i = 2; i + 1 < e.size() && !is_punct(e[i], ","); ++i)
        argument.push_back(e[i]);
    if (argument.empty() || !is_column_reference(argument) || argument.size() % 2 == 0)
        return {};
    const std::string type = column_type(argument.back().text);
    if (!arithmetic || type.empty())
        return type;
    // Arithmetic gives a number: a sum of BOOLEANs counts them.
    const std::string affinity = to_upper(type);
    return affinity.find("INT") != std::string::npos || affinity.find("BOOL") != std::string::npos
               ? "INTEGER"
               : "REAL";
}

}  // namespace strata::detail
