#include "tooling/queries/query_check.hpp"

#include <algorithm>

#include "sql/text.hpp"
#include "sql/tokens.hpp"
#include "tooling/queries/internal/query_columns.hpp"

namespace strata {

namespace {

// The line the database's error points at: placeholders never span lines,
// so the rewritten text has the lines of the file.
int error_line(const named_query& q, const std::string& sql, std::size_t offset) {
    if (offset >= sql.size())
        return q.sql_line;
    return q.sql_line + lines_before(sql, offset);
}

bool column_nullable(const schema& s, const table& t, const column& c) {
    return s.backend == backend_kind::postgres ? !c.not_null && c.primary_key == 0
                                               : t.is_nullable(c);
}

class query_describer {
  public:
    query_describer(const schema& s, const named_query& q, const statement_description& d)
        : s_(s),
          d_(d),
          tokens_(tokenize_sql(q.sql)),
          items_(detail::result_items(tokens_)),
          outer_joined_(detail::outer_joined_tables(tokens_, s)),
          modified_(detail::modified_table(tokens_)),
          rows_may_be_null_(detail::is_compound(tokens_) || detail::has_grouping_sets(tokens_)) {
        match_items();
    }

    result_column column_at(std::size_t i) const {
        const described_column& c = d_.columns[i];
        const auto hint = detail::parse_column_hint(c.name);
        result_column out;
        out.name = hint.name;
        out.sql_type = c.type;
        // A star's columns are columns as they are; what else an item is, it says.
        const std::vector<token>* item = item_of_[i] == star ? nullptr : &items_[item_of_[i]];
        const bool reference =
            item_of_[i] == star || (item_of_[i] != unknown && detail::is_column_reference(*item));
        std::string table = c.origin_table;
        std::string name = c.origin_column;
        // RETURNING: a bare column of the changed table, when the database
        // does not say where the value comes from.
        if (table.empty() && item && reference && !modified_.empty()) {
            const auto ref = detail::referenced_column(*item);
            if (ref.qualifier.empty() || to_lower(ref.qualifier) == to_lower(modified_)) {
                table = modified_;
                name = ref.column;
            }
        }
        const struct table* t = table.empty() ? nullptr : s_.find_table(table);
        const struct column* col = t ? t->find_column(name) : nullptr;
        if (col && reference) {
            out.origin = t->name + "." + col->name;
            if (out.sql_type.empty())
                out.sql_type = col->type;
            out.nullable = column_nullable(s_, *t, *col) || rows_may_be_null_ ||
                           outer_joined_.count(to_lower(t->name)) > 0;
        }
        if (out.sql_type.empty() && s_.backend != backend_kind::postgres && item)
            out.sql_type = detail::sqlite_expression_type(
                *item, [this](const std::string& column) { return column_type(column); });
        if (!hint.type.empty())
            out.sql_type = hint.type;
        if (hint.nullable)
            out.nullable = *hint.nullable;
        return out;
    }

  private:
    static constexpr std::size_t star = static_cast<std::size_t>(-1);
    static constexpr std::size_t unknown = static_cast<std::size_t>(-2);

    // Which item of the result list each column comes from: the items before
    // the first `*` give the first columns, those after the last `*` the last
    // ones, and the columns between are the stars'. Unknown when the counts
    // cannot match (or there is no list), and then no column is taken for a
    // plain reference.
    void match_items() {
        const std::size_t columns = d_.columns.size();
        item_of_.assign(columns, unknown);
        std::size_t first_star = items_.size();
        std::size_t last_star = items_.size();
        for (std::size_t k = 0; k < items_.size(); ++k)
            if (detail::is_star(items_[k])) {
                first_star = std::min(first_star, k);
                last_star = k;
            }
        if (first_star == items_.size()) {
            if (items_.size() == columns)
                for (std::size_t k = 0; k < columns; ++k)
                    item_of_[k] = k;
            return;
        }
        const std::size_t after = items_.size() - last_star - 1;
        if (first_star + after > columns)
            return;
        for (std::size_t k = 0; k < columns; ++k)
            item_of_[k] = k < first_star         ? k
                          : k >= columns - after ? last_star + 1 + (k - (columns - after))
                                                 : star;
    }

    // The declared type of the columns called `name` of the tables the
    // statement reads, when they agree.
    std::string column_type(const std::string& name) const {
        std::string type;
        for (const auto& table_name : detail::tables_read(tokens_, s_)) {
            const table* t = s_.find_table(table_name);
            const column* c = t ? t->find_column(name) : nullptr;
            if (!c)
                continue;
            if (!type.empty() && type != c->type)
                return {};
            type = c->type;
        }
        return type;
    }

    const schema& s_;
    const statement_description& d_;
    std::vector<token> tokens_;
    std::vector<std::vector<token>> items_;
    std::vector<std::size_t> item_of_;  // per column: its item, star or unknown
    std::set<std::string> outer_joined_;
    std::string modified_;
    bool rows_may_be_null_;  // UNION, ROLLUP: NULL where a column is NOT NULL
};

}  // namespace

query_check_result check_queries(scratch& db, const schema& s,
                                 const std::vector<named_query>& queries) {
    query_check_result result;
    const bool postgres = s.backend == backend_kind::postgres;
    for (const auto& q : queries) {
        const std::string& sql = postgres ? q.postgres_sql : q.sqlite_sql;
        const statement_description d = db.describe(sql);
        if (!d.error.empty()) {
            result.findings.push_back({severity::error,
                                       "query",
                                       {q.where.file, error_line(q, sql, d.error_offset)},
                                       {},
                                       "query " + q.name + ": " + d.error,
                                       {}});
            continue;
        }
        // A placeholder that the parser did not count (SQLite's `$name`)
        // would be bound to nothing, that is NULL.
        if (d.parameter_types.size() != q.parameters.size()) {
            result.findings.push_back(
                {severity::error,
                 "query",
                 q.where,
                 {},
                 "query " + q.name + " has " + std::to_string(d.parameter_types.size()) +
                     " parameter(s) for the database but " + std::to_string(q.parameters.size()) +
                     " for strata; write parameters as ?, ?N, $N, :name or @name",
                 {}});
            continue;
        }
        described_query out{q, d.parameter_types, {}};
        const query_describer describer(s, q, d);
        for (std::size_t i = 0; i < d.columns.size(); ++i)
            out.columns.push_back(describer.column_at(i));
        result.queries.push_back(std::move(out));
    }
    return result;
}

}  // namespace strata
