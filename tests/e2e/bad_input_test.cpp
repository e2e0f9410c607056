// Bad input of every kind (issue 10, "Reliability"): a migration set that
// cannot be read or does not parse, SQL errors in each layout, history that no
// longer matches the files, databases that cannot be written, URLs that make
// no sense, names that try to escape. Each case checks the exit code that docs/cli.md documents
// (1 a check failed, 2 usage or bad input, 3 the database cannot be opened or
// reached), a message on stderr that names the file (and line) at fault and,
// for SQL, the database's own message, and that the database and the
// migration directory are exactly as they were.
//
// Choices where docs/ is silent, as the engine implements them:
// - A UTF-8 byte order mark is accepted and stripped when the file is read,
//   as Flyway does: it is never sent to the database, lines count as the
//   editor shows them, and the checksum is that of the text without it.
// - A file that is not UTF-8 (Latin-1, UTF-16, a NUL byte) is refused with
//   its line and column: SQLite would store the bytes as they are, and
//   PostgreSQL would fail on them part way through.
// - A file of the set larger than 64 MiB is refused before it is read
//   (read_options::max_file_size): data of that size is loaded another way.
// - Anything that is not a regular file where a script should be (a FIFO, a
//   directory, a symlink loop) is an error naming it; nothing blocks.
// - Versions have no integer limit: 30 digits apply and sort by their number.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "backend_test.hpp"
#include "postgres.hpp"

namespace fs = std::filesystem;
using strata::test::backend;
using strata::test::process_result;
using strata::test::process_spec;
using strata::test::read_file;
using strata::test::write_file;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

class BadInputTest;

// One bad input. The base migration 0001_base (a table `base` with one row)
// is written in `layout` and applied first, unless `layout` is empty.
struct bad_input {
    std::string name;
    std::vector<backend> backends;
    std::string layout = "diesel";
    // Writes the case's files (and applies what must be applied before).
    std::function<void(BadInputTest&)> arrange;
    // The arguments after `--url URL`.
    std::vector<std::string> args;
    int exit_code = 1;
    // What stderr must say, on every backend and on each one.
    std::vector<std::string> err;
    std::string sqlite_err;
    std::string postgres_err;
    // The URL instead of the test database's; "-": no --url at all.
    std::function<std::string(BadInputTest&)> url;
    // Run strata without the privilege to ignore file permissions (as
    // `nobody` when the tests run as root, where chmod 000 stops nothing).
    bool unprivileged = false;
    // Held while strata runs, released before the database is compared: a
    // lock that another connection holds.
    std::function<std::shared_ptr<void>(BadInputTest&)> hold;
    // More checks of the result.
    std::function<void(BadInputTest&, const process_result&)> also;
};

void PrintTo(const bad_input& c, std::ostream* out) {
    *out << c.name;
}

using param = std::tuple<backend, bad_input>;

// How `strata ARGS...` in `cwd` ended, and its peak resident memory in KiB.
// Through GNU time: a child forked from this (larger) process would count
// the pages it shares with it until exec.
struct peak_rss {
    int exit_code;
    long kib;
};

peak_rss measure_peak_rss(const fs::path& cwd, const std::vector<std::string>& args) {
    const strata::test::scratch_directory out("strata-e2e-peak-rss");
    const fs::path report = out / "peak-rss.txt";
    process_spec spec;
    spec.argv = {"/usr/bin/time", "-f", "%M", "-o", report.string(), STRATA_EXE};
    spec.argv.insert(spec.argv.end(), args.begin(), args.end());
    spec.cwd = cwd;
    const auto r = strata::test::run_process(spec);
    // The last line; one before it tells a non-zero exit.
    std::string text = fs::exists(report) ? read_file(report) : "";
    while (!text.empty() && text.back() == '\n')
        text.pop_back();
    const std::string kib = text.substr(text.find_last_of('\n') + 1);
    if (r.timed_out || kib.empty() || kib.find_first_not_of("0123456789") != std::string::npos)
        throw std::runtime_error("no peak memory from /usr/bin/time: " + r.describe());
    return {r.exit_code, std::stol(kib)};
}

// Where nobody can read: setpriv drops root's privileges for one run.
const char* const setpriv = "/usr/bin/setpriv";

class BadInputTest : public strata::test::backend_test<param> {
  public:
    BadInputTest() : backend_test("strata-e2e-bad-input") {}

    const bad_input& input() const { return std::get<1>(GetParam()); }
    const fs::path& root() const { return dir.path(); }
    strata::test::test_database& db_under_test() const { return *database; }

    void write(const std::string& path, const std::string& content) const {
        write_file(dir / path, content);
    }

    // Runs strata on the test's database; must succeed (setting up a case).
    void apply(const std::vector<std::string>& args = {"up"}) const {
        const auto r = db(args);
        ASSERT_EQ(r.exit_code, 0) << r.describe();
    }

    // 0001_base in `layout`, applied.
    void apply_base(const std::string& layout) const {
        const std::string up =
            "CREATE TABLE base (id INTEGER PRIMARY KEY, label TEXT);\n"
            "INSERT INTO base (id, label) VALUES (1, 'first');\n";
        if (layout == "diesel") {
            write("migrations/0001_base/up.sql", up);
            write("migrations/0001_base/down.sql", "DROP TABLE base;\n");
        } else if (layout == "sqlx") {
            write("migrations/0001_base.up.sql", up);
            write("migrations/0001_base.down.sql", "DROP TABLE base;\n");
        } else {
            write("migrations/0001_base.sql",
                  "-- migrate:up\n" + up + "\n-- migrate:down\nDROP TABLE base;\n");
        }
        apply();
    }

    // A diesel migration with a harmless down script.
    void write_diesel(const std::string& id, const std::string& up,
                      const std::string& down = "SELECT 1;\n") const {
        write("migrations/" + id + "/up.sql", up);
        write("migrations/" + id + "/down.sql", down);
    }

