// The engine speaks its own language: its errors say what happened and
// what to fix, and carry the way past them as a remedy, which the CLI words
// as a flag and the embedded API as an option (tool/output.cpp,
// src/engine/api_boundary.hpp). No engine message names a CLI flag: an
// application calling migrate() cannot pass one.
//
// Each engine error path that once named a flag is provoked here; a scan of
// the engine's string literals keeps new ones from naming flags.
#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "engine/adoption.hpp"
#include "engine/api_boundary.hpp"
#include "engine/file_lock.hpp"
#include "process.hpp"
#include "strata/error.hpp"
#include "strata/migrator.hpp"
#include "strata/sqlite/database.hpp"
#include "tooling/scaffold.hpp"

namespace {

namespace fs = std::filesystem;
using strata::remedy;
using strata::test::write_file;

const fs::path source_root = STRATA_SOURCE_DIR;

// A CLI flag: `--` and a letter (not `--` alone, a SQL comment).
const std::regex flag(R"(--[a-z])");

std::string read_all(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

struct caught {
    strata::error_kind kind = strata::error_kind::check;
    remedy way_out = remedy::none;
    std::string message;
};

caught error_of(const std::function<void()>& call) {
    try {
        call();
    } catch (const strata::error& e) {
        return {e.kind(), e.remedy(), e.what()};
    }
    ADD_FAILURE() << "expected strata::error";
    return {};
}

class ErrorWordingTest : public ::testing::Test {
  protected:
    void SetUp() override {
        tmp_ =
            fs::temp_directory_path() /
            ("strata-wording-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
             "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(tmp_);
        fs::create_directories(tmp_);
    }
    void TearDown() override { fs::remove_all(tmp_); }

    fs::path dir() const { return tmp_ / "migrations"; }

    void add(const std::string& stem, const std::string& up, const std::string& down) {
        write_file(dir() / (stem + ".up.sql"), up);
        write_file(dir() / (stem + ".down.sql"), down);
    }

    strata::sqlite_database& db() {
        if (!db_)
            db_ = std::make_unique<strata::sqlite_database>((tmp_ / "app.db").string());
        return *db_;
    }

    void reopen() { db_.reset(); }

    strata::migrator make() {
        set_ = std::make_unique<strata::migration_set>(strata::read_migration_set(dir()));
        return strata::migrator(db(), *set_);
    }

    // The engine's message: no flag in it, and the remedy expected.
    void expect_engine_terms(const caught& e, remedy expected) {
        EXPECT_FALSE(std::regex_search(e.message, flag)) << e.message;
        EXPECT_EQ(e.way_out, expected) << e.message;
    }

    // A no-transaction migration that stopped after its first statement.
    void stop_part_way() {
        add("1_split",
            "-- strata:no-transaction\nCREATE TABLE a (x INTEGER);\nINSERT INTO nosuch VALUES "
            "(1);\n",
            "DROP TABLE a;\n");
        auto m = make();
        EXPECT_THROW(m.up(), strata::migration_error);
        reopen();
    }

    fs::path tmp_;
    std::unique_ptr<strata::sqlite_database> db_;
    std::unique_ptr<strata::migration_set> set_;
};

TEST_F(ErrorWordingTest, ModifiedAppliedScript) {
    add("1_users", "CREATE TABLE users (id INTEGER);\n", "DROP TABLE users;\n");
    make().up();
    add("1_users", "CREATE TABLE users (id INTEGER, name TEXT);\n", "DROP TABLE users;\n");
    const auto e = error_of([&] { make().up(); });
    expect_engine_terms(e, remedy::allow_modified);
    EXPECT_NE(e.message.find("restore the applied file"), std::string::npos) << e.message;
}

TEST_F(ErrorWordingTest, MissingAppliedMigration) {
    add("1_users", "CREATE TABLE users (id INTEGER);\n", "DROP TABLE users;\n");
    make().up();
    fs::remove(dir() / "1_users.up.sql");
    fs::remove(dir() / "1_users.down.sql");
    add("2_tags", "CREATE TABLE tags (x INTEGER);\n", "DROP TABLE tags;\n");
    expect_engine_terms(error_of([&] { make().up(); }), remedy::ignore_missing);
}

TEST_F(ErrorWordingTest, PartialMigrationStoppedAtAStatement) {
    stop_part_way();
    expect_engine_terms(error_of([&] { make().up(); }), remedy::resume);
}

TEST_F(ErrorWordingTest, PartialMigrationWhoseFileChanged) {
    stop_part_way();
    add("1_split", "-- strata:no-transaction\nCREATE TABLE a (x INTEGER);\nSELECT 1;\n",
        "DROP TABLE a;\n");
    expect_engine_terms(error_of([&] { make().up(); }), remedy::resume);
}

TEST_F(ErrorWordingTest, PartialMigrationThatNowRunsInATransaction) {
    stop_part_way();
    add("1_split", "CREATE TABLE a (x INTEGER);\nINSERT INTO nosuch VALUES (1);\n",
        "DROP TABLE a;\n");
    expect_engine_terms(error_of([&] { make().up(); }), remedy::resume);
}

TEST_F(ErrorWordingTest, PartialMigrationWhoseStatementsAllFinished) {
    stop_part_way();
    // The statements finished, the record did not: the run died before it.
    db().connection().exec("CREATE TABLE nosuch (x INTEGER)");
    db().connection().exec("UPDATE _strata_migrations SET statements_done = 2");
    expect_engine_terms(error_of([&] { make().up(); }), remedy::resume);
}

TEST_F(ErrorWordingTest, OptionsOutOfRange) {
    add("1_users", "CREATE TABLE users (id INTEGER);\n", "DROP TABLE users;\n");
    add("2_split", "-- strata:no-transaction\nCREATE TABLE a (x INTEGER);\n", "DROP TABLE a;\n");
    auto m = make();
    strata::up_options to;
    to.to = *strata::migration_version::parse("7", strata::version_rule::number);
    strata::up_options single;
    single.single_transaction = true;
    strata::down_options negative;
    negative.steps = -1;
    for (const auto& call :
         std::vector<std::function<void()>>{[&] { m.up(to); }, [&] { m.up(single); },
                                            [&] { m.down(negative); }, [&] { m.redo(-1); }}) {
        const auto e = error_of(call);
        EXPECT_EQ(e.kind, strata::error_kind::usage) << e.message;
        expect_engine_terms(e, remedy::none);
    }
}

TEST_F(ErrorWordingTest, Backups) {
    add("1_users", "CREATE TABLE users (id INTEGER);\n", "DROP TABLE users;\n");
    make().up();
    expect_engine_terms(error_of([&] { db().backup_to((tmp_ / "app.db").string()); }),
                        remedy::none);
    // What a backend without online backups says (PostgreSQL's).
    expect_engine_terms(error_of([&] { db().strata::database::backup_to("b.db"); }), remedy::none);
}

TEST_F(ErrorWordingTest, LockHeldPastTheTimeout) {
    const std::string path = (tmp_ / "lock").string();
    const auto held = strata::detail::file_lock::acquire(path, std::chrono::milliseconds(0));
    expect_engine_terms(
        error_of([&] { strata::detail::file_lock::acquire(path, std::chrono::milliseconds(20)); }),
        remedy::lock_timeout);
}

TEST_F(ErrorWordingTest, BaselineOfAnUnknownVersion) {
    add("1_users", "CREATE TABLE users (id INTEGER);\n", "DROP TABLE users;\n");
    const auto set = strata::read_migration_set(dir());
    const auto e = error_of([&] {
        strata::plan_baseline(db(), set,
                              *strata::migration_version::parse("9", strata::version_rule::number));
    });
    expect_engine_terms(e, remedy::none);
}

TEST_F(ErrorWordingTest, NewMigrationAfterAVersionInTheFuture) {
    add("123456789012345678901234567890_far", "CREATE TABLE far (x INTEGER);\n",
        "DROP TABLE far;\n");
    const auto set = strata::read_migration_set(dir());
    expect_engine_terms(error_of([&] { strata::next_version(set); }), remedy::sequential);
}

// The embedded API words the same remedies in its own terms.
TEST(EmbeddedWayOut, NamesMigrateOptionsAndNoFlag) {
    const auto worded = [](remedy r) { return strata::with_embedded_way_out("x", r); };
    EXPECT_EQ(worded(remedy::ignore_missing),
              "x, or set migrate_options::allow_unknown_applied to proceed anyway");
    EXPECT_EQ(worded(remedy::allow_modified),
              "x; migrate() never proceeds past a changed applied migration");
    EXPECT_EQ(worded(remedy::resume),
              "x; migrate() does not resume a migration, the strata CLI does");
    EXPECT_EQ(worded(remedy::lock_timeout),
              "x; set a longer migrate_options::lock_timeout to wait longer");
    for (remedy r : {remedy::none, remedy::allow_modified, remedy::ignore_missing, remedy::resume,
                     remedy::lock_timeout, remedy::postgres_server, remedy::sequential})
        EXPECT_FALSE(std::regex_search(worded(r), flag)) << worded(r);
}

// Every string literal of the engine (src/, include/): none names a flag,
// but for the arguments Strata passes to PostgreSQL's own programs.
TEST(EngineStrings, NameNoCliFlag) {
    const std::vector<std::string> program_arguments = {"pg_config --bindir 2>/dev/null",
                                                        "--locale=C.UTF-8", "--no-sync"};
    const std::regex literal(R"re("((?:[^"\\\n]|\\.)*)")re");
    std::size_t scanned = 0;
    for (const auto& root : {source_root / "src", source_root / "include"})
        for (const auto& entry : fs::recursive_directory_iterator(root)) {
            const auto ext = entry.path().extension();
            if (ext != ".cpp" && ext != ".hpp")
                continue;
            const std::string text = read_all(entry.path());
            for (std::sregex_iterator it(text.begin(), text.end(), literal), end; it != end; ++it) {
                const std::string s = (*it)[1];
                ++scanned;
                if (std::find(program_arguments.begin(), program_arguments.end(), s) !=
                    program_arguments.end())
                    continue;
                EXPECT_FALSE(std::regex_search(s, flag))
                    << entry.path().lexically_relative(source_root).generic_string() << ": \"" << s
                    << "\"";
            }
        }
    EXPECT_GT(scanned, 1000u);
}

}  // namespace
