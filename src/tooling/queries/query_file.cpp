#include "tooling/queries/query_file.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <system_error>
#include <utility>

#include "sql/lexer.hpp"
#include "sql/text.hpp"
#include "tooling/cpp_names.hpp"

namespace strata {

namespace {

constexpr std::size_t npos = std::string_view::npos;

// SQLite's default SQLITE_MAX_VARIABLE_NUMBER; PostgreSQL allows more, so
// this is the limit a query must keep to run on both.
constexpr long max_parameter = 32766;

const std::set<std::string, std::less<>> sqlc_annotations = {
    "one",        "many",      "exec",      "execrows", "execresult",
    "execlastid", "batchexec", "batchmany", "batchone", "copyfrom"};

bool is_identifier_start(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_identifier_char(char c) {
    return is_identifier_start(c) || (c >= '0' && c <= '9');
}

bool starts_with(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

// Without the BOM and the `\r` of CRLF, offsets and line numbers match what
// the file shows in an editor, and the SQL carries no stray `\r`.
std::string normalized(std::string_view text) {
    if (starts_with(text, "\xEF\xBB\xBF"))
        text.remove_prefix(3);
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] == '\n'))
            continue;
        out.push_back(text[i]);
    }
    return out;
}

struct text_line {
    std::size_t begin = 0;
    std::size_t end = 0;  // before the '\n'
};

std::vector<text_line> split_lines(std::string_view text) {
    std::vector<text_line> lines;
    std::size_t begin = 0;
    for (;;) {
        const std::size_t eol = text.find('\n', begin);
        if (eol == npos) {
            lines.push_back({begin, text.size()});
            return lines;
        }
        lines.push_back({begin, eol});
        begin = eol + 1;
    }
}

bool is_comment_line(std::string_view line) {
    return starts_with(trim_left(line), "--");
}

// What follows `name:` when `line` is a `-- name:` comment.
std::optional<std::string_view> name_comment(std::string_view line) {
    line = trim_left(line);
    if (!starts_with(line, "--"))
        return std::nullopt;
    line = trim_left(line.substr(2));
    if (!starts_with(line, "name:"))
        return std::nullopt;
    return trim(line.substr(5));
}

// yesql's names may hold dashes; cpp_identifier turns them into `_`.
bool is_query_name(std::string_view name) {
    if (name.empty() || !is_identifier_start(name.front()))
        return false;
    for (char c : name) {
        if (!is_identifier_char(c) && c != '-')
            return false;
    }
    return true;
}

std::vector<std::string_view> split_words(std::string_view text) {
    std::vector<std::string_view> words;
    for (text = trim(text); !text.empty(); text = trim_left(text)) {
        std::size_t end = 0;
        while (end < text.size() && !sql::is_blank(text[end]))
            ++end;
        words.push_back(text.substr(0, end));
        text.remove_prefix(end);
    }
    return words;
}

// ---------------------------------------------------------------------------
// Scanning one query's SQL: parameters, and what quotes and comments hide.

enum class parameter_style { positional, numbered, named };

struct parameter_use {
    std::size_t begin = 0;  // the placeholder's bytes in the SQL
    std::size_t end = 0;
    parameter_style style = parameter_style::positional;
    long number = 0;   // of ?NNN and $N, capped just above max_parameter
    std::string name;  // of :name and @name
};

struct sql_scan {
    std::vector<parameter_use> parameters;
    std::size_t first = npos;             // the first byte that is neither blank nor comment
    std::size_t end = 0;                  // just after the last such byte
    bool has_statement = false;           // anything significant but ';'
    std::size_t second_statement = npos;  // SQL after a top-level ';'
    std::size_t unterminated = npos;      // a quote or comment that never closes
    const char* unterminated_what = "";
};

// What a query file's SQL holds, read with the lexer's portable dialect.
class sql_scanner {
  public:
    explicit sql_scanner(std::string_view sql) : sql_(sql) {}

    sql_scan run() {
        sql::lexer lexer(sql_, sql::dialect::portable);
        for (sql::lexeme x; lexer.next(x);) {
            if (!x.closed)
                unterminated(x);
            if (!x.significant())
                continue;
            if (x.kind == sql::lexeme_kind::parameter)
                parameter(x);
            significant(x.begin, x.end);
        }
        return std::move(scan_);
    }

  private:
    void significant(std::size_t begin, std::size_t end) {
        if (scan_.first == npos)
            scan_.first = begin;
        scan_.end = end;
        // Empty statements (`;;`) are harmless; real SQL after a ';' is not.
        const bool semicolon = sql_[begin] == ';';
        if (after_semicolon_ && !semicolon && scan_.second_statement == npos)
            scan_.second_statement = begin;
        after_semicolon_ = after_semicolon_ || (semicolon && scan_.has_statement);
        scan_.has_statement = scan_.has_statement || !semicolon;
    }