    // Everything a failed run must leave as it was: the database (schema,
    // rows, tracking table) and every file of the scratch directory but
    // SQLite's own and the migration lock file.
    std::string state() const {
        std::string s = database->exists() ? database->dump() : "<no database>\n";
        std::error_code ec;
        for (auto it = fs::recursive_directory_iterator(
                 dir.path(), fs::directory_options::skip_permission_denied, ec);
             !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
            // Lexically: the case's symlink loops cannot be resolved.
            const auto relative = it->path().lexically_relative(dir.path()).generic_string();
            if (relative.rfind("test.db", 0) == 0)
                continue;
            const auto status = it->symlink_status(ec);
            s += relative + " " + std::to_string(static_cast<int>(status.type())) + " " +
                 std::to_string(static_cast<int>(status.permissions()));
            if (status.type() == fs::file_type::regular) {
                const auto size = fs::file_size(it->path(), ec);
                s += " " + std::to_string(size);
                // The bytes of small files; the 100 MB one by its size.
                if (size < (1 << 20) &&
                    (status.permissions() & fs::perms::owner_read) != fs::perms::none)
                    s += "\n" + read_file(it->path());
            }
            s += "\n";
        }
        return s;
    }

    process_result run_case() const {
        const bad_input& c = input();
        std::vector<std::string> args;
        const std::string url = c.url ? c.url(const_cast<BadInputTest&>(*this)) : database->url();
        if (url != "-")
            args = {"--url", url};
        args.insert(args.end(), c.args.begin(), c.args.end());
        if (!c.unprivileged || ::geteuid() != 0)
            return strata::test::run_strata(dir.path(), args);
        process_spec spec;
        spec.argv = {setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", STRATA_EXE};
        spec.argv.insert(spec.argv.end(), args.begin(), args.end());
        spec.cwd = dir.path();
        spec.env["DATABASE_URL"] = std::nullopt;
        return strata::test::run_process(spec);
    }

    // Whether strata can run without root's privileges here: setpriv exists
    // and `nobody` may execute the binary where it was built.
    static bool can_drop_privileges() {
        static const bool can = [] {
            if (::access(setpriv, X_OK) != 0)
                return false;
            process_spec spec;
            spec.argv = {setpriv,          "--reuid=65534", "--regid=65534",
                         "--clear-groups", STRATA_EXE,      "--version"};
            return strata::test::run_process(spec).exit_code == 0;
        }();
        return can;
    }

    // Gives back the permissions a case took away, so that the scratch
    // directory can be removed by a user that is not root.
    void TearDown() override {
        std::function<void(const fs::path&)> restore = [&](const fs::path& p) {
            std::error_code ec;
            const auto status = fs::symlink_status(p, ec);
            if (ec || status.type() == fs::file_type::symlink)
                return;
            fs::permissions(p, fs::perms::owner_all, fs::perm_options::add, ec);
            if (status.type() == fs::file_type::directory)
                for (const auto& entry : fs::directory_iterator(p, ec))
                    restore(entry.path());
        };
        restore(dir.path());
    }
};

// --- the cases --------------------------------------------------------------

const std::vector<backend> both = strata::test::all_backends;
const std::vector<backend> sqlite_only = {backend::sqlite};
const std::vector<backend> postgres_only = {backend::postgres};

std::string syntax_error(const std::string& token) {
    return "near \"" + token + "\": syntax error";
}
std::string postgres_syntax_error(const std::string& token) {
    return "syntax error at or near \"" + token + "\" (SQLSTATE 42601)";
}

// Three statements that each change something, the wrong one first, in
// the middle or last; `line` is where the wrong one is.
struct broken_script {
    std::string position;
    std::string sql;
    int line;
    std::string token;
};

const std::vector<broken_script> broken_scripts = {
    {"first",
     "-- the first statement is wrong\n"     // 1
     "CREATE TABEL one (id INTEGER);\n"      // 2
     "UPDATE base SET label = 'changed';\n"  // 3
     "CREATE TABLE two (id INTEGER);\n",     // 4
     2, "TABEL"},
    {"middle",
     "UPDATE base SET label = 'changed';\n"  // 1
     "CREATE TABLE one (\n"                  // 2
     "    id INTEGER\n"                      // 3
     ");\n"                                  // 4
     "INSERT INTO one (id) VALUS (1);\n"     // 5
     "CREATE TABLE two (id INTEGER);\n",     // 6
     5, "VALUS"},
    {"last",
     "UPDATE base SET label = 'changed';\n"  // 1
     "CREATE TABLE one (id INTEGER);\n"      // 2
     "INSERT INTO one (id) VALUES (1);\n"    // 3
     "\n"                                    // 4
     "/* and finally */\n"                   // 5
     "SELEC id FROM one;\n",                 // 6
     6, "SELEC"},
};

// A syntax error case for each layout and position.
std::vector<bad_input> syntax_error_cases() {
    std::vector<bad_input> cases;
    for (const std::string layout : {"diesel", "sqlx", "dbmate"}) {
        for (const auto& script : broken_scripts) {
            bad_input c;
            c.name = layout + "_syntax_error_" + script.position + "_statement";
            c.backends = both;
            c.layout = layout;
            c.args = {"up"};
            c.exit_code = 1;
            std::string file;
            int line = script.line;
            const std::string down = "DROP TABLE IF EXISTS two;\nDROP TABLE IF EXISTS one;\n";
            if (layout == "diesel") {
                file = "migrations/0002_broken/up.sql";
                c.arrange = [script, down](BadInputTest& t) {
                    t.write_diesel("0002_broken", script.sql, down);
                };
            } else if (layout == "sqlx") {
                file = "migrations/0002_broken.up.sql";
                c.arrange = [script, down](BadInputTest& t) {
                    t.write("migrations/0002_broken.up.sql", script.sql);
                    t.write("migrations/0002_broken.down.sql", down);
                };
            } else {
                // Lines count from the top of the file, the marker included.
                file = "migrations/0002_broken.sql";
                line += 2;
                c.arrange = [script, down](BadInputTest& t) {
                    t.write("migrations/0002_broken.sql", "-- a dbmate migration\n-- migrate:up\n" +
                                                              script.sql + "\n-- migrate:down\n" +
                                                              down);
                };
            }
            c.err = {file + ":" + std::to_string(line) +
                     ": error: migration 0002_broken failed, "
                     "rolled back: "};
            c.sqlite_err = syntax_error(script.token);
            c.postgres_err = postgres_syntax_error(script.token);
            cases.push_back(std::move(c));
        }
    }
    return cases;
}

// `url` with its password replaced.
std::string with_password(const std::string& url, const std::string& password) {
    const auto authority = url.find("://") + 3;
    const auto at = url.find('@', authority);
    const auto colon = url.find(':', authority);
    if (at == std::string::npos)
        return url.substr(0, authority) + "postgres:" + password + "@" + url.substr(authority);
    const auto user_end = colon < at ? colon : at;
    return url.substr(0, user_end) + ":" + password + url.substr(at);
}

std::shared_ptr<void> hold_lock(BadInputTest& t, const char* begin) {
    auto connection =
        std::make_shared<SQLite::Database>((t.root() / "test.db").string(), SQLite::OPEN_READWRITE);
    connection->exec(begin);
    return connection;
}

void chmod(const fs::path& p, fs::perms perms) {
    fs::permissions(p, perms, fs::perm_options::replace);
}

// Lets `nobody` into the scratch directory and read the set (unprivileged cases).
void open_scratch_to_others(BadInputTest& t) {
    chmod(t.root(), fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                        fs::perms::others_read | fs::perms::others_exec);
}

std::vector<bad_input> all_cases() {
    std::vector<bad_input> cases;
    const auto add = [&](bad_input c) { cases.push_back(std::move(c)); };

    // --- the migration directory ---------------------------------------------
    add({"missing_directory",
         both,
         "diesel",
         {},
         {"--dir", "no_such_dir", "up"},
         2,
         {"strata: error: migration directory 'no_such_dir' does not exist"}});
    add({"directory_is_a_file",
         both,
         "diesel",
         [](BadInputTest& t) { t.write("notes.txt", "not a directory\n"); },
         {"--dir", "notes.txt", "up"},
         2,
         {"migration directory 'notes.txt' is not a directory"}});
    {
        bad_input c{"unreadable_directory",
                    sqlite_only,
                    "diesel",
                    [](BadInputTest& t) {
                        t.write_diesel("0002_next", "CREATE TABLE next (id INTEGER);\n");
                        open_scratch_to_others(t);
                        chmod(t.root() / "migrations", fs::perms::none);
                    },
                    {"up"},
                    2,
                    {"strata: error: cannot read migration directory 'migrations': permission "
                     "denied"}};
        c.unprivileged = true;
        add(c);
    }
    {
        bad_input c{"unreadable_migration_subdirectory",
                    sqlite_only,
                    "diesel",
                    [](BadInputTest& t) {
                        t.write_diesel("0002_next", "CREATE TABLE next (id INTEGER);\n");
                        open_scratch_to_others(t);
                        chmod(t.root() / "migrations/0002_next", fs::perms::none);
                    },
                    {"up"},
                    1,
                    {"migrations/0002_next: error: cannot read migration directory: permission "
                     "denied"}};
        c.unprivileged = true;
        add(c);
    }
    {
        bad_input c{"unreadable_file",
                    sqlite_only,
                    "diesel",
                    [](BadInputTest& t) {
                        t.write_diesel("0002_next", "CREATE TABLE next (id INTEGER);\n");
                        open_scratch_to_others(t);
                        chmod(t.root() / "migrations/0002_next/up.sql", fs::perms::none);
                    },
                    {"up"},
                    1,
                    {"migrations/0002_next/up.sql: error: cannot read file: permission denied"}};
        c.unprivileged = true;
        add(c);
    }

    // --- files that are not UTF-8 text ---------------------------------------
    add({"latin1_file",
         both,
         "diesel",
         [](BadInputTest& t) {
             t.write_diesel("0002_cafe",
                            "CREATE TABLE menu (item TEXT);\n"
                            "INSERT INTO menu VALUES ('caf\xe9');\n");
         },
         {"up"},
         1,
         {"migrations/0002_cafe/up.sql:2: error: file is not valid UTF-8: byte 0xe9 at column "
          "30; save it as UTF-8"}});
    add({"latin1_down_script",
         both,
         "diesel",
         [](BadInputTest& t) {
             t.write_diesel("0002_cafe", "CREATE TABLE menu (item TEXT);\n",
                            "-- na\xefve\nDROP TABLE menu;\n");
         },
         {"up"},
         1,
         {"migrations/0002_cafe/down.sql:1: error: file is not valid UTF-8: byte 0xef at column "
          "6"}});
    add({"latin1_sqlx_file",
         both,
         "sqlx",
         [](BadInputTest& t) {
             t.write("migrations/0002_cafe.up.sql",
                     "CREATE TABLE menu (item TEXT);\n-- \xa9 2025\n");
             t.write("migrations/0002_cafe.down.sql", "DROP TABLE menu;\n");
         },
         {"up"},
         1,
         {"migrations/0002_cafe.up.sql:2: error: file is not valid UTF-8: byte 0xa9 at column 4"}});
    add({"latin1_dbmate_file",
         both,
         "dbmate",
         [](BadInputTest& t) {
             t.write("migrations/0002_cafe.sql",
                     "-- migrate:up\nCREATE TABLE menu (item TEXT);\n\n-- migrate:down\n"
                     "DROP TABLE menu; -- \xb0\n");
         },
         {"up"},
         1,
         {"migrations/0002_cafe.sql:5: error: file is not valid UTF-8: byte 0xb0 at column 21"}});
    add({"utf16_file",
         both,
         "diesel",
         [](BadInputTest& t) {
             t.write_diesel("0002_wide", std::string("\xff\xfe"
                                                     "C\0R\0E\0A\0T\0E\0",
                                                     14));
         },
         {"up"},
         1,
         {"migrations/0002_wide/up.sql:1: error: file is UTF-16 text; save it as UTF-8"}});
    add({"overlong_utf8_sequence",
         both,
         "diesel",
         [](BadInputTest& t) {
             t.write_diesel("0002_slash", "CREATE TABLE a (p TEXT DEFAULT '\xc0\xaf');\n");
         },
         {"up"},
         1,
         {"migrations/0002_slash/up.sql:1: error: file is not valid UTF-8: byte 0xc0 at column "
          "33"}});
    add({"nul_byte",
         both,
         "diesel",
         [](BadInputTest& t) {
             t.write_diesel("0002_binary",
                            std::string("CREATE TABLE a (id INTEGER);\n\0\x01\x02", 32));
         },
         {"up"},
         1,
         {"migrations/0002_binary/up.sql:2: error: file holds a NUL byte, which no SQL script "
          "does"}});
    add({"bom_then_syntax_error",
         both,
         "diesel",
         [](BadInputTest& t) {
             t.write_diesel("0002_bom",
                            "\xef\xbb\xbf"
                            "CREATE TABEL one (id INTEGER);\n");
         },
         {"up"},
         1,
         {"migrations/0002_bom/up.sql:1: error: migration 0002_bom failed"},
         syntax_error("TABEL"),
         postgres_syntax_error("TABEL"),
         {},
         false,
         {},
         [](BadInputTest&, const process_result& r) {
             EXPECT_THAT(r.err, Not(HasSubstr("\xef\xbb\xbf"))) << "the BOM reached the database";
         }});

    // --- scripts with nothing to run ------------------------------------------
    add({"empty_up_script",
         both,
         "diesel",
         [](BadInputTest& t) { t.write_diesel("0002_empty", ""); },
         {"up"},
         1,
         {"migrations/0002_empty/up.sql:1: error: up script is empty; write its statements, or a "
          "comment if it is meant to do nothing"}});
    // Up scripts of comments only are no-op migrations: BadInputAcceptedTest.

    // --- versions --------------------------------------------------------------
    add({"duplicate_versions",
         both,
         "diesel",
         [](BadInputTest& t) {
             t.write_diesel("0002_one", "CREATE TABLE one (id INTEGER);\n");
             t.write_diesel("0002_two", "CREATE TABLE two (id INTEGER);\n");
         },
         {"up"},
         1,
         {"migrations/0002_two/up.sql: error: duplicate version 0002: also used by "
          "migrations/0002_one/up.sql"}});
    add({"duplicate_versions_leading_zeros",
         both,
         "sqlx",
         [](BadInputTest& t) {
             t.write("migrations/2_one.up.sql", "CREATE TABLE one (id INTEGER);\n");
             t.write("migrations/2_one.down.sql", "DROP TABLE one;\n");
             t.write("migrations/002_two.up.sql", "CREATE TABLE two (id INTEGER);\n");
             t.write("migrations/002_two.down.sql", "DROP TABLE two;\n");
         },
         {"up"},
         1,
         {"error: duplicate version 2: also used by migrations/002_two.up.sql"}});
    add({"duplicate_versions_dashed_and_plain",
         both,
         "diesel",
         [](BadInputTest& t) {
             t.write_diesel("2025-01-20-120000_one", "CREATE TABLE one (id INTEGER);\n");
             t.write_diesel("20250120120000_two", "CREATE TABLE two (id INTEGER);\n");
         },
         {"up"},
         1,
         {"migrations/20250120120000_two/up.sql: error: duplicate version 20250120120000: also "
          "used by migrations/2025-01-20-120000_one/up.sql"}});
    add({"duplicate_versions_dbmate",
         both,
         "dbmate",
         [](BadInputTest& t) {
             t.write("migrations/0002_one.sql",
                     "-- migrate:up\nCREATE TABLE one (id INTEGER);\n-- migrate:down\nSELECT 1;\n");
             // dbmate's versions are text: 02 would be another version.
             t.write("migrations/0002-two.sql",
                     "-- migrate:up\nCREATE TABLE two (id INTEGER);\n-- migrate:down\nSELECT 1;\n");
         },
         {"up"},
         1,
         {"migrations/0002_one.sql: error: duplicate version 0002: also used by "
          "migrations/0002-two.sql"}});
    add({"up_to_a_30_digit_version_that_does_not_exist",
         both,
         "diesel",
         [](BadInputTest& t) { t.write_diesel("0002_next", "CREATE TABLE next (id INTEGER);\n"); },
         {"up", "--to", "123456789012345678901234567890"},
         2,
         {"--to 123456789012345678901234567890: no such migration"}});
    // A number (sqlx's rule) that no timestamp can follow; diesel's text
    // order puts 2026... after it.
    add({"new_after_a_30_digit_version",
         sqlite_only,
         "sqlx",
         [](BadInputTest& t) {
             t.write("migrations/123456789012345678901234567890_far.up.sql",
                     "CREATE TABLE far (id INTEGER);\n");
             t.write("migrations/123456789012345678901234567890_far.down.sql", "DROP TABLE far;\n");
         },
         {"new", "next"},
         2,
         {"the latest version of 'migrations' lies in the future; pass --sequential to number the "
          "new "
          "migration instead"},
         {},
         {},
         [](BadInputTest&) { return std::string("-"); }});

    // --- symlinks, FIFOs, directories where files belong, size ----------------
    add({"symlink_loop_named_like_a_migration",
         both,
         "diesel",
         [](BadInputTest& t) {
             fs::create_symlink("0002_loop", t.root() / "migrations/0002_loop");
         },
         {"up"},
         1,
         {"migrations/0002_loop: error: cannot read: too many levels of symbolic links"}});
    add({"symlink_loop_sql_file",
         both,
         "sqlx",
         [](BadInputTest& t) {
             fs::create_symlink("0002_loop.up.sql", t.root() / "migrations/0002_loop.up.sql");
             t.write("migrations/0002_loop.down.sql", "SELECT 1;\n");
         },
         {"up"},
         1,
         {"migrations/0002_loop.up.sql: error: cannot read file: too many levels of symbolic "
          "links"}});
    add({"symlink_loop_between_two_links",
         both,
         "diesel",
         [](BadInputTest& t) {
             fs::create_symlink("elsewhere", t.root() / "migrations/0002_there");
             fs::create_symlink("0002_there", t.root() / "migrations/elsewhere");
         },
         {"up"},
         1,
         {"migrations/0002_there: error: cannot read: too many levels of symbolic links"}});
    add({"symlink_loop_as_the_directory",
         both,
         "diesel",
         [](BadInputTest& t) { fs::create_symlink("loop", t.root() / "loop"); },
         {"--dir", "loop", "up"},
         2,
         {"strata: error: cannot read migration directory 'loop': too many levels of symbolic "
          "links"}});
    add({"symlink_to_the_parent_directory",
         both,
         "diesel",
         [](BadInputTest& t) {
             fs::create_directory_symlink("..", t.root() / "migrations/0002_up");
         },
         {"up"},
         1,
         {"migrations/0002_up: error: migration directory has no up.sql"}});
    add({"dangling_symlink",
         both,
         "diesel",
         [](BadInputTest& t) {
             fs::create_directory(t.root() / "migrations/0002_gone");
             fs::create_symlink("../../nowhere.sql", t.root() / "migrations/0002_gone/up.sql");
             t.write("migrations/0002_gone/down.sql", "SELECT 1;\n");
         },
         {"up"},
         1,
         {"migrations/0002_gone/up.sql: error: cannot read file: no such file or directory"}});
    add({"fifo_named_like_a_migration",
         both,
         "dbmate",
         [](BadInputTest& t) {
             ASSERT_EQ(::mkfifo((t.root() / "migrations/0002_pipe.sql").c_str(), 0644), 0);
         },
         {"up"},
         1,
         {"migrations/0002_pipe.sql: error: not a regular file"}});
    add({"directory_named_up_sql",
         both,
         "diesel",
         [](BadInputTest& t) {
             fs::create_directories(t.root() / "migrations/0002_odd/up.sql");
             t.write("migrations/0002_odd/down.sql", "SELECT 1;\n");
         },
         {"up"},
         1,
         {"migrations/0002_odd/up.sql: error: not a regular file"}});
    add({"file_of_100_mb",
         sqlite_only,
         "diesel",
         [](BadInputTest& t) {
             const std::string line = "INSERT INTO base (label) VALUES ('a row of seed data');\n";
             std::string sql;
             sql.reserve(100 * 1024 * 1024 + line.size());
             while (sql.size() < 100 * 1024 * 1024)
                 sql += line;
             t.write_diesel("0002_huge", sql);
         },
         {"up"},
         1,
         {"migrations/0002_huge/up.sql: error: file is larger than 64 MiB, the limit for a "
          "migration file; split it, or load the data another way (COPY, .import)"},
         {},
         {},
         {},
         false,
         {},
         [](BadInputTest& t, const process_result& r) {
             EXPECT_FALSE(r.timed_out);
             // Strata did not read the file into memory: refusing it costs
             // less than a fifth of its size more than applying a small set
             // (measured against that baseline, so that it holds in a sanitized
             // build too).
             const strata::test::scratch_directory small("strata-e2e-bad-input-small");
             write_file(small / "migrations/0001_base/up.sql", "CREATE TABLE base (id INTEGER);\n");
             write_file(small / "migrations/0001_base/down.sql", "DROP TABLE base;\n");
             const auto baseline =
                 measure_peak_rss(small.path(), {"--url", "sqlite:small.db", "up"});
             const auto refusing =
                 measure_peak_rss(t.root(), {"--url", t.db_under_test().url(), "up"});
             EXPECT_EQ(baseline.exit_code, 0);
             EXPECT_EQ(refusing.exit_code, 1);
             EXPECT_LT(refusing.kib, baseline.kib + 20 * 1024)
                 << "KiB, baseline " << baseline.kib << " KiB";
         }});

    // --- history that no longer matches the files --------------------------------
    add({"migration_removed_after_it_was_applied",
         both,
         "diesel",
         [](BadInputTest& t) {
             t.write_diesel("0002_extra", "CREATE TABLE extra (id INTEGER);\n",
                            "DROP TABLE extra;\n");
             t.apply();
             fs::remove_all(t.root() / "migrations/0002_extra");
             t.write_diesel("0003_pending", "CREATE TABLE pending (id INTEGER);\n");
         },
         {"up"},
         1,
         {"strata: error: applied migrations do not match the files:\n"
          "  missing  0002_extra: applied, but no longer on disk\n"
          "restore the migration, or pass --ignore-missing to proceed anyway"}});
    add({"migration_removed_then_reverted",
         both,
         "diesel",
         [](BadInputTest& t) {
             t.write_diesel("0002_extra", "CREATE TABLE extra (id INTEGER);\n",
                            "DROP TABLE extra;\n");
             t.apply();
             fs::remove_all(t.root() / "migrations/0002_extra");
         },
         {"down"},
         1,
         {"strata: error: cannot revert 0002_extra: it is applied but its files are missing"}});
    add({"migration_edited_after_it_was_applied",
         both,
         "diesel",
         [](BadInputTest& t) {
             t.write_diesel("0002_extra", "CREATE TABLE extra (id INTEGER);\n",
                            "DROP TABLE extra;\n");
             t.apply();
             t.write("migrations/0002_extra/up.sql", "CREATE TABLE extra (id BIGINT);\n");
             t.write_diesel("0003_pending", "CREATE TABLE pending (id INTEGER);\n");
         },
         {"up"},
         1,
         {"  modified 0002_extra (migrations/0002_extra/up.sql): the up script changed after it "
          "ran\nrestore the applied file, or pass --allow-modified to proceed anyway"}});
    add({"down_script_syntax_error",
         both,
         "diesel",
         [](BadInputTest& t) {
             t.write_diesel("0002_pair", "CREATE TABLE one (id INTEGER);\n",
                            "DELETE FROM one;\n"   // 1
                            "DROP TABEL one;\n");  // 2
             t.apply();
         },
         {"down"},
         1,
         {"migrations/0002_pair/down.sql:2: error: revert of 0002_pair failed, rolled back: "},
         syntax_error("TABEL"),
         postgres_syntax_error("TABEL")});

    // --- SQLite databases that cannot be written -------------------------------
    {
        bad_input c{"read_only_database_file",
                    sqlite_only,
                    "diesel",
                    [](BadInputTest& t) {
                        t.write_diesel("0002_next", "CREATE TABLE next (id INTEGER);\n");
                        open_scratch_to_others(t);
                        chmod(t.root() / "test.db", fs::perms::owner_read | fs::perms::group_read |
                                                        fs::perms::others_read);
                    },
                    {"up"},
                    3,
                    {"strata: error: cannot open sqlite database 'test.db' for writing: the "
                     "file is read-only"}};
        c.unprivileged = true;
        add(c);
    }
    {
        bad_input c{"database_locked_past_the_busy_timeout",
                    sqlite_only,
                    "diesel",
                    [](BadInputTest& t) {
                        t.write_diesel("0002_next", "CREATE TABLE next (id INTEGER);\n");
                    },
                    {"--lock-timeout", "1", "up"},
                    3,
                    {"strata: error: sqlite database 'test.db' stayed locked by another "
                     "connection for longer than the lock timeout: database is locked; pass a "
                     "longer --lock-timeout (seconds) to wait longer"}};
        c.hold = [](BadInputTest& t) { return hold_lock(t, "BEGIN IMMEDIATE"); };
        add(c);
    }
    {
        bad_input c{"database_exclusively_locked",
                    sqlite_only,
                    "diesel",
                    [](BadInputTest& t) {
                        t.write_diesel("0002_next", "CREATE TABLE next (id INTEGER);\n");
                    },
                    {"--lock-timeout", "1", "up"},
                    3,
                    {"strata: error: cannot use sqlite database 'test.db': database is locked"}};
        c.hold = [](BadInputTest& t) {
            auto held = hold_lock(t, "BEGIN EXCLUSIVE");
            // EXCLUSIVE is taken at the first write.
            std::static_pointer_cast<SQLite::Database>(held)->exec("UPDATE base SET label = label");
            return held;
        };
        add(c);
    }
    add({"disk_full",
         sqlite_only,
         "diesel",
         [](BadInputTest& t) {
             t.write_diesel(
                 "0002_fill",
                 "CREATE TABLE filler (id INTEGER PRIMARY KEY, payload TEXT);\n"  // 1
                 "UPDATE base SET label = 'changed';\n"                           // 2
                 "-- the database may not grow any more: a full disk\n"           // 3
                 "PRAGMA max_page_count = 1;\n"                                   // 4
                 "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)\n"
                 "INSERT INTO filler (payload) SELECT printf('%.1000c', 'x') FROM n;\n",
                 "DROP TABLE filler;\n");
         },
         {"up"},
         1,
         {"migrations/0002_fill/up.sql:5: error: migration 0002_fill failed, rolled back: "
          "database or disk is full"}});
    add({"file_that_is_not_a_database",
         sqlite_only,
         "",
         [](BadInputTest& t) {
             t.write_diesel("0001_next", "CREATE TABLE next (id INTEGER);\n");
             t.write("notes.db", "My notes. Not a database, though the name says so.\n");
         },
         {"up"},
         3,
         {"strata: error: cannot use sqlite database 'notes.db': file is not a database"},
         {},
         {},
         [](BadInputTest&) { return std::string("sqlite:notes.db"); }});

    // --- URLs --------------------------------------------------------------------
    const auto fixed_url = [](std::string url) { return [url](BadInputTest&) { return url; }; };
    add({"url_unknown_scheme",
         sqlite_only,
         "diesel",
         {},
         {"up"},
         2,
         {"strata: error: unsupported database url 'mysql://app@localhost/app' (expected "
          "sqlite:path, sqlite::memory: or postgres://...)"},
         {},
         {},
         fixed_url("mysql://app@localhost/app")});
    add({"url_without_scheme",
         sqlite_only,
         "diesel",
         {},
         {"up"},
         2,
         {"strata: error: unsupported database url 'app.db'"},
         {},
         {},
         fixed_url("app.db")});
    add({"url_sqlite_missing_path",
         sqlite_only,
         "diesel",
         {},
         {"up"},
         2,
         {"strata: error: sqlite url 'sqlite:' names no file (use sqlite:path/to.db or "
          "sqlite::memory:)"},
         {},
         {},
         fixed_url("sqlite:")});
    add({"url_sqlite_slashes_missing_path",
         sqlite_only,
         "diesel",
         {},
         {"up"},
         2,
         {"strata: error: sqlite url 'sqlite://?synchronous=off' names no file"},
         {},
         {},
         fixed_url("sqlite://?synchronous=off")});
    add({"url_port_not_a_number",
         sqlite_only,
         "diesel",
         {},
         {"up"},
         2,
         {"strata: error: invalid postgres url 'postgres://app:***@localhost:54x2/app': the port "
          "is not a number"},
         {},
         {},
         fixed_url("postgres://app:s3cret@localhost:54x2/app"),
         false,
         {},
         [](BadInputTest&, const process_result& r) {
             EXPECT_THAT(r.all_output(), Not(HasSubstr("s3cret")));
         }});
    add({"url_port_out_of_range",
         sqlite_only,
         "diesel",
         {},
         {"up"},
         2,
         {"strata: error: invalid postgres url 'postgres://app@localhost:99999/app': port 99999 "
          "is out of range (1 to 65535)"},
         {},
         {},
         fixed_url("postgres://app@localhost:99999/app")});
    add({"url_unclosed_ipv6_host",
         sqlite_only,
         "diesel",
         {},
         {"up"},
         2,
         {"strata: error: invalid postgres url 'postgres://app@[::1/app': ", "IPv6 host address"},
         {},
         {},
         fixed_url("postgres://app@[::1/app")});
    add({"url_unknown_parameter",
         sqlite_only,
         "diesel",
         {},
         {"up"},
         2,
         {"strata: error: invalid postgres url 'postgres://app@localhost/app?colour=blue': "
          "invalid URI query parameter: \"colour\""},
         {},
         {},
         fixed_url("postgres://app@localhost/app?colour=blue")});

    // --- PostgreSQL servers that say no --------------------------------------------
    const auto no_password_leak = [](BadInputTest&, const process_result& r) {
        EXPECT_THAT(r.all_output(), Not(HasSubstr("Wr0ngPassw0rd"))) << r.describe();
    };
    add({"postgres_wrong_password",
         postgres_only,
         "diesel",
         {},
         {"up"},
         3,
         {"strata: error: cannot connect to 'postgres://", ":***@",
          "password authentication failed for user"},
         {},
         {},
         [](BadInputTest& t) { return with_password(t.db_under_test().url(), "Wr0ngPassw0rd"); },
         false,
         {},
         no_password_leak});
    add({"postgres_unreachable_port",
         postgres_only,
         "diesel",
         {},
         {"up"},
         3,
         {"strata: error: cannot connect to 'postgres://", "@127.0.0.1:1/",
          "port 1 failed: Connection refused"},
         {},
         {},
         [](BadInputTest&) {
             return "postgres://app:Wr0ngPassw0rd@127.0.0.1:1/app?connect_timeout=5";
         },
         false,
         {},
         no_password_leak});
    add({"postgres_database_does_not_exist",
         postgres_only,
         "diesel",
         {},
         {"up"},
         3,
         {"strata: error: cannot connect to 'postgres://",
          "database \"strata_no_such_database\" does not exist"},
         {},
         {},
         [](BadInputTest&) {
             return strata::test::with_database(strata::test::postgres_server_url(),
                                                "strata_no_such_database");
         }});

    // --- names of new migrations ------------------------------------------------
    for (const auto& [label, name] :
         std::vector<std::pair<std::string, std::string>>{{"slash", "a/b"},
                                                          {"parent", "../escape"},
                                                          {"dotdot", ".."},
                                                          {"absolute", "/tmp/strata-escape"},
                                                          {"nested_parent", "x/../../escape"}}) {
        add({"new_name_with_" + label,
             sqlite_only,
             "diesel",
             {},
             {"new", name},
             2,
             {"strata: error: migration name '" + name +
              "' must be letters, digits, '_' and '-' only"},
             {},
             {},
             [](BadInputTest&) { return std::string("-"); },
             false,
             {},
             [](BadInputTest& t, const process_result&) {
                 EXPECT_FALSE(fs::exists(t.root().parent_path() / "escape"));
                 EXPECT_FALSE(fs::exists("/tmp/strata-escape"));
             }});
    }

    for (auto& c : syntax_error_cases())
        cases.push_back(std::move(c));
    return cases;
}

std::vector<param> instances() {
    std::vector<param> out;
    for (const auto& c : all_cases())
        for (backend b : c.backends)
            out.emplace_back(b, c);
    return out;
}

TEST_P(BadInputTest, FailsClearlyAndChangesNothing) {
    const bad_input& c = input();
    if (c.unprivileged && ::geteuid() == 0 && !can_drop_privileges())
        GTEST_SKIP() << "running as root, where permissions do not stop reads, and " << setpriv
                     << " cannot run strata as nobody here";
    if (!c.layout.empty()) {
        ASSERT_NO_FATAL_FAILURE(apply_base(c.layout));
    }
    if (c.arrange) {
        ASSERT_NO_FATAL_FAILURE(c.arrange(*this));
    }
    const std::string before = state();
    std::shared_ptr<void> held = c.hold ? c.hold(*this) : nullptr;

    const auto started = std::chrono::steady_clock::now();
    const process_result r = run_case();
    const auto elapsed = std::chrono::steady_clock::now() - started;
    held.reset();

    EXPECT_EQ(r.exit_code, c.exit_code) << r.describe();
    EXPECT_FALSE(r.timed_out) << r.describe();
    EXPECT_LT(elapsed, std::chrono::seconds(30)) << r.describe();
    for (const auto& text : c.err)
        EXPECT_THAT(r.err, HasSubstr(text)) << r.describe();
    const std::string& own = database->kind() == backend::sqlite ? c.sqlite_err : c.postgres_err;
    if (!own.empty()) {
        EXPECT_THAT(r.err, HasSubstr(own)) << r.describe();
    }
    EXPECT_THAT(r.out, Not(HasSubstr("applied 0"))) << r.describe();
    EXPECT_EQ(state(), before) << "the database or the files changed\n" << r.describe();
    if (c.also)
        c.also(*this, r);
}

INSTANTIATE_TEST_SUITE_P(Cases, BadInputTest, ::testing::ValuesIn(instances()),
                         [](const ::testing::TestParamInfo<param>& instance) {
                             return std::get<1>(instance.param).name + "_" +
                                    strata::test::to_string(std::get<0>(instance.param));
                         });

// --- inputs that are odd but fine -------------------------------------------------

class BadInputAcceptedTest : public strata::test::backend_test<> {
  protected:
    BadInputAcceptedTest() : backend_test("strata-e2e-bad-input-ok") {}

