// `strata new` in each layout, then up / status / down / redo on a real
// database of each backend, checked through the database itself.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "backend_test.hpp"

namespace fs = std::filesystem;
using strata::test::backend;
using strata::test::process_result;
using strata::test::read_file;
using strata::test::status_line;
using strata::test::write_file;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

// The paths that `strata new` reports ("created PATH" lines).
std::vector<std::string> created_paths(const process_result& r) {
    std::vector<std::string> paths;
    std::istringstream lines(r.out);
    std::string line;
    while (std::getline(lines, line))
        if (line.rfind("created ", 0) == 0)
            paths.push_back(line.substr(8));
    return paths;
}

std::string digits_of(const std::string& text) {
    std::string digits;
    for (char c : text)
        if (c >= '0' && c <= '9')
            digits.push_back(c);
    return digits;
}

const std::regex iso_utc(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z)");

// ---------------------------------------------------------------- new

// `new` never opens the database, even when DATABASE_URL names one.
class NewTest : public strata::test::backend_test<> {
  protected:
    NewTest() : backend_test("strata-e2e-new") {}

    process_result strata(const std::vector<std::string>& args) const {
        return strata::test::run_strata(dir.path(), args, {{"DATABASE_URL", database->url()}});
    }

    void TearDown() override { EXPECT_FALSE(database->exists()) << "new touched the database"; }
};

TEST_P(NewTest, DefaultIsDieselLayoutWithTimestampVersion) {
    auto r = strata({"new", "create_users"});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    const auto paths = created_paths(r);
    ASSERT_EQ(paths.size(), 2u) << r.describe();
    const std::regex up(R"(migrations/(\d{4}-\d\d-\d\d-\d{6})_create_users/up\.sql)");
    const std::regex down(R"(migrations/(\d{4}-\d\d-\d\d-\d{6})_create_users/down\.sql)");
    std::smatch m_up, m_down;
    ASSERT_TRUE(std::regex_match(paths[0], m_up, up)) << paths[0];
    ASSERT_TRUE(std::regex_match(paths[1], m_down, down)) << paths[1];
    EXPECT_EQ(m_up[1], m_down[1]);
    EXPECT_TRUE(fs::is_regular_file(dir / paths[0]));
    EXPECT_TRUE(fs::is_regular_file(dir / paths[1]));
    // Nothing else was created next to it.
    EXPECT_EQ(std::distance(fs::directory_iterator(dir / "migrations"), fs::directory_iterator()),
              1);
}

TEST_P(NewTest, SqlxLayout) {
    auto r = strata({"new", "--layout", "sqlx", "add_posts"});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    const auto paths = created_paths(r);
    ASSERT_EQ(paths.size(), 2u) << r.describe();
    std::smatch m_up, m_down;
    ASSERT_TRUE(
        std::regex_match(paths[0], m_up, std::regex(R"(migrations/(\d{14})_add_posts\.up\.sql)")))
        << paths[0];
    ASSERT_TRUE(std::regex_match(paths[1], m_down,
                                 std::regex(R"(migrations/(\d{14})_add_posts\.down\.sql)")))
        << paths[1];
    EXPECT_EQ(m_up[1], m_down[1]);
    EXPECT_TRUE(fs::is_regular_file(dir / paths[0]));
    EXPECT_TRUE(fs::is_regular_file(dir / paths[1]));
}

TEST_P(NewTest, DbmateLayoutHoldsBothSections) {
    auto r = strata({"new", "--layout", "dbmate", "add_tags"});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    const auto paths = created_paths(r);
    ASSERT_EQ(paths.size(), 1u) << r.describe();
    ASSERT_TRUE(std::regex_match(paths[0], std::regex(R"(migrations/\d{14}_add_tags\.sql)")))
        << paths[0];
    const std::string text = read_file(dir / paths[0]);
    const auto up = text.find("-- migrate:up");
    const auto down = text.find("-- migrate:down");
    ASSERT_NE(up, std::string::npos) << text;
    ASSERT_NE(down, std::string::npos) << text;
    EXPECT_LT(up, down) << text;
}

