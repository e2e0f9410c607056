// The `-- strata:` directive parser (src/directives.cpp). The input is a
// script; its first byte also picks the script's first line in its file.
//
// Invariants: never throws; a directive is only found when its name is in
// the script; every finding is a `directive` error on a line of the script
// (shifted by the script's first line, as dbmate sections are); whatever
// follows the first statement changes nothing; `\r\n` line ends read as `\n`.
#include <string>

#include "fuzz_support.hpp"
#include "migrations/internal/directives.hpp"
#include "sql/lexer.hpp"
#include "sql/text.hpp"

using strata::fuzz::contains;
using strata::fuzz::shown;

namespace {

struct outcome {
    strata::directives found;
    strata::diagnostics diagnostics;
};

outcome read(const std::string& sql, int first_line) {
    outcome result;
    result.found = strata::read_directives({sql, "up.sql", first_line}, result.diagnostics);
    return result;
}

bool same(const outcome& a, const outcome& b, int line_shift = 0) {
    if (a.found.no_transaction != b.found.no_transaction ||
        a.found.irreversible != b.found.irreversible ||
        a.diagnostics.size() != b.diagnostics.size())
        return false;
    for (std::size_t i = 0; i < a.diagnostics.size(); ++i)
        if (a.diagnostics[i].where.line + line_shift != b.diagnostics[i].where.line ||
            a.diagnostics[i].message != b.diagnostics[i].message)
            return false;
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const int first_line = size > 0 ? 1 + data[0] % 8 : 1;
    const std::string sql(strata::fuzz::as_text(data, size));
    const outcome at_one = read(sql, 1);
    const outcome shifted = read(sql, first_line);

    FUZZ_CHECK(!at_one.found.no_transaction || contains(sql, "no-transaction"), shown(sql));
    FUZZ_CHECK(!at_one.found.irreversible || contains(sql, "irreversible"), shown(sql));
    const int lines = strata::fuzz::line_count(sql);
    for (const auto& d : at_one.diagnostics) {
        FUZZ_CHECK(d.level == strata::severity::error && d.kind == "directive", d.message);
        FUZZ_CHECK(d.where.file == "up.sql" && d.where.line >= 1 && d.where.line <= lines,
                   d.message + " at line " + std::to_string(d.where.line));
        FUZZ_CHECK(contains(sql, "strata:"), d.message);
    }
    FUZZ_CHECK(same(at_one, shifted, first_line - 1), shown(sql));

    // Directives are read before the first statement only.
    if (strata::sql::skip_blank_and_comments(sql, strata::sql::dialect::sqlite) < sql.size()) {
        const outcome longer = read(sql + "\n;SELECT 1;\n-- strata:bogus\n", 1);
        FUZZ_CHECK(same(at_one, longer), shown(sql));
    }

    if (sql.find('\r') == std::string::npos) {
        std::string crlf;
        for (char c : sql) {
            if (c == '\n')
                crlf += '\r';
            crlf += c;
        }
        FUZZ_CHECK(same(at_one, read(crlf, 1)), shown(sql));
    }
    return 0;
}