    void unterminated(const sql::lexeme& x) {
        if (scan_.unterminated != npos)
            return;
        scan_.unterminated = x.begin;
        switch (x.kind) {
            case sql::lexeme_kind::comment:
                scan_.unterminated_what = "comment";
                break;
            case sql::lexeme_kind::quoted_name:
                scan_.unterminated_what = "quoted identifier";
                break;
            case sql::lexeme_kind::dollar_string:
                scan_.unterminated_what = "dollar-quoted string";
                break;
            default:
                scan_.unterminated_what = "string";
        }
    }

    // Capped so that a long run of digits cannot overflow.
    static long number(std::string_view digits) {
        long value = 0;
        for (char c : digits)
            value = std::min(value * 10 + (c - '0'), max_parameter + 1);
        return value;
    }

    void parameter(const sql::lexeme& x) {
        const std::string_view text = sql_.substr(x.begin, x.end - x.begin);
        if (text[0] == ':' || text[0] == '@')
            scan_.parameters.push_back(
                {x.begin, x.end, parameter_style::named, 0, std::string(text.substr(1))});
        else if (text.size() == 1)
            scan_.parameters.push_back({x.begin, x.end, parameter_style::positional, 0, {}});
        else
            scan_.parameters.push_back(
                {x.begin, x.end, parameter_style::numbered, number(text.substr(1)), {}});
    }

    std::string_view sql_;
    sql_scan scan_;
    bool after_semicolon_ = false;
};

// ---------------------------------------------------------------------------
// Numbering parameters.

struct problem {
    std::size_t offset = 0;  // in the SQL
    std::string message;
};

bool is_named(const parameter_use& use) {
    return use.style == parameter_style::named;
}

std::optional<problem> mixed_styles(const std::vector<parameter_use>& uses,
                                    const std::string& query) {
    const parameter_use& first = uses.front();
    for (const auto& use : uses) {
        if (is_named(use) != is_named(first))
            return problem{use.begin, "query " + query + " mixes named and positional parameters"};
        if (use.style != first.style)
            return problem{use.begin, "query " + query + " mixes ? with numbered parameters"};
    }
    return std::nullopt;
}

// Named parameters are numbered in order of first appearance.
std::vector<long> assign_indexes(const std::vector<parameter_use>& uses) {
    std::vector<long> indexes;
    std::map<std::string, long> by_name;
    long positional = 0;
    for (const auto& use : uses) {
        if (use.style == parameter_style::named)
            indexes.push_back(
                by_name.emplace(use.name, static_cast<long>(by_name.size()) + 1).first->second);
        else if (use.style == parameter_style::positional)
            indexes.push_back(++positional);
        else
            indexes.push_back(use.number);
    }
    return indexes;
}

std::optional<problem> out_of_range(std::string_view sql, const std::vector<parameter_use>& uses,
                                    const std::vector<long>& indexes, const std::string& query) {
    for (std::size_t i = 0; i < uses.size(); ++i) {
        if (indexes[i] >= 1 && indexes[i] <= max_parameter)
            continue;
        if (uses[i].style != parameter_style::numbered)
            return problem{uses[i].begin, "query " + query + " has more than " +
                                              std::to_string(max_parameter) + " parameters"};
        const std::string written(sql.substr(uses[i].begin, uses[i].end - uses[i].begin));
        return problem{uses[i].begin, "query " + query + " uses parameter " + written +
                                          "; parameters are numbered 1 to " +
                                          std::to_string(max_parameter)};
    }
    return std::nullopt;
}

// Only numbered parameters can leave a gap; the missing one would be sent
// to the database with no type to infer.
std::optional<problem> gap(std::string_view sql, const std::vector<parameter_use>& uses,
                           const std::vector<long>& indexes, const std::string& query) {
    const std::set<long> used(indexes.begin(), indexes.end());
    long missing = 1;
    while (used.count(missing) != 0)
        ++missing;
    if (missing > *used.rbegin())
        return std::nullopt;
    for (std::size_t i = 0; i < uses.size(); ++i) {
        if (indexes[i] > missing)
            return problem{uses[i].begin, "query " + query + " never uses parameter " +
                                              sql[uses[i].begin] + std::to_string(missing)};
    }
    return std::nullopt;
}

std::optional<problem> parameter_problem(std::string_view sql,
                                         const std::vector<parameter_use>& uses,
                                         const std::vector<long>& indexes,
                                         const std::string& query) {
    if (auto found = mixed_styles(uses, query))
        return found;
    if (auto found = out_of_range(sql, uses, indexes, query))
        return found;
    if (uses.front().style == parameter_style::numbered)
        return gap(sql, uses, indexes, query);
    return std::nullopt;
}