    std::string checksum_of(const std::string& version) const {
        for (const auto& row : database->tracking())
            if (row.version == version)
                return row.checksum;
        return "<not recorded>";
    }
};

// CRLF files apply, and their checksum is that of the same file with LF: a
// checkout on Windows is not a modification.
TEST_P(BadInputAcceptedTest, CrlfLineEndingsApplyWithTheChecksumOfLf) {
    const std::string lf =
        "-- two tables\nCREATE TABLE one (\n    id INTEGER\n);\nCREATE TABLE two (id INTEGER);\n";
    std::string crlf;
    for (char ch : lf)
        crlf += ch == '\n' ? std::string("\r\n") : std::string(1, ch);
    write_file(dir / "migrations/0001_crlf/up.sql", crlf);
    write_file(dir / "migrations/0001_crlf/down.sql", "DROP TABLE two;\r\nDROP TABLE one;\r\n");
    write_file(dir / "lf/0001_crlf/up.sql", lf);
    write_file(dir / "lf/0001_crlf/down.sql", "DROP TABLE two;\nDROP TABLE one;\n");

    auto r = db({"up"});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_TRUE(database->has_table("one"));
    EXPECT_TRUE(database->has_table("two"));
    const std::string applied = checksum_of("0001");

    // The LF twin is the same migration: applied, not modified.
    auto status = db({"--dir", "lf", "status", "--json", "--exit-code"});
    EXPECT_EQ(status.exit_code, 0) << status.describe();
    const auto rows = nlohmann::json::parse(status.out);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].at("status"), "applied");
    EXPECT_EQ(rows[0].at("checksum"), applied);
    EXPECT_EQ(rows[0].at("applied_checksum"), applied);

    auto down = db({"down"});
    EXPECT_EQ(down.exit_code, 0) << down.describe();
    EXPECT_FALSE(database->has_table("one"));
}