TEST_P(NewTest, QuickSuccessionGivesIncreasingVersions) {
    std::vector<std::string> stems;
    for (const char* name : {"one", "two", "three", "four"}) {
        auto r = strata({"new", "--layout", "sqlx", name});
        ASSERT_EQ(r.exit_code, 0) << r.describe();
        const auto paths = created_paths(r);
        ASSERT_FALSE(paths.empty()) << r.describe();
        stems.push_back(fs::path(paths[0]).filename().string());
    }
    for (std::size_t i = 1; i < stems.size(); ++i)
        EXPECT_LT(stems[i - 1].substr(0, 14), stems[i].substr(0, 14))
            << stems[i - 1] << " vs " << stems[i];
}

TEST_P(NewTest, SequentialNumbersContinue) {
    auto first = strata({"new", "--sequential", "first"});
    ASSERT_EQ(first.exit_code, 0) << first.describe();
    auto second = strata({"new", "second"});  // a sequential set keeps counting
    ASSERT_EQ(second.exit_code, 0) << second.describe();
    EXPECT_TRUE(fs::is_regular_file(dir / "migrations/0001_first/up.sql")) << first.describe();
    EXPECT_TRUE(fs::is_regular_file(dir / "migrations/0001_first/down.sql")) << first.describe();
    EXPECT_TRUE(fs::is_regular_file(dir / "migrations/0002_second/up.sql")) << second.describe();
    EXPECT_TRUE(fs::is_regular_file(dir / "migrations/0002_second/down.sql")) << second.describe();
}

TEST_P(NewTest, FollowsTheLayoutOfTheSet) {
    ASSERT_EQ(strata({"new", "--layout", "sqlx", "--sequential", "first"}).exit_code, 0);
    auto r = strata({"new", "second"});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_TRUE(fs::is_regular_file(dir / "migrations/0002_second.up.sql")) << r.describe();
    EXPECT_TRUE(fs::is_regular_file(dir / "migrations/0002_second.down.sql")) << r.describe();
}

TEST_P(NewTest, HonoursDir) {
    auto r = strata({"--dir", "db/schema", "new", "--sequential", "init"});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_TRUE(fs::is_regular_file(dir / "db/schema/0001_init/up.sql")) << r.describe();
    EXPECT_FALSE(fs::exists(dir / "migrations"));
}

// ---------------------------------------------------------------- lifecycle

struct migration_files {
    std::string stem_version;  // as in the file name, e.g. 2025-01-20-120000
    std::string version;       // its digits, as stored and printed
    std::string name;
    std::vector<std::string> paths;  // as printed by `new`
};

class Lifecycle : public strata::test::backend_test<std::tuple<backend, std::string>> {
  protected:
    Lifecycle() : backend_test("strata-e2e-new-up-down") {}

    std::vector<migration_files> migrations;

    const std::string& layout() const { return std::get<1>(GetParam()); }

    void SetUp() override {
        add("create_users",
            "-- users of the application\n"
            "CREATE TABLE users (\n"
            "    id INTEGER PRIMARY KEY,\n"
            "    email TEXT NOT NULL\n"
            ");\n"
            "CREATE INDEX users_email ON users (email);\n",
            "DROP INDEX users_email;\nDROP TABLE users;\n");
        add("create_posts",
            "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id), "
            "body TEXT);\n",
            "DROP TABLE posts;\n");
        add("create_tags",
            "CREATE TABLE tags (name TEXT PRIMARY KEY);\nINSERT INTO tags VALUES ('seed');\n",
            "DROP TABLE tags;\n");
    }

    // `strata new NAME`, then the generated files filled with real SQL.
    void add(const std::string& name, const std::string& up, const std::string& down) {
        std::vector<std::string> args = {"new", name};
        if (layout() != "diesel")
            args = {"new", "--layout", layout(), name};
        auto r = strata(args);
        ASSERT_EQ(r.exit_code, 0) << r.describe();
        migration_files m;
        m.name = name;
        m.paths = created_paths(r);
        const std::string file = fs::path(m.paths.at(0)).filename().string();
        const std::string stem =
            layout() == "diesel" ? fs::path(m.paths.at(0)).parent_path().filename().string() : file;
        m.stem_version = stem.substr(0, stem.find('_'));
        m.version = digits_of(m.stem_version);
        if (layout() == "dbmate") {
            ASSERT_EQ(m.paths.size(), 1u) << r.describe();
            write_file(dir / m.paths[0], "-- migrate:up\n" + up + "\n-- migrate:down\n" + down);
        } else {
            ASSERT_EQ(m.paths.size(), 2u) << r.describe();
            write_file(dir / m.paths[0], up);
            write_file(dir / m.paths[1], down);
        }
        migrations.push_back(m);
    }