std::vector<std::string> parameter_names(const std::vector<parameter_use>& uses,
                                         const std::vector<long>& indexes) {
    long count = 0;
    for (long index : indexes)
        count = std::max(count, index);
    std::vector<std::string> names(static_cast<std::size_t>(count));
    for (std::size_t i = 0; i < uses.size(); ++i)
        names[static_cast<std::size_t>(indexes[i] - 1)] = uses[i].name;
    return names;
}

// Placeholders never span lines, so the rewritten text keeps the lines of
// the file: errors from the database can be located by counting newlines.
std::string rewrite(std::string_view sql, const std::vector<parameter_use>& uses,
                    const std::vector<long>& indexes, char sigil) {
    std::string out;
    std::size_t copied = 0;
    for (std::size_t i = 0; i < uses.size(); ++i) {
        out.append(sql.substr(copied, uses[i].begin - copied));
        out += sigil;
        out += std::to_string(indexes[i]);
        copied = uses[i].end;
    }
    out.append(sql.substr(copied));
    return out;
}

// ---------------------------------------------------------------------------
// The file: blocks, each starting at a `-- name:` line.

diagnostic query_finding(const std::string& file, int line, std::string message) {
    return {severity::error, "query", {file, line}, "", std::move(message), {}};
}

class query_file_parser {
  public:
    query_file_parser(std::string_view text, std::string file)
        : text_(text), file_(std::move(file)), lines_(split_lines(text)) {}

    query_file run() {
        std::vector<std::size_t> starts;
        for (std::size_t i = 0; i < lines_.size(); ++i) {
            if (name_comment(line_text(i)))
                starts.push_back(i);
        }
        check_preamble(starts.empty() ? lines_.size() : starts.front());
        for (std::size_t k = 0; k < starts.size(); ++k)
            parse_block(starts[k], k + 1 < starts.size() ? starts[k + 1] : lines_.size());
        return std::move(result_);
    }

  private:
    std::string_view line_text(std::size_t index) const {
        return text_.substr(lines_[index].begin, lines_[index].end - lines_[index].begin);
    }

    static int line_number(std::size_t index) { return static_cast<int>(index) + 1; }

    void error(int line, std::string message) {
        result_.findings.push_back(query_finding(file_, line, std::move(message)));
    }

    // Comments may introduce the file; statements may not belong to no query.
    void check_preamble(std::size_t end_line) {
        const std::size_t end = end_line < lines_.size() ? lines_[end_line].begin : text_.size();
        const std::string_view preamble = text_.substr(0, end);
        const sql_scan scan = sql_scanner(preamble).run();
        if (scan.first != npos)
            error(1 + lines_before(preamble, scan.first), "SQL before the first '-- name:' line");
    }

    void parse_block(std::size_t name_line, std::size_t end_line) {
        named_query q;
        q.where = {file_, line_number(name_line)};
        if (!read_name_line(*name_comment(line_text(name_line)), q) || !first_definition(q))
            return;
        std::size_t sql_line = name_line + 1;
        std::vector<std::string_view> doc;
        for (; sql_line < end_line; ++sql_line) {
            const std::string_view line = trim(line_text(sql_line));
            if (!line.empty() && !is_comment_line(line))
                break;
            if (!line.empty())
                doc.push_back(trim(line.substr(2)));
        }
        q.doc = join_doc(doc);
        if (sql_line == end_line) {
            error(q.where.line, "query " + q.name + " has no SQL");
            return;
        }
        q.sql_line = line_number(sql_line);
        const std::size_t begin = lines_[sql_line].begin;
        const std::string_view body = text_.substr(begin, lines_[end_line - 1].end - begin);
        if (read_sql(trim_left(body), q))
            result_.queries.push_back(std::move(q));
    }

    bool read_name_line(std::string_view rest, named_query& q) {
        const std::vector<std::string_view> words = split_words(rest);
        if (words.empty()) {
            error(q.where.line, "'-- name:' without a query name");
            return false;
        }
        q.name = std::string(words[0]);
        if (!is_query_name(q.name)) {
            error(q.where.line, "invalid query name '" + q.name +
                                    "': a name is a letter or '_' followed by letters, "
                                    "digits, '_' or '-'");
            return false;
        }
        q.identifier = cpp_identifier(q.name);
        return words.size() == 1 || read_annotation(words, q);
    }

    bool read_annotation(const std::vector<std::string_view>& words, named_query& q) {
        const std::string_view word = words[1];
        if (!starts_with(word, ":")) {
            error(q.where.line,
                  "unexpected '" + std::string(word) + "' after query name " + q.name);
            return false;
        }
        if (sqlc_annotations.count(word.substr(1)) == 0) {
            error(q.where.line,
                  "query " + q.name + " has an unknown annotation '" + std::string(word) + "'");
            return false;
        }
        if (words.size() > 2) {
            error(q.where.line, "unexpected '" + std::string(words[2]) + "' after query name " +
                                    q.name + " " + std::string(word));
            return false;
        }
        q.cardinality = std::string(word.substr(1));
        return true;
    }