// A UTF-8 byte order mark is stripped when the file is read: the database
// never sees it, and the checksum is that of the file without it.
TEST_P(BadInputAcceptedTest, ByteOrderMarkIsStrippedBeforeTheDatabaseSeesIt) {
    const std::string bom = "\xef\xbb\xbf";
    const std::string up = "CREATE TABLE one (id INTEGER);\nINSERT INTO one VALUES (1);\n";
    write_file(dir / "migrations/0001_bom/up.sql", bom + up);
    write_file(dir / "migrations/0001_bom/down.sql", bom + "DROP TABLE one;\n");
    write_file(dir / "plain/0001_bom/up.sql", up);
    write_file(dir / "plain/0001_bom/down.sql", "DROP TABLE one;\n");

    auto r = db({"up"});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_EQ(database->column("SELECT id FROM one"), std::vector<std::string>{"1"});
    EXPECT_THAT(database->dump(), Not(HasSubstr(bom)));

    auto status = db({"--dir", "plain", "status", "--exit-code"});
    EXPECT_EQ(status.exit_code, 0) << "the BOM counted in the checksum\n" << status.describe();

    auto down = db({"down"});
    EXPECT_EQ(down.exit_code, 0) << down.describe();
    EXPECT_FALSE(database->has_table("one"));
}

