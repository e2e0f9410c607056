#include "sql/postgres_statements.hpp"

#include <string>

#include "sql/lexer.hpp"
#include "sql/text.hpp"  // to_upper

namespace strata::detail {

namespace {

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
    constexpr std::size_t none = std::string_view::npos;
    std::size_t start = none;
    statement_state state;
    sql::lexer lexer(sql, sql::dialect::postgres);
    for (sql::lexeme x; lexer.next(x);) {
        if (!x.significant())
            continue;
        const std::string_view text = sql.substr(x.begin, x.end - x.begin);
        if (start == none) {
            if (text == ";")
                continue;  // an empty statement
            start = x.begin;
        }
        switch (x.kind) {
            case sql::lexeme_kind::word:
            case sql::lexeme_kind::number:
            case sql::lexeme_kind::parameter:
                state.word(to_upper(text));
                break;
            case sql::lexeme_kind::punct:
                if (text == "(")
                    state.open_paren();
                else if (text == ")")
                    state.close_paren();
                else if (text == ";" && state.at_top_level()) {
                    spans.push_back({start, x.end});
                    start = none;
                    state = {};
                }
                break;
            default:
                break;
        }
    }
    if (start != none)
        spans.push_back({start, sql.size()});
    return spans;
}

}  // namespace strata::detail