    std::string id(std::size_t i) const { return migrations[i].version + "_" + migrations[i].name; }

    std::vector<std::string> versions(std::size_t count) const {
        std::vector<std::string> v;
        for (std::size_t i = 0; i < count; ++i)
            v.push_back(migrations[i].version);
        return v;
    }
};

TEST_P(Lifecycle, StatusThenUpThenStatus) {
    auto status = db({"status"});
    ASSERT_EQ(status.exit_code, 0) << status.describe();
    for (const auto& m : migrations) {
        EXPECT_EQ(status_line(status.out, m.version).rfind("pending", 0), 0u) << status.out;
        EXPECT_THAT(status_line(status.out, m.version), HasSubstr(m.name));
    }
    EXPECT_THAT(status.out, HasSubstr("0 applied, 3 pending"));

    auto pending_code = db({"status", "--exit-code"});
    EXPECT_EQ(pending_code.exit_code, 1) << pending_code.describe();

    auto json = db({"status", "--json"});
    ASSERT_EQ(json.exit_code, 0) << json.describe();
    const auto pending = nlohmann::json::parse(json.out);
    ASSERT_TRUE(pending.is_array());
    ASSERT_EQ(pending.size(), 3u) << json.out;
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(pending[i].at("version"), migrations[i].version) << json.out;
        EXPECT_EQ(pending[i].at("name"), migrations[i].name) << json.out;
        EXPECT_EQ(pending[i].at("status"), "pending") << json.out;
        EXPECT_TRUE(pending[i].at("applied_at").is_null()) << json.out;
    }

    auto up = db({"up"});
    ASSERT_EQ(up.exit_code, 0) << up.describe();
    for (std::size_t i = 0; i < 3; ++i)
        EXPECT_THAT(up.out, HasSubstr("applied " + id(i)));
    EXPECT_LT(up.out.find(id(0)), up.out.find(id(1))) << "applied in version order";
    EXPECT_LT(up.out.find(id(1)), up.out.find(id(2))) << "applied in version order";

    EXPECT_EQ(database->tables(), (std::vector<std::string>{"posts", "tags", "users"}));
    EXPECT_TRUE(database->has_index("users_email"));
    EXPECT_EQ(database->column("SELECT name FROM tags"), std::vector<std::string>{"seed"});
    const auto rows = database->tracking();
    ASSERT_EQ(rows.size(), 3u);
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(rows[i].version, migrations[i].version);
        EXPECT_EQ(rows[i].name, migrations[i].name);
        EXPECT_TRUE(std::regex_match(rows[i].checksum, std::regex("[0-9a-f]{64}")))
            << rows[i].checksum;
        EXPECT_TRUE(std::regex_match(rows[i].applied_at, iso_utc)) << rows[i].applied_at;
    }

    status = db({"status"});
    ASSERT_EQ(status.exit_code, 0) << status.describe();
    for (std::size_t i = 0; i < 3; ++i) {
        const std::string line = status_line(status.out, migrations[i].version);
        EXPECT_EQ(line.rfind("applied", 0), 0u) << status.out;
        EXPECT_THAT(line, HasSubstr(rows[i].applied_at)) << status.out;
    }
    EXPECT_THAT(status.out, HasSubstr("3 applied, 0 pending"));
    auto applied_code = db({"status", "--exit-code"});
    EXPECT_EQ(applied_code.exit_code, 0) << applied_code.describe();

    json = db({"status", "--json"});
    ASSERT_EQ(json.exit_code, 0) << json.describe();
    const auto applied = nlohmann::json::parse(json.out);
    ASSERT_EQ(applied.size(), 3u) << json.out;
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(applied[i].at("status"), "applied") << json.out;
        EXPECT_EQ(applied[i].at("applied_at"), rows[i].applied_at) << json.out;
        EXPECT_EQ(applied[i].at("checksum"), rows[i].checksum) << json.out;
    }

    auto again = db({"up"});
    EXPECT_EQ(again.exit_code, 0) << again.describe();
    EXPECT_THAT(again.out, Not(HasSubstr("applied ")));
    EXPECT_EQ(database->tracking().size(), 3u);
}