TEST_P(BadInputAcceptedTest, ByteOrderMarkBeforeDbmateMarker) {
    write_file(dir / "db/0001_bom.sql",
               "\xef\xbb\xbf-- migrate:up\nCREATE TABLE one (id INTEGER);\n\n"
               "-- migrate:down\nDROP TABLE one;\n");
    auto r = db({"--dir", "db", "up"});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_TRUE(database->has_table("one"));
}

// Versions are digit strings compared by their number: 30 digits neither
// overflow nor sort as text.
// sqlx's versions are numbers (i64 in sqlx; no limit here).
TEST_P(BadInputAcceptedTest, ThirtyDigitVersionAppliesInNumericOrder) {
    const std::string big = "123456789012345678901234567890";
    write_file(dir / ("migrations/" + big + "_later.up.sql"), "CREATE TABLE later (id INTEGER);\n");
    write_file(dir / ("migrations/" + big + "_later.down.sql"), "DROP TABLE later;\n");
    write_file(dir / "migrations/99999999999999_earlier.up.sql",
               "CREATE TABLE earlier (id INTEGER);\n");
    write_file(dir / "migrations/99999999999999_earlier.down.sql", "DROP TABLE earlier;\n");

    auto r = db({"up"});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_LT(r.out.find("applied 99999999999999_earlier"), r.out.find("applied " + big)) << r.out;
    // The tracking table stores the digits as they are (tracked_versions sorts as text).
    EXPECT_EQ(database->tracked_versions(), (std::vector<std::string>{big, "99999999999999"}));
    EXPECT_EQ(status_of(big), "applied");

    auto down = db({"down"});
    EXPECT_EQ(down.exit_code, 0) << down.describe();
    EXPECT_THAT(down.out, HasSubstr("reverted " + big + "_later"));
    EXPECT_TRUE(database->has_table("earlier"));
}

