// The query-file parser (src/query_file.cpp): `-- name: x :one` blocks of
// SQL with ?, ?N, $N, :name and @name parameters.
//
// Invariants: never throws (every problem is a finding); each query has a
// valid name, its identifier is cpp_identifier(name) and unique in the file,
// its lines lie in the file, its SQL is non-empty without a trailing blank
// (one trailing `;` is removed: `;;` keeps one); the rewritten SQL keeps the
// lines of the original, numbers the parameters 1..N with N the parameter
// count, and parses back to itself as a query of its own; every finding is
// on a line of the file; `\r\n` line ends and a byte-order mark read as
// plain `\n`.
#include <set>
#include <string>

#include "fuzz_support.hpp"
#include "tooling/codegen/header.hpp"
#include "tooling/queries/query_file.hpp"

using strata::fuzz::count;
using strata::fuzz::shown;

namespace {

bool is_blank(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool same_queries(const strata::query_file& a, const strata::query_file& b) {
    if (a.queries.size() != b.queries.size() || a.findings.size() != b.findings.size())
        return false;
    for (std::size_t i = 0; i < a.queries.size(); ++i) {
        const auto& x = a.queries[i];
        const auto& y = b.queries[i];
        if (x.name != y.name || x.sql != y.sql || x.doc != y.doc || x.sqlite_sql != y.sqlite_sql ||
            x.where.line != y.where.line || x.sql_line != y.sql_line ||
            x.parameters != y.parameters || x.cardinality != y.cardinality)
            return false;
    }
    for (std::size_t i = 0; i < a.findings.size(); ++i)
        if (a.findings[i].where.line != b.findings[i].where.line ||
            a.findings[i].message != b.findings[i].message)
            return false;
    return true;
}

void check(const strata::query_file& file, std::string_view text) {
    const int lines = strata::fuzz::line_count(text);
    std::set<std::string> identifiers;
    for (const auto& q : file.queries) {
        const std::string context = "query '" + shown(q.name) + "' sql '" + shown(q.sql) + "'";
        FUZZ_CHECK(!q.name.empty(), context);
        FUZZ_CHECK(q.identifier == strata::cpp_identifier(q.name), context);
        FUZZ_CHECK(identifiers.insert(q.identifier).second, context);
        FUZZ_CHECK(q.where.file == "queries.sql", context);
        FUZZ_CHECK(q.where.line >= 1 && q.where.line < q.sql_line && q.sql_line <= lines, context);
        FUZZ_CHECK(!q.sql.empty() && !is_blank(q.sql.back()) && !is_blank(q.sql.front()), context);
        FUZZ_CHECK(count(q.sql, "\n") == count(q.sqlite_sql, "\n") &&
                       count(q.sql, "\n") == count(q.postgres_sql, "\n"),
                   context);
        for (std::size_t n = 1; n <= q.parameters.size(); ++n) {
            FUZZ_CHECK(strata::fuzz::contains(q.sqlite_sql, "?" + std::to_string(n)), context);
            FUZZ_CHECK(strata::fuzz::contains(q.postgres_sql, "$" + std::to_string(n)), context);
        }
        if (q.parameters.empty())
            FUZZ_CHECK(q.sqlite_sql == q.sql && q.postgres_sql == q.sql, context);

        // The rewritten SQL is a query of its own: the same parameters,
        // numbered. (Unless it holds a CR before a LF, which reading it again
        // takes for a CRLF line end.)
        if (strata::fuzz::contains(q.sqlite_sql, "\r\n"))
            continue;
        const auto again =
            strata::parse_query_file("-- name: q\n" + q.sqlite_sql + "\n;", "again.sql");
        FUZZ_CHECK(again.findings.empty() && again.queries.size() == 1,
                   context + " -> '" + shown(q.sqlite_sql) +
                       "': " + (again.findings.empty() ? "" : again.findings.front().message));
        FUZZ_CHECK(again.queries[0].sqlite_sql == q.sqlite_sql &&
                       again.queries[0].parameters.size() == q.parameters.size(),
                   context + " -> '" + shown(again.queries[0].sqlite_sql) + "'");
    }
    for (const auto& d : file.findings) {
        FUZZ_CHECK(d.level == strata::severity::error && !d.message.empty(), d.message);
        FUZZ_CHECK(d.where.line >= 1 && d.where.line <= lines,
                   d.message + " at line " + std::to_string(d.where.line));
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(strata::fuzz::as_text(data, size));
    const auto file = strata::parse_query_file(text, "queries.sql");
    check(file, text);

    if (text.find('\r') == std::string::npos) {
        std::string crlf = text.rfind("\xEF\xBB\xBF", 0) == 0 ? "" : "\xEF\xBB\xBF";
        for (char c : text) {
            if (c == '\n')
                crlf += '\r';
            crlf += c;
        }
        FUZZ_CHECK(same_queries(file, strata::parse_query_file(crlf, "queries.sql")), shown(text));
    }
    return 0;
}
