// What every reader of SQL text in the engine makes of a fixed set of inputs,
// compared with what it made when the outputs were recorded. The outputs in
// data/sql_golden.tsv were recorded from the four scanners that the one
// lexer (src/sql/lexer.hpp) replaced; this test is the proof that the
// replacement changed no statement split, token, canonical spelling, query
// parameter, directive or finding.
//
// Inputs: every fuzz corpus input (tests/fuzz/corpus) and every .sql file
// under tests/. Each line of the recording is `input <TAB> facet <TAB> hash`;
// a mismatch prints the facet as it is now.
//
//   STRATA_SQL_GOLDEN_RECORD=1       rewrite the recording (only from code
//                                    whose outputs are known to be right)
//   STRATA_SQL_GOLDEN_INPUTS=<dir>   read the inputs from <dir> instead (real
//   STRATA_SQL_GOLDEN_FILE=<file>    public sets, compared by hand) and
//                                    record to or compare with <file>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "migrations/internal/dbmate_file.hpp"
#include "migrations/internal/directives.hpp"
#include "migrations/internal/lint.hpp"
#include "sql/lexer.hpp"
#include "sql/postgres_statements.hpp"
#include "sql/text.hpp"
#include "sql/tokens.hpp"
#include "sqlite/statements.hpp"
#include "tooling/queries/query_file.hpp"

namespace fs = std::filesystem;

namespace {

const fs::path source_root = STRATA_SOURCE_DIR;

std::string read_all(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// FNV-1a: stable across compilers and runs, unlike std::hash.
std::string hash_of(const std::string& text) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char c : text) {
        h ^= c;
        h *= 0x100000001b3ULL;
    }
    std::ostringstream out;
    out << std::hex << h;
    return out.str();
}

using facets = std::map<std::string, std::string>;  // facet -> its output as text

std::string spans_text(std::string_view sql,
                       const std::vector<strata::detail::statement_span>& spans) {
    std::ostringstream out;
    for (const auto& s : spans) {
        const auto statement = sql.substr(s.begin, s.end - s.begin);
        out << s.begin << '-' << s.end << " first=" << strata::first_keyword(statement)
            << " control=" << strata::transaction_control_keyword(statement) << " skip="
            << strata::sql::skip_blank_and_comments(statement, strata::sql::dialect::sqlite)
            << " has=" << strata::has_statement(statement) << '\n';
    }
    return out.str();
}

std::string tokens_text(std::string_view sql) {
    std::ostringstream out;
    for (const auto& t : strata::tokenize_sql(sql))
        out << static_cast<int>(t.kind) << '@' << t.offset << ':' << t.text << '\n';
    return out.str();
}

std::string findings_text(const strata::diagnostics& found) {
    std::ostringstream out;
    for (const auto& d : found)
        out << d.kind << ' ' << d.where.file << ':' << d.where.line << ' ' << d.message << '\n';
    return out.str();
}

std::string queries_text(std::string_view sql) {
    const auto parsed = strata::parse_query_file(sql, "q.sql");
    std::ostringstream out;
    for (const auto& q : parsed.queries) {
        out << q.name << '|' << q.cardinality << '|' << q.where.line << '|' << q.sql_line << '|'
            << q.doc << '|' << q.sql << '|' << q.sqlite_sql << '|' << q.postgres_sql << '|';
        for (const auto& p : q.parameters)
            out << p << ',';
        out << '\n';
    }
    return out.str() + findings_text(parsed.findings);
}

std::string migration_text(const std::string& sql) {
    strata::diagnostics found;
    const strata::script up{sql, "up.sql", 1};
    const auto d = strata::read_directives(up, found);
    std::ostringstream out;
    out << "no_transaction=" << d.no_transaction << " irreversible=" << d.irreversible << '\n';
    strata::migration m{*strata::migration_version::parse("1", strata::version_rule::text), "m",
                        up};
    out << findings_text(found) << findings_text(strata::lint_migration(m));
    strata::diagnostics dbmate_found;
    if (const auto sections = strata::detail::split_dbmate_file(sql, "f.sql", dbmate_found))
        out << "dbmate up@" << sections->up.first_line << ' ' << hash_of(sections->up.sql)
            << " down=" << (sections->down ? hash_of(sections->down->sql) : "-") << '\n';
    out << findings_text(dbmate_found);
    return out.str();
}