    bool first_definition(const named_query& q) {
        const auto [first, fresh] = defined_.emplace(q.identifier, q.where.line);
        if (!fresh)
            error(q.where.line, "query " + q.name + " is already defined on line " +
                                    std::to_string(first->second));
        return fresh;
    }

    static std::string join_doc(const std::vector<std::string_view>& lines) {
        std::size_t first = 0;
        std::size_t end = lines.size();
        while (first < end && lines[first].empty())
            ++first;
        while (end > first && lines[end - 1].empty())
            --end;
        std::string doc;
        for (std::size_t i = first; i < end; ++i) {
            if (i > first)
                doc += '\n';
            doc += lines[i];
        }
        return doc;
    }

    int sql_line_of(const named_query& q, std::string_view sql, std::size_t offset) const {
        return q.sql_line + lines_before(sql, offset);
    }

    // `body` runs from the first line of SQL to the next `-- name:` line.
    bool read_sql(std::string_view body, named_query& q) {
        const sql_scan scan = sql_scanner(body).run();
        if (scan.unterminated != npos) {
            error(sql_line_of(q, body, scan.unterminated),
                  "query " + q.name + " has an unterminated " + scan.unterminated_what);
            return false;
        }
        if (!scan.has_statement) {
            error(q.where.line, "query " + q.name + " has no SQL");
            return false;
        }
        std::string_view sql = body.substr(0, scan.end);
        // Comments before the `;` trail the statement too (`x -- note\n;`): a
        // caller appending ` LIMIT 1` must not land in a comment.
        if (sql.back() == ';') {
            sql = sql.substr(0, sql.size() - 1);
            sql = sql.substr(0, sql_scanner(sql).run().end);
        }
        if (scan.second_statement != npos) {
            error(sql_line_of(q, body, scan.second_statement),
                  "query " + q.name + " holds more than one statement; a query is one statement");
            return false;
        }
        q.sql = std::string(sql);
        return read_parameters(scan.parameters, q);
    }

    bool read_parameters(const std::vector<parameter_use>& uses, named_query& q) {
        q.sqlite_sql = q.sql;
        q.postgres_sql = q.sql;
        if (uses.empty())
            return true;
        const std::vector<long> indexes = assign_indexes(uses);
        if (const auto found = parameter_problem(q.sql, uses, indexes, q.name)) {
            error(sql_line_of(q, q.sql, found->offset), found->message);
            return false;
        }
        q.parameters = parameter_names(uses, indexes);
        q.sqlite_sql = rewrite(q.sql, uses, indexes, '?');
        q.postgres_sql = rewrite(q.sql, uses, indexes, '$');
        return true;
    }

    std::string_view text_;
    std::string file_;
    std::vector<text_line> lines_;
    std::map<std::string, int> defined_;  // identifier -> line of its `-- name:`
    query_file result_;
};

// A directory opens as a stream on some systems and only fails on reading.
std::optional<std::string> read_text(const std::filesystem::path& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        return std::nullopt;
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return std::nullopt;
    std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (in.bad())
        return std::nullopt;
    return text;
}

}  // namespace

query_file parse_query_file(std::string_view text, const std::string& file) {
    const std::string normal = normalized(text);
    return query_file_parser(normal, file).run();
}

query_file read_query_file(const std::filesystem::path& path) {
    const std::optional<std::string> text = read_text(path);
    if (!text) {
        query_file result;
        result.findings.push_back(query_finding(path.string(), 0, "cannot read query file"));
        return result;
    }
    return parse_query_file(*text, path.string());
}

std::vector<named_query> read_query_files(const std::vector<std::string>& files,
                                          diagnostics& findings) {
    std::vector<named_query> queries;
    std::map<std::string, source_location> seen;
    std::set<std::filesystem::path> read;
    for (const auto& file : files) {
        std::error_code ec;
        if (!read.insert(std::filesystem::weakly_canonical(file, ec)).second)
            continue;
        query_file parsed = read_query_file(file);
        findings.insert(findings.end(), parsed.findings.begin(), parsed.findings.end());
        for (auto& q : parsed.queries) {
            const auto [first, fresh] = seen.emplace(q.identifier, q.where);
            if (!fresh) {
                findings.push_back(
                    {severity::error,
                     "query",
                     q.where,
                     {},
                     "query " + q.name + " is already defined at " + format_location(first->second),
                     {}});
                continue;
            }
            queries.push_back(std::move(q));
        }
    }
    return queries;
}

}  // namespace strata