TEST_P(Lifecycle, DownRevertsTheLatestOne) {
    ASSERT_EQ(db({"up"}).exit_code, 0);
    auto down = db({"down"});
    ASSERT_EQ(down.exit_code, 0) << down.describe();
    EXPECT_THAT(down.out, HasSubstr("reverted " + id(2)));
    EXPECT_THAT(down.out, Not(HasSubstr(id(1))));
    EXPECT_EQ(database->tables(), (std::vector<std::string>{"posts", "users"}));
    EXPECT_EQ(database->tracked_versions(), versions(2));

    auto status = db({"status"});
    EXPECT_EQ(status_line(status.out, migrations[2].version).rfind("pending", 0), 0u) << status.out;
    EXPECT_EQ(db({"status", "--exit-code"}).exit_code, 1);

    down = db({"down", "--steps", "2"});
    ASSERT_EQ(down.exit_code, 0) << down.describe();
    EXPECT_LT(down.out.find(id(1)), down.out.find(id(0))) << "reverted newest first\n" << down.out;
    EXPECT_EQ(database->tables(), std::vector<std::string>{});
    EXPECT_EQ(database->tracked_versions(), std::vector<std::string>{});

    auto nothing = db({"down"});
    EXPECT_EQ(nothing.exit_code, 0) << nothing.describe();
    EXPECT_THAT(nothing.out, Not(HasSubstr("reverted")));
}

TEST_P(Lifecycle, DownAll) {
    ASSERT_EQ(db({"up"}).exit_code, 0);
    auto down = db({"down", "--all"});
    ASSERT_EQ(down.exit_code, 0) << down.describe();
    for (std::size_t i = 0; i < 3; ++i)
        EXPECT_THAT(down.out, HasSubstr("reverted " + id(i)));
    EXPECT_EQ(database->tables(), std::vector<std::string>{});
    EXPECT_EQ(database->tracked_versions(), std::vector<std::string>{});
    EXPECT_EQ(db({"status", "--exit-code"}).exit_code, 1);
}

TEST_P(Lifecycle, DownToVersion) {
    ASSERT_EQ(db({"up"}).exit_code, 0);
    auto down = db({"down", "--to", migrations[0].stem_version});
    ASSERT_EQ(down.exit_code, 0) << down.describe();
    EXPECT_THAT(down.out, HasSubstr("reverted " + id(2)));
    EXPECT_THAT(down.out, HasSubstr("reverted " + id(1)));
    EXPECT_THAT(down.out, Not(HasSubstr(id(0))));
    EXPECT_EQ(database->tables(), std::vector<std::string>{"users"});
    EXPECT_EQ(database->tracked_versions(), versions(1));
}

TEST_P(Lifecycle, UpToVersion) {
    auto up = db({"up", "--to", migrations[1].stem_version});
    ASSERT_EQ(up.exit_code, 0) << up.describe();
    EXPECT_THAT(up.out, Not(HasSubstr(id(2))));
    EXPECT_EQ(database->tables(), (std::vector<std::string>{"posts", "users"}));
    EXPECT_EQ(database->tracked_versions(), versions(2));

    up = db({"up", "--to", migrations[2].version});  // the digits-only spelling
    ASSERT_EQ(up.exit_code, 0) << up.describe();
    EXPECT_THAT(up.out, HasSubstr("applied " + id(2)));
    EXPECT_EQ(database->tracked_versions(), versions(3));
}

TEST_P(Lifecycle, RedoRecreatesTheLatest) {
    ASSERT_EQ(db({"up"}).exit_code, 0);
    const auto before = database->tracking();
    database->exec("INSERT INTO tags VALUES ('added later')");
    database->exec("INSERT INTO users (id, email) VALUES (1, 'a@example.com')");
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // applied_at must move

    auto redo = db({"redo"});
    ASSERT_EQ(redo.exit_code, 0) << redo.describe();
    EXPECT_THAT(redo.out, HasSubstr("reverted " + id(2)));
    EXPECT_THAT(redo.out, HasSubstr("applied " + id(2)));
    EXPECT_LT(redo.out.find("reverted"), redo.out.find("applied")) << redo.out;
    EXPECT_THAT(redo.out, Not(HasSubstr(id(1))));

    EXPECT_EQ(database->column("SELECT name FROM tags"), std::vector<std::string>{"seed"})
        << "tags was dropped and created again";
    EXPECT_EQ(database->column("SELECT count(*) FROM users"), std::vector<std::string>{"1"})
        << "users untouched";
    const auto after = database->tracking();
    ASSERT_EQ(after.size(), 3u);
    EXPECT_EQ(after[0].applied_at, before[0].applied_at);
    EXPECT_EQ(after[1].applied_at, before[1].applied_at);
    EXPECT_NE(after[2].applied_at, before[2].applied_at);
    EXPECT_GT(after[2].applied_at, before[2].applied_at);
    EXPECT_TRUE(std::regex_match(after[2].applied_at, iso_utc)) << after[2].applied_at;
}

