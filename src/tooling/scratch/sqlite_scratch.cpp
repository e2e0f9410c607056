#include "tooling/scratch/sqlite_scratch.hpp"

#include <SQLiteCpp/Statement.h>
#include <sqlite3.h>

#include <fmt/format.h>

#include "sql/postgres_statements.hpp"
#include "sql/text.hpp"
#include "sqlite/schema.hpp"

namespace strata {

scratch_database::scratch_database()
    : db_(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLITE_OPEN_NOMUTEX),
      backend_(std::make_unique<sqlite_database>(db_)) {}

schema scratch_database::schema() {
    return read_sqlite_schema(db_);
}

void scratch_database::fingerprint(std::string& into) {
    sqlite_schema_fingerprint(db_, into);
}

namespace {

bool has_pragma(const script& s) {
    for (const auto& span : detail::split_postgres_statements(s.sql))
        if (first_keyword(std::string_view(s.sql).substr(span.begin)) == "PRAGMA")
            return true;
    return false;
}

}  // namespace

diagnostics scratch_database::violations_after(const migration& m, bool last) {
    diagnostics found;
    const bool checks_ignored = db_.execAndGet("PRAGMA ignore_check_constraints").getInt() != 0;
    if (!last && !has_pragma(m.up) && !checks_ignored)
        return found;
    // integrity_check skips CHECK constraints while they are ignored.
    db_.exec("PRAGMA ignore_check_constraints = OFF");
    auto report = [&](const char* kind, const std::string& what) {
        found.push_back({severity::error,
                         kind,
                         {m.up.file, 0},
                         m.version.str(),
                         "after migration " + m.id() + ": " + what,
                         {}});
    };
    SQLite::Statement orphans(db_, "PRAGMA foreign_key_check");
    std::string rows;
    int count = 0;
    while (orphans.executeStep())
        if (++count <= 5)  // enough to find the mistake
            rows += fmt::format("\n  {} row {} references {} that does not exist",
                                orphans.getColumn(0).getString(), orphans.getColumn(1).getString(),
                                orphans.getColumn(2).getString());
    if (count > 0)
        report("foreign-key", fmt::format("{} row(s) violate foreign key constraints{}{}", count,
                                          rows, count > 5 ? "\n  ..." : ""));
    SQLite::Statement integrity(db_, "PRAGMA integrity_check");
    std::string problems;
    while (integrity.executeStep())
        if (const std::string line = integrity.getColumn(0).getString(); line != "ok")
            problems += "\n  " + line;
    if (checks_ignored)
        db_.exec("PRAGMA ignore_check_constraints = ON");
    if (!problems.empty())
        report("integrity", "PRAGMA integrity_check reports:" + problems);
    return found;
}

}  // namespace strata