facets facets_of(const std::string& sql) {
    facets f;
    f["sqlite_split"] = spans_text(sql, strata::detail::split_sqlite_statements(sql));
    f["postgres_split"] = spans_text(sql, strata::detail::split_postgres_statements(sql));
    f["blank"] =
        std::to_string(strata::sql::skip_blank_and_comments(sql, strata::sql::dialect::sqlite)) +
        ' ' + std::to_string(strata::has_statement(sql)) + ' ' + strata::first_keyword(sql) + ' ' +
        strata::transaction_control_keyword(sql);
    f["tokens"] = tokens_text(sql);
    f["canonical"] = strata::canonical_sql(sql) + '\n' + strata::canonical_statement(sql);
    f["queries"] = queries_text(sql);
    f["migration"] = migration_text(sql);
    return f;
}

// Input name (relative to its root) -> path, sorted.
std::map<std::string, fs::path> inputs(const fs::path& root, bool sql_only) {
    std::map<std::string, fs::path> found;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
        if (!entry.is_regular_file())
            continue;
        const auto ext = entry.path().extension();
        if (sql_only && ext != ".sql")
            continue;
        if (ext == ".dict")
            continue;
        found[entry.path().lexically_relative(root).generic_string()] = entry.path();
    }
    return found;
}

std::map<std::string, fs::path> default_inputs() {
    auto found = inputs(source_root / "tests/fuzz/corpus", false);
    for (auto& [name, path] : inputs(source_root / "tests", true))
        found.emplace("tests/" + name, path);
    return found;
}

// Outputs the lexer changed on purpose: the recording keeps the old output,
// and these pin the new one, with the reason. Only inputs written to probe
// the scanners' disagreements belong here; no fuzz input and no real set
// changed.
struct intended_change {
    const char* key;
    const char* now;  // the hash of the output as it is now
    const char* why;
};
const intended_change changed_on_purpose[] = {
    {"tests/unit/data/sql_edge_cases/dollar.sql\tpostgres_split", "4826a8f019fbcb87",
     "`$a$x$a$$$`: psql opens a new dollar quote right where one closes (psql 15 sends "
     "`SELECT $a$x$a$$$, 1; SELECT 2; $$;` as one statement); the old splitter did not"},
};

TEST(SqlGolden, EveryReaderOfSqlGivesTheRecordedOutputs) {
    const char* inputs_dir = std::getenv("STRATA_SQL_GOLDEN_INPUTS");
    const char* file_env = std::getenv("STRATA_SQL_GOLDEN_FILE");
    const fs::path recording =
        file_env ? fs::path(file_env) : source_root / "tests/unit/data/sql_golden.tsv";
    const auto input_files = inputs_dir ? inputs(inputs_dir, true) : default_inputs();
    ASSERT_GT(input_files.size(), 100u) << "the inputs were not found";

    std::ostringstream now;
    std::map<std::string, std::pair<std::string, std::string>> current;  // key -> hash, text
    for (const auto& [name, path] : input_files)
        for (const auto& [facet, text] : facets_of(read_all(path))) {
            const std::string h = hash_of(text);
            now << name << '\t' << facet << '\t' << h << '\n';
            current[name + '\t' + facet] = {h, text};
        }

    if (std::getenv("STRATA_SQL_GOLDEN_RECORD")) {
        std::ofstream(recording, std::ios::binary) << now.str();
        GTEST_SKIP() << "recorded " << current.size() << " outputs to " << recording;
    }

    std::istringstream recorded(read_all(recording));
    ASSERT_FALSE(recorded.str().empty()) << "no recording at " << recording;
    std::size_t compared = 0;
    for (std::string line; std::getline(recorded, line);) {
        const auto tab = line.rfind('\t');
        const std::string key = line.substr(0, tab);
        const auto it = current.find(key);
        if (it == current.end()) {
            ADD_FAILURE() << "recorded input no longer read: " << key;
            continue;
        }
        ++compared;
        const auto change =
            std::find_if(std::begin(changed_on_purpose), std::end(changed_on_purpose),
                         [&](const intended_change& c) { return key == c.key; });
        if (change != std::end(changed_on_purpose)) {
            EXPECT_NE(it->second.first, line.substr(tab + 1)) << key << " no longer changed";
            EXPECT_EQ(it->second.first, change->now) << key << " (" << change->why << ") is now:\n"
                                                     << it->second.second;
            continue;
        }
        EXPECT_EQ(it->second.first, line.substr(tab + 1))
            << key << " differs from the recording; it is now:\n"
            << it->second.second;
    }
    // Inputs added after the recording (new fuzz seeds) have no old output to
    // compare with; every recorded one must still be read (above).
    EXPECT_LE(compared, current.size());
}

}  // namespace
