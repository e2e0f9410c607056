// The migration-set reader (src/migration_set.cpp) and the in-memory parsers
// it uses: version prefixes (version.cpp), dbmate's `-- migrate:up/down`
// sections (dbmate_file.cpp), diesel's metadata.toml (diesel_metadata.cpp),
// and the SQL text helpers that read scripts (sql_text.cpp, sql_tokens.cpp,
// postgres_statements.cpp).
//
// The input is a migration directory: `name NUL content NUL name NUL content
// ...`. A name with a '/' is a file in a subdirectory (diesel's
// `<version>_<name>/up.sql`). The files are written to a temporary directory,
// read with read_migration_set() and removed again.
//
// Invariants: the reader never throws for a readable directory; migrations
// come sorted by their layout's version rule; versions print and parse back
// to themselves under their rule; each checksum is the up script's; a down
// script is kept exactly when it reverts the migration, and a missing-down
// finding stands for exactly the migrations that need one and lack it; a set
// without errors has unique versions, one rule, a no-op only where the up
// script has no statement, and a layout exactly when it has migrations;
// findings have a file and a line >= 0. In memory: each rule reads its own
// versions back; version comparison is a total order;
// dbmate sections lie within their file; statement spans are ordered, inside
// the script and start on a statement; token offsets increase; the canonical
// spelling of SQL is a fixed point.
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "migrations/checksum.hpp"
#include "migrations/internal/dbmate_file.hpp"
#include "migrations/internal/diesel_metadata.hpp"
#include "migrations/internal/directives.hpp"
#include "sql/lexer.hpp"
#include "sql/postgres_statements.hpp"
#include "sql/text.hpp"
#include "sql/tokens.hpp"
#include "strata/migration_set.hpp"
#include "strata/migration_version.hpp"

namespace fs = std::filesystem;
using strata::fuzz::shown;

namespace {

constexpr std::size_t max_files = 16;
constexpr std::size_t max_name = 100;

// One temporary directory per fuzzing process, emptied after every input and
// removed at exit.
const fs::path& work_directory() {
    static const fs::path directory = [] {
        std::string pattern = (fs::temp_directory_path() / "strata-fuzz-XXXXXX").string();
        if (!mkdtemp(pattern.data()))
            std::abort();
        std::atexit([] {
            std::error_code ec;
            fs::remove_all(work_directory(), ec);
        });
        return fs::path(pattern);
    }();
    return directory;
}

// A name the file system takes: no empty, `.` or `..` component, at most one
// directory level, bounded length.
std::string file_name(std::string_view raw) {
    std::string name(raw.substr(0, max_name));
    auto slash = name.find('/');
    for (auto at = name.find('/', slash == std::string::npos ? 0 : slash + 1);
         at != std::string::npos; at = name.find('/', at + 1))
        name[at] = '_';
    auto fix = [](std::string part) {
        return part.empty() || part == "." || part == ".." ? std::string("x" + part) : part;
    };
    if (slash == std::string::npos)
        return fix(name);
    return fix(name.substr(0, slash)) + "/" + fix(name.substr(slash + 1));
}

void write(const fs::path& path, std::string_view content) {
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    if (fs::is_directory(path, ec))
        return;  // `a/up.sql` before `a`: a directory already
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
}

// Each rule reads its own output again; a version that grows sorts after
// itself (text, number) and a leading zero changes nothing only for numbers.
void check_version(std::string_view text) {
    using strata::version_rule;
    for (const auto rule : {version_rule::text, version_rule::number, version_rule::file_name}) {
        const auto v = strata::migration_version::parse(text, rule);
        if (!v)
            continue;
        const std::string what = shown(text) + " as " + strata::to_string(rule);
        FUZZ_CHECK(!v->str().empty(), what);
        const auto again = strata::migration_version::parse(v->str(), rule);
        FUZZ_CHECK(again && *again == *v && again->str() == v->str() && again->compare(*v) == 0,
                   what);
        const auto padded = strata::migration_version::parse("0" + v->str(), rule);
        FUZZ_CHECK(padded && (*padded == *v) == (rule == version_rule::number), what);
        if (rule == version_rule::file_name)
            continue;  // "1" + "1" sorts before "1_": as their file names do
        const auto bigger = strata::migration_version::parse(v->str() + "1", rule);
        FUZZ_CHECK(bigger && *v<*bigger&& * bigger> * v && *v != *bigger, what);
    }
}

void check_sql(std::string_view sql) {
    (void)strata::has_statement(sql);
    (void)strata::transaction_control_keyword(sql);
    (void)strata::first_keyword(sql);
    FUZZ_CHECK(strata::sql::skip_blank_and_comments(sql, strata::sql::dialect::sqlite) <=
               sql.size());

    std::size_t previous_end = 0;
    for (const auto& span : strata::detail::split_postgres_statements(sql)) {
        FUZZ_CHECK(previous_end <= span.begin && span.begin < span.end && span.end <= sql.size(),
                   "statement [" + std::to_string(span.begin) + ", " + std::to_string(span.end) +
                       ") in '" + shown(sql) + "'");
        FUZZ_CHECK(strata::sql::skip_blank_and_comments(sql, strata::sql::dialect::sqlite,
                                                        span.begin) == span.begin ||
                       sql.compare(span.begin, 2, "/*") == 0,
                   "statement starts on a blank: '" + shown(sql.substr(span.begin)) + "'");
        previous_end = span.end;
    }

    const auto tokens = strata::tokenize_sql(sql);
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        FUZZ_CHECK(tokens[i].offset < sql.size(), shown(sql));
        FUZZ_CHECK(i == 0 || tokens[i - 1].offset < tokens[i].offset, shown(sql));
    }
    const std::string canonical = strata::canonical_sql(tokens);
    FUZZ_CHECK(strata::canonical_sql(canonical) == canonical,
               "'" + shown(sql) + "' -> '" + shown(canonical) + "' -> '" +
                   shown(strata::canonical_sql(canonical)) + "'");
    (void)strata::canonical_statement(sql);
}