TEST_P(Lifecycle, RedoSteps) {
    ASSERT_EQ(db({"up"}).exit_code, 0);
    auto redo = db({"redo", "--steps", "2"});
    ASSERT_EQ(redo.exit_code, 0) << redo.describe();
    EXPECT_THAT(redo.out, HasSubstr("reverted " + id(1)));
    EXPECT_THAT(redo.out, HasSubstr("applied " + id(1)));
    EXPECT_THAT(redo.out, HasSubstr("reverted " + id(2)));
    EXPECT_THAT(redo.out, Not(HasSubstr(id(0))));
    EXPECT_EQ(database->tables(), (std::vector<std::string>{"posts", "tags", "users"}));
    EXPECT_EQ(database->tracked_versions(), versions(3));
}

TEST_P(Lifecycle, DryRunChangesNothing) {
    auto fresh = db({"up", "--dry-run"});
    ASSERT_EQ(fresh.exit_code, 0) << fresh.describe();
    for (std::size_t i = 0; i < 3; ++i)
        EXPECT_THAT(fresh.out, HasSubstr(id(i)));
    EXPECT_FALSE(database->exists()) << "a dry run created the database";

    ASSERT_EQ(db({"up", "--to", migrations[0].version}).exit_code, 0);
    const std::string before = database->dump();
    auto dry = db({"up", "--dry-run"});
    ASSERT_EQ(dry.exit_code, 0) << dry.describe();
    EXPECT_THAT(dry.out, Not(HasSubstr(id(0))));
    EXPECT_THAT(dry.out, HasSubstr(id(1)));
    EXPECT_THAT(dry.out, HasSubstr(id(2)));
    EXPECT_EQ(database->dump(), before);

    auto dry_down = db({"down", "--all", "--dry-run"});
    ASSERT_EQ(dry_down.exit_code, 0) << dry_down.describe();
    EXPECT_THAT(dry_down.out, HasSubstr(id(0)));
    EXPECT_EQ(database->dump(), before);
    EXPECT_EQ(database->tracked_versions(), versions(1));
}

TEST_P(Lifecycle, SingleTransaction) {
    auto up = db({"up", "--single-transaction"});
    ASSERT_EQ(up.exit_code, 0) << up.describe();
    for (std::size_t i = 0; i < 3; ++i)
        EXPECT_THAT(up.out, HasSubstr(id(i)));
    EXPECT_EQ(database->tables(), (std::vector<std::string>{"posts", "tags", "users"}));
    EXPECT_EQ(database->tracked_versions(), versions(3));
    EXPECT_EQ(db({"status", "--exit-code"}).exit_code, 0);
}

TEST_P(Lifecycle, FullRoundTripLeavesOnlyTheTrackingTable) {
    ASSERT_EQ(db({"up"}).exit_code, 0);
    ASSERT_EQ(db({"down", "--all"}).exit_code, 0);
    ASSERT_EQ(db({"up"}).exit_code, 0);
    EXPECT_EQ(database->tables(), (std::vector<std::string>{"posts", "tags", "users"}));
    EXPECT_EQ(database->tracked_versions(), versions(3));
}

INSTANTIATE_TEST_SUITE_P(Backends, NewTest, ::testing::ValuesIn(strata::test::all_backends),
                         strata::test::backend_name());

INSTANTIATE_TEST_SUITE_P(Backends, Lifecycle,
                         ::testing::Combine(::testing::ValuesIn(strata::test::all_backends),
                                            ::testing::Values("diesel", "sqlx", "dbmate")),
                         [](const auto& param_info) {
                             return to_string(std::get<0>(param_info.param)) + "_" +
                                    std::get<1>(param_info.param);
                         });

}  // namespace
