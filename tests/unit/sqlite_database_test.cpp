// sqlite_database opening a file that a writer killed inside a transaction
// left behind, with its hot journal: a read-only open (status, schema) must
// roll the journal back first, or say that it cannot.
#include <gmock/gmock.h>
#include <grp.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>

#include "process.hpp"
#include "strata/error.hpp"
#include "strata/sqlite/database.hpp"

namespace fs = std::filesystem;
using ::testing::HasSubstr;

namespace {

// Runs `body` in a child process and returns its exit status (-1 when it
// did not exit); the child leaves with _exit, so none of the test's
// destructors run twice.
int in_child(const std::function<int()>& body) {
    const pid_t child = ::fork();
    if (child < 0)
        throw std::runtime_error("fork failed");
    if (child == 0) {
        int status = 99;
        try {
            status = body();
        } catch (...) {
        }
        ::_exit(status);
    }
    int status = -1;
    while (::waitpid(child, &status, 0) < 0)
        if (errno != EINTR)
            throw std::runtime_error("waitpid failed");
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Puts back the permissions a test took away, so that its directory can be
// removed whatever the test's outcome.
struct restore_permissions {
    fs::path dir, file;
    ~restore_permissions() {
        std::error_code ec;
        fs::permissions(dir, fs::perms::owner_all, ec);
        fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write, ec);
    }
};

// `crashed.db` in `dir`, its table `t` holding one row, and the hot journal
// of a writer that died inside a transaction that had deleted the row and
// written enough rows to spill pages into the file.
std::string crashed_writer(const strata::test::scratch_directory& dir) {
    const std::string path = (dir / "crashed.db").string();
    {
        SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        db.exec("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);");
    }
    const int status = in_child([&]() -> int {
        SQLite::Database db(path, SQLite::OPEN_READWRITE);
        db.exec("PRAGMA cache_size = 10");
        db.exec(
            "BEGIN; DELETE FROM t; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
            "FROM n WHERE i < 20000) INSERT INTO t SELECT i FROM n;");
        ::_exit(0);  // as if killed: no COMMIT, no close
    });
    EXPECT_EQ(status, 0);
    EXPECT_TRUE(fs::exists(path + "-journal"));
    return path;
}

TEST(SqliteDatabaseHotJournal, ReadOnlyOpenRollsTheCrashedTransactionBack) {
    const strata::test::scratch_directory dir;
    const std::string path = crashed_writer(dir);

    strata::sqlite_options options;
    options.read_only = true;
    strata::sqlite_database db(path, options);

    const auto rows = db.query("SELECT count(*), max(x) FROM t");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0], (strata::database::text_row{"1", "1"}));
    EXPECT_FALSE(fs::exists(path + "-journal"));
}

TEST(SqliteDatabaseHotJournal, WithoutWriteAccessTheErrorSaysWhatIsNeeded) {
    const strata::test::scratch_directory dir;
    const std::string path = crashed_writer(dir);
    const std::string journal = path + "-journal";
    const std::string journal_before = strata::test::read_file(journal);
    // Readable by all, writable by none but root, which the child gives up.
    const restore_permissions restore{dir.path(), path};
    fs::permissions(dir.path(), fs::perms::owner_all | fs::perms::group_read |
                                    fs::perms::group_exec | fs::perms::others_read |
                                    fs::perms::others_exec);
    fs::permissions(path, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
    if (::geteuid() != 0)
        fs::permissions(dir.path(), fs::perms::owner_write, fs::perm_options::remove);

    int pipe_fds[2];
    ASSERT_EQ(::pipe(pipe_fds), 0);
    const int cannot_drop_privileges = 3;
    const int status = in_child([&] {
        ::close(pipe_fds[0]);
        if (::geteuid() == 0 &&
            (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0))
            return cannot_drop_privileges;
        try {
            strata::sqlite_options options;
            options.read_only = true;
            strata::sqlite_database db(path, options);
            return 1;
        } catch (const strata::error& e) {
            const std::string message = e.what();
            if (::write(pipe_fds[1], message.data(), message.size()) < 0)
                return 4;
            return e.kind() == strata::error_kind::connection ? 0 : 2;
        }
    });
    ::close(pipe_fds[1]);
    std::string message;
    char buffer[512];
    for (ssize_t n; (n = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0;)
        message.append(buffer, static_cast<std::size_t>(n));
    ::close(pipe_fds[0]);
    if (status == cannot_drop_privileges)
        GTEST_SKIP() << "root cannot become nobody (65534) here";

    EXPECT_EQ(status, 0) << message;
    EXPECT_EQ(message, "cannot use sqlite database '" + path +
                           "': a crashed writer left a journal to roll back, which needs write "
                           "access: the file is read-only to this user");
    // Nothing was rolled back, or half so.
    EXPECT_EQ(strata::test::read_file(journal), journal_before);
}

}  // namespace