void check_diagnostics(const strata::diagnostics& found, int max_line) {
    for (const auto& d : found) {
        FUZZ_CHECK(!d.message.empty());
        FUZZ_CHECK(d.where.line >= 0 && d.where.line <= max_line,
                   d.message + " at line " + std::to_string(d.where.line));
    }
}

void check_file(std::string_view name, std::string_view content) {
    check_version(name);
    check_version(name.substr(0, name.find('_')));
    check_sql(content);
    const int lines = strata::fuzz::line_count(content);

    strata::diagnostics found;
    (void)strata::detail::diesel_runs_in_transaction(content, "metadata.toml", found);
    check_diagnostics(found, lines);

    found.clear();
    (void)strata::read_directives({std::string(content), "f.sql", 1}, found);
    check_diagnostics(found, lines);

    if (!strata::detail::is_dbmate_file(content))
        return;
    found.clear();
    const auto sections = strata::detail::split_dbmate_file(content, "f.sql", found);
    check_diagnostics(found, lines);
    FUZZ_CHECK(sections.has_value() == !strata::has_errors(found));
    if (!sections)
        return;
    FUZZ_CHECK(strata::fuzz::contains(content, sections->up.sql));
    FUZZ_CHECK(sections->up.first_line >= 2 && sections->up.first_line <= lines + 1);
    FUZZ_CHECK(content.substr(0, sections->preamble.sql.size()) == sections->preamble.sql);
    if (sections->down) {
        FUZZ_CHECK(content.substr(content.size() - sections->down->sql.size()) ==
                   sections->down->sql);
        FUZZ_CHECK(sections->down->first_line > sections->up.first_line &&
                   sections->down->first_line <= lines + 1);
    }
}

void check_set(const strata::migration_set& set) {
    for (const auto& d : set.diagnostics) {
        FUZZ_CHECK(!d.message.empty() && !d.where.file.empty() && d.where.line >= 0, d.message);
    }
    for (std::size_t i = 0; i < set.migrations.size(); ++i) {
        const auto& m = set.migrations[i];
        FUZZ_CHECK(i == 0 || set.migrations[i - 1].version <= m.version, m.id());
        const auto parsed = strata::migration_version::parse(m.version.str(), m.version.rule());
        FUZZ_CHECK(parsed && *parsed == m.version, m.id());
        FUZZ_CHECK(m.down.has_value() == (m.reversal == strata::reversal::script), m.id());
        FUZZ_CHECK(m.checksum == strata::script_checksum(m.up.sql), m.id());
        FUZZ_CHECK(m.up.first_line >= 1, m.id());
        FUZZ_CHECK(!m.down || m.down->first_line >= 1, m.id());
    }
    if (!set.ok())
        return;
    FUZZ_CHECK(set.layout.has_value() == !set.migrations.empty());
    for (std::size_t i = 0; i < set.migrations.size(); ++i) {
        const auto& m = set.migrations[i];
        FUZZ_CHECK(i == 0 || set.migrations[i - 1].version < m.version, m.id());
        FUZZ_CHECK(set.find(m.version) == &m, m.id());
        // Exactly the migrations whose reversal is missing have a finding
        // (versions are unique here).
        const bool found =
            std::any_of(set.missing_downs.begin(), set.missing_downs.end(),
                        [&](const strata::diagnostic& d) { return d.version == m.version.str(); });
        FUZZ_CHECK(found == (m.reversal == strata::reversal::missing), m.id());
        FUZZ_CHECK(m.version.rule() == set.rule(), m.id());
        if (m.down)
            FUZZ_CHECK(strata::has_statement(m.down->sql), m.id());
        if (m.reversal == strata::reversal::nothing)
            FUZZ_CHECK(m.is_no_op(), m.id());
        if (m.reversal == strata::reversal::missing)
            FUZZ_CHECK(!m.is_no_op(), m.id());
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto fields = strata::fuzz::split(strata::fuzz::as_text(data, size), '\0');
    const fs::path& dir = work_directory();
    for (std::size_t i = 0; i + 1 < fields.size() && i / 2 < max_files; i += 2) {
        check_file(fields[i], fields[i + 1]);
        write(dir / file_name(fields[i]), fields[i + 1]);
    }
    check_set(strata::read_migration_set(dir));

    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec))
        fs::remove_all(entry.path(), ec);
    return 0;
}
