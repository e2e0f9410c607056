#include "strata/schema.hpp"

#include "sql/text.hpp"

#include <algorithm>
#include <cctype>

namespace strata {

bool name_less(std::string_view a, std::string_view b) {
    const bool less =
        std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
            return std::tolower(static_cast<unsigned char>(x)) <
                   std::tolower(static_cast<unsigned char>(y));
        });
    if (less)
        return true;
    if (!iequals(a, b))
        return false;
    return a < b;
}

const column* table::find_column(std::string_view column_name) const {
    return find_named(columns, column_name);
}

std::vector<const column*> table::primary_key() const {
    std::vector<const column*> key;
    for (const auto& c : columns)
        if (c.primary_key > 0)
            key.push_back(&c);
    std::sort(key.begin(), key.end(),
              [](const column* a, const column* b) { return a->primary_key < b->primary_key; });
    return key;
}

bool table::is_rowid_alias(const column& c) const {
    return !without_rowid && virtual_using.empty() && c.primary_key > 0 && !c.descending_key &&
           primary_key().size() == 1 && c.type == "INTEGER";
}

std::string key_list_sql(const std::vector<index_column>& keys) {
    std::string out;
    for (const auto& k : keys) {
        out += (out.empty() ? "" : ", ") + k.expression;
        if (!k.collation.empty())
            out += " COLLATE " + k.collation;
        if (k.descending)
            out += " DESC";
    }
    return out;
}

bool table::is_nullable(const column& c) const {
    if (c.not_null || is_rowid_alias(c))
        return false;
    return !(without_rowid && c.primary_key > 0);
}

std::string unique_sql(const unique_constraint& u) {
    return "(" + key_list_sql(u.keys) + ")" +
           (u.on_conflict.empty() ? "" : " ON CONFLICT " + u.on_conflict);
}

const table* schema::find_table(std::string_view table_name) const {
    return find_named(tables, table_name);
}

bool same_name(std::string_view a, std::string_view b) {
    return iequals(a, b);
}

}  // namespace strata