// diesel's versions are text: a 30-digit one of 1234... comes before a
// timestamp of 9999..., where numbers would put it after.
TEST_P(BadInputAcceptedTest, ThirtyDigitDieselVersionAppliesInTextOrder) {
    const std::string big = "123456789012345678901234567890";
    write_file(dir / ("migrations/" + big + "_first/up.sql"), "CREATE TABLE first (id INTEGER);\n");
    write_file(dir / ("migrations/" + big + "_first/down.sql"), "DROP TABLE first;\n");
    write_file(dir / "migrations/99999999999999_second/up.sql",
               "CREATE TABLE second (id INTEGER);\n");
    write_file(dir / "migrations/99999999999999_second/down.sql", "DROP TABLE second;\n");

    auto r = db({"up"});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_LT(r.out.find("applied " + big + "_first"), r.out.find("applied 99999999999999_second"))
        << r.out;
    auto down = db({"down"});
    EXPECT_EQ(down.exit_code, 0) << down.describe();
    EXPECT_THAT(down.out, HasSubstr("reverted 99999999999999_second"));
    EXPECT_TRUE(database->has_table("first"));
}

// diesel and sqlx run an up script of comments only (dbmate an empty
// section, as `dbmate new` writes it): a no-op migration, recorded, and
// reverted by forgetting it. It needs no down script.
TEST_P(BadInputAcceptedTest, CommentOnlyUpScriptsAreNoOpMigrations) {
    for (const std::string layout : {"diesel", "sqlx", "dbmate"}) {
        SCOPED_TRACE(layout);
        const fs::path set = dir / ("noop-" + layout);
        if (layout == "diesel") {
            write_file(set / "0001_base/up.sql",
                       "CREATE TABLE base_" + layout + " (id INTEGER);\n");
            write_file(set / "0001_base/down.sql", "DROP TABLE base_" + layout + ";\n");
            write_file(set / "0002_todo/up.sql", "-- Your SQL goes here\n");
            write_file(set / "0002_todo/down.sql",
                       "-- This file should undo anything in `up.sql`\n");
        } else if (layout == "sqlx") {
            write_file(set / "0001_base.up.sql",
                       "CREATE TABLE base_" + layout + " (id INTEGER);\n");
            write_file(set / "0001_base.down.sql", "DROP TABLE base_" + layout + ";\n");
            write_file(set / "0002_todo.up.sql", "-- TODO: write this\n/* later */\n;\n");
        } else {
            write_file(set / "0001_base.sql",
                       "-- migrate:up\nCREATE TABLE base_" + layout +
                           " (id INTEGER);\n-- migrate:down\nDROP TABLE base_" + layout + ";\n");
            write_file(set / "0002_todo.sql", "-- migrate:up\n\n\n-- migrate:down\n\n");
        }
        const std::string dir_arg = set.filename().string();
        auto up = db({"--dir", dir_arg, "up"});
        ASSERT_EQ(up.exit_code, 0) << up.describe();
        EXPECT_THAT(up.out, HasSubstr("applied 0002_todo"));
        EXPECT_EQ(db({"--dir", dir_arg, "status", "--exit-code"}).exit_code, 0);
        std::vector<std::string> check_args = {"--dir", dir_arg, "check", "--roundtrip"};
        if (database->kind() == strata::test::backend::postgres)
            check_args.insert(check_args.begin(),
                              {"--postgres-url", strata::test::postgres_server_url()});
        auto check = db(check_args);
        EXPECT_EQ(check.exit_code, 0) << check.describe();
        EXPECT_THAT(check.err, HasSubstr("note: up script of 0002_todo holds comments only"));
        auto down = db({"--dir", dir_arg, "down", "--all"});
        EXPECT_EQ(down.exit_code, 0) << down.describe();
        EXPECT_THAT(down.out, HasSubstr("reverted 0002_todo"));
        EXPECT_FALSE(database->has_table("base_" + layout));
    }
}

INSTANTIATE_TEST_SUITE_P(Backends, BadInputAcceptedTest,
                         ::testing::ValuesIn(strata::test::all_backends),
                         strata::test::backend_name());

}  // namespace
