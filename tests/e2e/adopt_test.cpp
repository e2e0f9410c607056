// Taking over a database that diesel, sqlx or dbmate migrated (`strata adopt
// --from TOOL`), or one built some other way (`strata baseline --version V`),
// and what `status` shows of a tool's history before that. A "database
// migrated by TOOL" is the set's up scripts run directly on the database plus
// the rows TOOL records, in TOOL's own tracking table created as TOOL creates
// it. Every check reads the database itself, not only strata's output.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>
#include <openssl/evp.h>

#include <array>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <ostream>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "backend_test.hpp"
#include "postgres.hpp"

namespace fs = std::filesystem;
using strata::test::backend;
using strata::test::process_result;
using strata::test::status_line;
using strata::test::write_file;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

enum class tool { diesel, sqlx, dbmate };

std::string to_string(tool t) {
    switch (t) {
        case tool::diesel:
            return "diesel";
        case tool::sqlx:
            return "sqlx";
        case tool::dbmate:
            return "dbmate";
    }
    return "?";
}

void PrintTo(tool t, std::ostream* out) {
    *out << to_string(t);
}

// The header of the tool's column in `status`: "DIESEL", "SQLX", "DBMATE".
std::string column_header(tool t) {
    std::string out = to_string(t);
    for (char& c : out)
        c = static_cast<char>(c - 'a' + 'A');
    return out;
}

std::string tracking_table_of(tool t) {
    switch (t) {
        case tool::diesel:
            return "__diesel_schema_migrations";
        case tool::sqlx:
            return "_sqlx_migrations";
        case tool::dbmate:
            return "schema_migrations";
    }
    return "?";
}

struct migration_def {
    std::string version;  // 14 digits, as the tools store it
    std::string name;
    std::string up;
    std::string down;

    std::string id() const { return version + "_" + name; }
    // diesel's directory name: 2025-01-01-000000
    std::string dashed() const {
        return version.substr(0, 4) + "-" + version.substr(4, 2) + "-" + version.substr(6, 2) +
               "-" + version.substr(8);
    }
};

// Portable to both backends. The first three are "the set"; the fourth is
// added after adoption. Each up script fails when run a second time.
const std::vector<migration_def>& migrations() {
    static const std::vector<migration_def> all = {
        {"20250101000000", "create_users",
         "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n",
         "DROP TABLE users;\n"},
        {"20250102000000", "create_posts",
         "CREATE TABLE posts (\n    id INTEGER PRIMARY KEY,\n    user_id INTEGER NOT NULL "
         "REFERENCES users (id),\n    title TEXT NOT NULL\n);\nCREATE INDEX posts_user_id ON "
         "posts (user_id);\n",
         "DROP TABLE posts;\n"},
        {"20250103000000", "create_tags",
         "CREATE TABLE tags (id INTEGER PRIMARY KEY, label TEXT NOT NULL);\n",
         "DROP TABLE tags;\n"},
        {"20250104000000", "create_comments",
         "CREATE TABLE comments (id INTEGER PRIMARY KEY, body TEXT NOT NULL);\n",
         "DROP TABLE comments;\n"},
    };
    return all;
}

const migration_def& m1 = migrations()[0];
const migration_def& m2 = migrations()[1];
const migration_def& m3 = migrations()[2];
const migration_def& m4 = migrations()[3];

std::string hex(const unsigned char* bytes, std::size_t size) {
    static const char digits[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < size; ++i) {
        out.push_back(digits[bytes[i] >> 4]);
        out.push_back(digits[bytes[i] & 0xf]);
    }
    return out;
}

// SHA-384 of `data`, in hex: sqlx's checksum of an up file.
std::string sha384_hex(const std::string& data) {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
    unsigned int size = 0;
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha384(), nullptr) != 1 ||
        EVP_DigestUpdate(ctx.get(), data.data(), data.size()) != 1 ||
        EVP_DigestFinal_ex(ctx.get(), md.data(), &size) != 1)
        throw std::runtime_error("SHA-384 failed");
    return hex(md.data(), size);
}

std::size_t occurrences(const std::string& haystack, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = haystack.find(needle); at != std::string::npos;
         at = haystack.find(needle, at + needle.size()))
        ++n;
    return n;
}

// Common ground of the suites: the migration files in a given layout, the
// database built by hand, strata with its scratch server.
template <class Param>
class adoption_test : public strata::test::backend_test<Param> {
  protected:
    explicit adoption_test(const std::string& prefix) : strata::test::backend_test<Param>(prefix) {}

    void SetUp() override {
        // A SQLite database built by hand exists before strata sees it.
        if (this->database->kind() == backend::sqlite)
            SQLite::Database((this->dir / "test.db").string(),
                             SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    }

    // Writes `m` into `migrations/` in `layout`'s form.
    void write_migration(tool layout, const migration_def& m) const {
        const fs::path root = this->dir / "migrations";
        switch (layout) {
            case tool::diesel:
                write_file(root / (m.dashed() + "_" + m.name) / "up.sql", m.up);
                write_file(root / (m.dashed() + "_" + m.name) / "down.sql", m.down);
                break;
            case tool::sqlx:
                write_file(root / (m.id() + ".up.sql"), m.up);
                write_file(root / (m.id() + ".down.sql"), m.down);
                break;
            case tool::dbmate:
                write_file(root / (m.id() + ".sql"),
                           "-- migrate:up\n" + m.up + "\n-- migrate:down\n" + m.down);
                break;
        }
    }

    // The up file of `m` in `layout` (dbmate: the whole file).
    fs::path up_file(tool layout, const migration_def& m) const {
        const fs::path root = this->dir / "migrations";
        switch (layout) {
            case tool::diesel:
                return root / (m.dashed() + "_" + m.name) / "up.sql";
            case tool::sqlx:
                return root / (m.id() + ".up.sql");
            case tool::dbmate:
                return root / (m.id() + ".sql");
        }
        return {};
    }

    void write_set(tool layout) const {
        for (const auto* m : {&m1, &m2, &m3})
            write_migration(layout, *m);
    }

    // Runs the up scripts of `ms` on the database, as a tool would have.
    void run_ups(const std::vector<const migration_def*>& ms) const {
        for (const auto* m : ms)
            this->database->exec(m->up);
    }

    // strata --url URL [--postgres-url SERVER] ARGS...: the schema check of
    // a PostgreSQL database uses a scratch database on the test server.
    process_result run(const std::vector<std::string>& args) const {
        std::vector<std::string> all;
        if (this->database->kind() == backend::postgres)
            all = {"--postgres-url", strata::test::postgres_server_url()};
        all.insert(all.end(), args.begin(), args.end());
        return this->db(all);
    }

    // Read from the catalog: test_database::tables() leaves the tracking table out.
    bool has_relation(const std::string& name) const {
        const auto& d = *this->database;
        return d.column(
                   d.per_backend("SELECT count(*) FROM sqlite_schema WHERE name = '" + name + "'",
                                 "SELECT count(*) FROM pg_class WHERE relnamespace = "
                                 "'public'::regnamespace AND relname = '" +
                                     name + "'")) != std::vector<std::string>{"0"};
    }
    bool has_strata_history() const { return has_relation("_strata_migrations"); }
    std::vector<std::string> tracked_versions() const { return this->database->tracked_versions(); }

    // The status of each of `ms`, in order.
    std::vector<std::string> statuses(const std::vector<const migration_def*>& ms) const {
        std::vector<std::string> out;
        const auto json = this->status_json();
        for (const auto* m : ms) {
            std::string s = "<absent>";
            for (const auto& row : json)
                if (row.at("version") == m->version)
                    s = row.at("status");
            out.push_back(s);
        }
        return out;
    }
};

// ---------------------------------------------------------------------------
// strata adopt --from diesel|sqlx|dbmate, each in its own layout.

class AdoptTest : public adoption_test<std::tuple<backend, tool>> {
  protected:
    AdoptTest() : adoption_test("strata-e2e-adopt") {}

    tool from() const { return std::get<1>(GetParam()); }
    std::string from_name() const { return to_string(from()); }
    std::string table() const { return tracking_table_of(from()); }

    void create_tool_table() const {
        switch (from()) {
            case tool::diesel:
                database->exec(
                    "CREATE TABLE IF NOT EXISTS __diesel_schema_migrations (version VARCHAR(50) "
                    "PRIMARY KEY NOT NULL, run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)");
                break;
            case tool::sqlx:
                database->exec(database->per_backend(
                    "CREATE TABLE IF NOT EXISTS _sqlx_migrations (version BIGINT PRIMARY KEY, "
                    "description TEXT NOT NULL, installed_on TIMESTAMP NOT NULL DEFAULT "
                    "CURRENT_TIMESTAMP, success BOOLEAN NOT NULL, checksum BLOB NOT NULL, "
                    "execution_time BIGINT NOT NULL)",
                    "CREATE TABLE IF NOT EXISTS _sqlx_migrations (version BIGINT PRIMARY KEY, "
                    "description TEXT NOT NULL, installed_on TIMESTAMPTZ NOT NULL DEFAULT now(), "
                    "success BOOLEAN NOT NULL, checksum BYTEA NOT NULL, execution_time BIGINT NOT "
                    "NULL)"));
                break;
            case tool::dbmate:
                database->exec(
                    "CREATE TABLE IF NOT EXISTS schema_migrations (version VARCHAR(128) PRIMARY "
                    "KEY)");
                break;
        }
    }

    // The row the tool records for `version` (sqlx: `checksum_hex` and
    // `success` as given).
    void record(const std::string& version, const std::string& name,
                const std::string& checksum_hex, bool success = true) const {
        switch (from()) {
            case tool::diesel:
                database->exec("INSERT INTO __diesel_schema_migrations (version) VALUES ('" +
                               version + "')");
                break;
            case tool::sqlx: {
                std::string description = name;
                for (char& c : description)
                    if (c == '_')
                        c = ' ';
                const std::string blob = database->per_backend(
                    "X'" + checksum_hex + "'", "decode('" + checksum_hex + "', 'hex')");
                database->exec(
                    "INSERT INTO _sqlx_migrations (version, description, success, checksum, "
                    "execution_time) VALUES (" +
                    version + ", '" + description + "', " + (success ? "TRUE" : "FALSE") + ", " +
                    blob + ", 1234567)");
                break;
            }
            case tool::dbmate:
                database->exec("INSERT INTO schema_migrations (version) VALUES ('" + version +
                               "')");
                break;
        }
    }

    void record(const migration_def& m, bool success = true) const {
        record(m.version, m.name, sha384_hex(m.up), success);
    }

    // The tool ran the first `n` migrations of the set.
    void migrate_with_tool(std::size_t n) const {
        create_tool_table();
        for (std::size_t i = 0; i < n; ++i) {
            run_ups({&migrations()[i]});
            record(migrations()[i]);
        }
    }

    std::vector<std::vector<std::string>> tool_rows() const {
        return database->query("SELECT * FROM " + table() + " ORDER BY version");
    }

    process_result adopt(std::vector<std::string> extra = {}) const {
        std::vector<std::string> args = {"adopt", "--from", from_name()};
        args.insert(args.end(), extra.begin(), extra.end());
        return run(args);
    }

    void SetUp() override {
        adoption_test::SetUp();
        write_set(from());
    }
};

TEST_P(AdoptTest, AdoptsTheWholeHistory) {
    migrate_with_tool(3);
    const auto tool_before = tool_rows();
    const auto tables_before = database->tables();

    auto r = adopt();
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    for (const auto* m : {&m1, &m2, &m3})
        EXPECT_THAT(r.out, HasSubstr("adopted " + m->version + " " + m->name)) << r.describe();
    EXPECT_THAT(r.out, HasSubstr("adopted 3 migration(s) from " + from_name())) << r.describe();

    EXPECT_EQ(tracked_versions(), (std::vector<std::string>{m1.version, m2.version, m3.version}));
    EXPECT_EQ(statuses({&m1, &m2, &m3}),
              (std::vector<std::string>{"applied", "applied", "applied"}));
    auto code = run({"status", "--exit-code"});
    EXPECT_EQ(code.exit_code, 0) << code.describe();

    EXPECT_EQ(tool_rows(), tool_before) << "the " << table() << " table was changed";
    EXPECT_EQ(database->tables(), tables_before) << "adopt ran migrations";
}

TEST_P(AdoptTest, RecordsTheFilesChecksumsAsUpWould) {
    migrate_with_tool(3);
    ASSERT_EQ(adopt().exit_code, 0);
    // The same files applied by strata itself, on a database of their own:
    // the adopted rows carry the checksums `up` would have recorded.
    auto fresh = strata::test::make_test_database(database->kind(), dir.path(), "fresh.db");
    auto up = strata::test::run_strata(dir.path(), {"--url", fresh->url(), "up"});
    ASSERT_EQ(up.exit_code, 0) << up.describe();
    const auto adopted = database->tracking();
    const auto applied = fresh->tracking();
    ASSERT_EQ(adopted.size(), applied.size());
    for (std::size_t i = 0; i < adopted.size(); ++i) {
        EXPECT_EQ(adopted[i].version, applied[i].version);
        EXPECT_EQ(adopted[i].name, applied[i].name);
        EXPECT_EQ(adopted[i].checksum, applied[i].checksum) << adopted[i].version;
    }
}

TEST_P(AdoptTest, SecondAdoptHasNothingToAdopt) {
    migrate_with_tool(3);
    ASSERT_EQ(adopt().exit_code, 0);
    const auto before = database->dump();

    auto again = adopt();
    EXPECT_EQ(again.exit_code, 0) << again.describe();
    EXPECT_THAT(again.out, HasSubstr("nothing to adopt")) << again.describe();
    EXPECT_THAT(again.out, Not(HasSubstr("adopted 2025"))) << again.describe();
    EXPECT_EQ(database->dump(), before) << "the second adopt changed the database";
}

TEST_P(AdoptTest, UpAfterAdoptAppliesOnlyNewMigrations) {
    migrate_with_tool(3);
    ASSERT_EQ(adopt().exit_code, 0);
    write_migration(from(), m4);

    EXPECT_EQ(status_of(m4.version), "pending");
    auto up = run({"up"});
    // The adopted migrations would fail if run again (CREATE TABLE).
    ASSERT_EQ(up.exit_code, 0) << up.describe();
    EXPECT_EQ(occurrences(up.out, "applied " + m4.id()), 1u) << up.describe();
    EXPECT_EQ(occurrences(up.out, "applied "), 1u) << up.describe();
    EXPECT_TRUE(database->has_table("comments"));
    EXPECT_EQ(tracked_versions(),
              (std::vector<std::string>{m1.version, m2.version, m3.version, m4.version}));
    auto code = run({"status", "--exit-code"});
    EXPECT_EQ(code.exit_code, 0) << code.describe();
}

TEST_P(AdoptTest, DryRunChangesNothing) {
    migrate_with_tool(3);
    const auto before = database->dump();

    auto r = adopt({"--dry-run"});
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    for (const auto* m : {&m1, &m2, &m3})
        EXPECT_THAT(r.out, HasSubstr("would adopt " + m->version + " " + m->name)) << r.describe();
    EXPECT_FALSE(has_strata_history());
    EXPECT_EQ(database->dump(), before);
    EXPECT_EQ(statuses({&m1, &m2, &m3}),
              (std::vector<std::string>{"pending", "pending", "pending"}));

    // And the real thing still works afterwards.
    auto real = adopt();
    EXPECT_EQ(real.exit_code, 0) << real.describe();
    EXPECT_EQ(tracked_versions(), (std::vector<std::string>{m1.version, m2.version, m3.version}));
}

TEST_P(AdoptTest, PartialHistoryAdoptsWhatTheToolRecorded) {
    migrate_with_tool(1);

    auto r = adopt();
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_THAT(r.out, HasSubstr("adopted " + m1.version + " " + m1.name)) << r.describe();
    EXPECT_THAT(r.out, HasSubstr("adopted 1 migration(s) from " + from_name())) << r.describe();
    EXPECT_THAT(r.out, Not(HasSubstr("adopted " + m2.version))) << r.describe();
    EXPECT_EQ(tracked_versions(), std::vector<std::string>{m1.version});
    EXPECT_EQ(statuses({&m1, &m2, &m3}),
              (std::vector<std::string>{"applied", "pending", "pending"}));

    auto up = run({"up"});
    ASSERT_EQ(up.exit_code, 0) << up.describe();
    EXPECT_EQ(occurrences(up.out, "applied " + m2.id()), 1u) << up.describe();
    EXPECT_EQ(occurrences(up.out, "applied " + m3.id()), 1u) << up.describe();
    EXPECT_EQ(occurrences(up.out, "applied "), 2u) << up.describe();
    EXPECT_TRUE(database->has_table("posts"));
    EXPECT_TRUE(database->has_table("tags"));
    EXPECT_EQ(tracked_versions(), (std::vector<std::string>{m1.version, m2.version, m3.version}));
}

TEST_P(AdoptTest, NoHistoryTable) {
    run_ups({&m1, &m2, &m3});
    const auto before = database->dump();

    auto r = adopt();
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_THAT(r.err, HasSubstr("no " + from_name() + " history")) << r.describe();
    EXPECT_THAT(r.err, HasSubstr(table())) << r.describe();
    EXPECT_FALSE(has_strata_history());
    EXPECT_EQ(database->dump(), before);
}

// Nothing to take over: no SQLite file is created, no PostgreSQL relation.
TEST_P(AdoptTest, EmptyDatabaseStaysEmpty) {
    if (database->kind() == backend::sqlite)
        fs::remove(dir / "test.db");

    auto r = adopt();
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_THAT(r.err, HasSubstr("no " + from_name() + " history")) << r.describe();
    EXPECT_FALSE(database->exists()) << "adopt created something";
}

TEST_P(AdoptTest, RecordedVersionWithoutMigrationIsRefused) {
    migrate_with_tool(3);
    record("20241231000000", "lost_migration", sha384_hex("SELECT 1;\n"));
    const auto before = database->dump();

    auto r = adopt();
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_THAT(r.err, HasSubstr("20241231000000")) << r.describe();
    EXPECT_FALSE(has_strata_history()) << "adopt recorded part of the history";
    EXPECT_EQ(database->dump(), before);
}

TEST_P(AdoptTest, DriftIsRefusedWithTheDiff) {
    migrate_with_tool(3);
    database->exec("ALTER TABLE users ADD COLUMN extra TEXT");
    const auto before = database->dump();

    auto r = adopt();
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_THAT(r.err, HasSubstr("table users: column extra: added")) << r.describe();
    EXPECT_THAT(r.err, HasSubstr("--force")) << r.describe();
    EXPECT_FALSE(has_strata_history());
    EXPECT_EQ(database->dump(), before);

    auto dry = adopt({"--dry-run"});
    EXPECT_EQ(database->dump(), before) << dry.describe();
}

TEST_P(AdoptTest, ForceAdoptsDespiteDrift) {
    migrate_with_tool(3);
    database->exec("ALTER TABLE users ADD COLUMN extra TEXT");

    auto r = adopt({"--force"});
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_THAT(r.out, HasSubstr("adopted 3 migration(s) from " + from_name())) << r.describe();
    EXPECT_EQ(tracked_versions(), (std::vector<std::string>{m1.version, m2.version, m3.version}));
    EXPECT_EQ(database->columns("users"), (std::vector<std::string>{"id", "email", "extra"}))
        << "--force changed the schema";
}

TEST_P(AdoptTest, MissingTableOfTheSetIsDrift) {
    // The tool recorded all three, but the third one's table is not there.
    migrate_with_tool(3);
    database->exec("DROP TABLE tags");
    const auto before = database->dump();

    auto r = adopt();
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_THAT(r.err, HasSubstr("table tags")) << r.describe();
    EXPECT_FALSE(has_strata_history());
    EXPECT_EQ(database->dump(), before);
}

TEST_P(AdoptTest, CustomTrackingTable) {
    migrate_with_tool(3);

    auto r = adopt({"--tracking-table", "deploy_history"});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_TRUE(database->has_table("deploy_history"));
    EXPECT_FALSE(has_strata_history());
    auto status = run({"--tracking-table", "deploy_history", "status", "--exit-code"});
    EXPECT_EQ(status.exit_code, 0) << status.describe();
}

TEST_P(AdoptTest, StatusShowsTheToolsHistory) {
    migrate_with_tool(1);
    const auto before = database->dump();

    auto r = run({"status"});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    const std::string header = r.out.substr(0, r.out.find('\n'));
    const auto column = header.find(column_header(from()));
    ASSERT_NE(column, std::string::npos) << r.out;
    const std::string recorded = status_line(r.out, m1.version);
    EXPECT_EQ(recorded.compare(column, 7, "applied"), 0)
        << "under " << column_header(from()) << ":\n"
        << r.out;
    EXPECT_EQ(recorded.rfind("pending", 0), 0u) << "not applied by strata yet\n" << r.out;
    for (const auto* m : {&m2, &m3}) {
        const std::string line = status_line(r.out, m->version);
        EXPECT_EQ(line.rfind("pending", 0), 0u) << r.out;
        EXPECT_THAT(line, Not(HasSubstr("applied"))) << r.out;
    }
    EXPECT_THAT(r.out, HasSubstr("strata adopt --from " + from_name())) << r.out;

    const auto json = status_json();
    ASSERT_EQ(json.size(), 3u) << json.dump(2);
    for (const auto& row : json) {
        SCOPED_TRACE(row.dump());
        ASSERT_TRUE(row.contains("foreign"));
        EXPECT_EQ(row.at("foreign").at(from_name()), row.at("version") == m1.version);
        EXPECT_EQ(row.at("status"), "pending");
    }
    auto code = run({"status", "--exit-code"});
    EXPECT_EQ(code.exit_code, 1) << "nothing is adopted yet\n" << code.describe();

    EXPECT_EQ(database->dump(), before) << "status wrote to the database";
    EXPECT_FALSE(has_strata_history());
}

TEST_P(AdoptTest, StatusAfterAdoptStillWorks) {
    migrate_with_tool(3);
    ASSERT_EQ(adopt().exit_code, 0);
    auto r = run({"status"});
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    for (const auto* m : {&m1, &m2, &m3})
        EXPECT_EQ(status_line(r.out, m->version).rfind("applied", 0), 0u) << r.out;
}

TEST_P(AdoptTest, DriftAfterTheTakeOverIsNotAdoptsBusiness) {
    migrate_with_tool(3);
    ASSERT_EQ(adopt().exit_code, 0);
    database->exec("ALTER TABLE users ADD COLUMN later TEXT");
    auto again = adopt();
    EXPECT_EQ(again.exit_code, 0) << again.describe();
    EXPECT_THAT(again.out, HasSubstr("nothing to adopt")) << again.describe();
}

TEST_P(AdoptTest, FailedOrUnknownVersionsAreToldApartInStatus) {
    migrate_with_tool(1);
    record("20241231000000", "lost_migration", sha384_hex("SELECT 1;\n"));
    auto status = run({"status"});
    ASSERT_EQ(status.exit_code, 0) << status.describe();
    EXPECT_THAT(status.out, HasSubstr("records 1 migration(s) that Strata's does not"))
        << status.describe();
    EXPECT_THAT(status.out, HasSubstr("also records version(s) 20241231000000, which --dir has "
                                      "no migration for"))
        << status.describe();
}

INSTANTIATE_TEST_SUITE_P(BackendsAndTools, AdoptTest,
                         ::testing::Combine(::testing::ValuesIn(strata::test::all_backends),
                                            ::testing::Values(tool::diesel, tool::sqlx,
                                                              tool::dbmate)),
                         [](const ::testing::TestParamInfo<std::tuple<backend, tool>>& param_info) {
                             return strata::test::to_string(std::get<0>(param_info.param)) + "_" +
                                    to_string(std::get<1>(param_info.param));
                         });

// ---------------------------------------------------------------------------
// sqlx's own records: success and checksum.

class AdoptSqlxTest : public AdoptTest {};

TEST_P(AdoptSqlxTest, FailedMigrationIsRefused) {
    migrate_with_tool(1);
    // sqlx recorded the second one as failed (its effects are there).
    run_ups({&m2});
    record(m2, false);
    const auto before = database->dump();

    auto r = adopt();
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_THAT(r.err, HasSubstr(m2.version)) << r.describe();
    EXPECT_FALSE(has_strata_history());
    EXPECT_EQ(database->dump(), before);
}

TEST_P(AdoptSqlxTest, ModifiedSinceSqlxAppliedItIsRefused) {
    migrate_with_tool(3);
    // Edited after sqlx ran it; the schema it gives is the same.
    write_file(up_file(tool::sqlx, m2), m2.up + "-- edited later\n");
    const auto before = database->dump();

    auto r = adopt();
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_THAT(r.err, HasSubstr("modified since sqlx applied it")) << r.describe();
    EXPECT_THAT(r.err, HasSubstr(m2.id())) << r.describe();
    EXPECT_THAT(r.err, Not(HasSubstr(m1.id()))) << "only the edited one\n" << r.describe();
    EXPECT_FALSE(has_strata_history());
    EXPECT_EQ(database->dump(), before);

    auto allowed = adopt({"--allow-modified"});
    EXPECT_EQ(allowed.exit_code, 0) << allowed.describe();
    EXPECT_THAT(allowed.out, HasSubstr("adopted 3 migration(s) from sqlx")) << allowed.describe();
    EXPECT_EQ(tracked_versions(), (std::vector<std::string>{m1.version, m2.version, m3.version}));
    EXPECT_EQ(statuses({&m1, &m2, &m3}),
              (std::vector<std::string>{"applied", "applied", "applied"}));
}

TEST_P(AdoptSqlxTest, ChecksumIsOfTheExactBytes) {
    // A CRLF up file: sqlx hashed the bytes as they were, CRs included.
    migrate_with_tool(1);
    std::string crlf;
    for (char c : m2.up) {
        if (c == '\n')
            crlf.push_back('\r');
        crlf.push_back(c);
    }
    write_file(up_file(tool::sqlx, m2), crlf);
    run_ups({&m2});
    record(m2.version, m2.name, sha384_hex(crlf));

    auto r = adopt();
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_EQ(tracked_versions(), (std::vector<std::string>{m1.version, m2.version}));
}

TEST_P(AdoptSqlxTest, WrongChecksumWithoutEditIsRefused) {
    // The row's checksum is of something else: the file is not what sqlx ran.
    create_tool_table();
    run_ups({&m1});
    record(m1.version, m1.name, sha384_hex("CREATE TABLE users (id INTEGER PRIMARY KEY);\n"));
    const auto before = database->dump();

    auto r = adopt();
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_THAT(r.err, HasSubstr("modified since sqlx applied it")) << r.describe();
    EXPECT_THAT(r.err, HasSubstr(m1.id())) << r.describe();
    EXPECT_EQ(database->dump(), before);
}

TEST_P(AdoptSqlxTest, SequentialVersionsMatchByNumber) {
    // sqlx parses `0001_users` as version 1 and stores the number.
    create_tool_table();
    const migration_def users{"0001", "users", m1.up, m1.down};
    const migration_def posts{"0002", "posts", m2.up, m2.down};
    for (const auto* m : {&users, &posts}) {
        write_file(dir / "seq" / (m->id() + ".up.sql"), m->up);
        write_file(dir / "seq" / (m->id() + ".down.sql"), m->down);
        run_ups({m});
        record(std::to_string(std::stoi(m->version)), m->name, sha384_hex(m->up));
    }

    auto r = adopt({"--dir", "seq"});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_THAT(r.out, HasSubstr("adopted 0001 users")) << r.describe();
    EXPECT_THAT(r.out, HasSubstr("adopted 2 migration(s) from sqlx")) << r.describe();
    EXPECT_EQ(tracked_versions(), (std::vector<std::string>{"0001", "0002"}));
    auto code = run({"--dir", "seq", "status", "--exit-code"});
    EXPECT_EQ(code.exit_code, 0) << code.describe();
}

TEST_P(AdoptSqlxTest, StatusShowsAFailedRunAsFailed) {
    create_tool_table();
    run_ups({&m1});
    record(m1, false);
    auto status = run({"status"});
    ASSERT_EQ(status.exit_code, 0) << status.describe();
    EXPECT_THAT(status_line(status.out, m1.version), HasSubstr("failed")) << status.out;
    for (const auto& row : status_json())
        if (row.at("version") == m1.version) {
            EXPECT_EQ(row.at("foreign").at("sqlx"), "failed") << row.dump();
        }
}

INSTANTIATE_TEST_SUITE_P(Backends, AdoptSqlxTest,
                         ::testing::Combine(::testing::ValuesIn(strata::test::all_backends),
                                            ::testing::Values(tool::sqlx)),
                         [](const ::testing::TestParamInfo<std::tuple<backend, tool>>& param_info) {
                             return strata::test::to_string(std::get<0>(param_info.param));
                         });

// ---------------------------------------------------------------------------
// diesel's own conventions.

class AdoptDieselTest : public AdoptTest {};

TEST_P(AdoptDieselTest, InitialSetupMigrationOfVersionZero) {
    // `diesel setup` writes 00000000000000_diesel_initial_setup (on
    // PostgreSQL: its two functions) and records version 00000000000000.
    const std::string setup_up = database->per_backend(
        "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT);\n",
        "CREATE OR REPLACE FUNCTION diesel_manage_updated_at(_tbl regclass) RETURNS VOID AS $$\n"
        "BEGIN\n"
        "    EXECUTE format('CREATE TRIGGER set_updated_at BEFORE UPDATE ON %s\n"
        "                    FOR EACH ROW EXECUTE PROCEDURE diesel_set_updated_at()', _tbl);\n"
        "END;\n"
        "$$ LANGUAGE plpgsql;\n"
        "\n"
        "CREATE OR REPLACE FUNCTION diesel_set_updated_at() RETURNS trigger AS $$\n"
        "BEGIN\n"
        "    IF (\n"
        "        NEW IS DISTINCT FROM OLD AND\n"
        "        NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at\n"
        "    ) THEN\n"
        "        NEW.updated_at := current_timestamp;\n"
        "    END IF;\n"
        "    RETURN NEW;\n"
        "END;\n"
        "$$ LANGUAGE plpgsql;\n");
    const std::string setup_down =
        database->per_backend("DROP TABLE settings;\n",
                              "DROP FUNCTION IF EXISTS diesel_manage_updated_at(_tbl regclass);\n"
                              "DROP FUNCTION IF EXISTS diesel_set_updated_at();\n");
    write_file(dir / "migrations/00000000000000_diesel_initial_setup/up.sql", setup_up);
    write_file(dir / "migrations/00000000000000_diesel_initial_setup/down.sql", setup_down);
    create_tool_table();
    database->exec(setup_up);
    record("00000000000000", "diesel_initial_setup", "");
    for (const auto* m : {&m1, &m2}) {
        run_ups({m});
        record(*m);
    }

    auto r = adopt();
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_THAT(r.out, HasSubstr("adopted 00000000000000 diesel_initial_setup")) << r.describe();
    EXPECT_THAT(r.out, HasSubstr("adopted 3 migration(s) from diesel")) << r.describe();
    EXPECT_EQ(tracked_versions(),
              (std::vector<std::string>{"00000000000000", m1.version, m2.version}));
    EXPECT_EQ(statuses({&m1, &m2, &m3}),
              (std::vector<std::string>{"applied", "applied", "pending"}));

    auto up = run({"up"});
    ASSERT_EQ(up.exit_code, 0) << up.describe();
    EXPECT_EQ(occurrences(up.out, "applied "), 1u) << up.describe();
    EXPECT_TRUE(database->has_table("tags"));
}

TEST_P(AdoptDieselTest, LocalRunOnTimesBecomeUtc) {
    if (database->kind() != backend::postgres)
        return;  // SQLite's CURRENT_TIMESTAMP is UTC already
    database->exec(
        "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET timezone = %L', current_database(), "
        "'America/New_York'); END $$");
    migrate_with_tool(1);
    database->exec("UPDATE __diesel_schema_migrations SET run_on = '2025-01-01 05:00:00'");
    ASSERT_EQ(adopt().exit_code, 0);
    EXPECT_EQ(database->column("SELECT applied_at FROM _strata_migrations"),
              std::vector<std::string>{"2025-01-01T10:00:00.000Z"});
}

TEST_P(AdoptDieselTest, ProjectsOwnSchemaMigrationsTableIsNoToolsHistory) {
    write_file(dir / "migrations/2025-02-01-000000_own_history/up.sql",
               "CREATE TABLE schema_migrations (id INTEGER PRIMARY KEY, migrated TEXT);\n");
    write_file(dir / "migrations/2025-02-01-000000_own_history/down.sql",
               "DROP TABLE schema_migrations;\n");
    ASSERT_EQ(run({"up"}).exit_code, 0);
    auto status = run({"status"});
    EXPECT_EQ(status.exit_code, 0) << status.describe();
    EXPECT_THAT(status.out, Not(HasSubstr("DBMATE"))) << status.describe();
    auto diff = run({"diff"});
    EXPECT_EQ(diff.exit_code, 0) << diff.describe();
}

INSTANTIATE_TEST_SUITE_P(Backends, AdoptDieselTest,
                         ::testing::Combine(::testing::ValuesIn(strata::test::all_backends),
                                            ::testing::Values(tool::diesel)),
                         [](const ::testing::TestParamInfo<std::tuple<backend, tool>>& param_info) {
                             return strata::test::to_string(std::get<0>(param_info.param));
                         });

// ---------------------------------------------------------------------------
// strata baseline --version V: a database built some other way.

class BaselineTest : public adoption_test<backend> {
  protected:
    BaselineTest() : adoption_test("strata-e2e-baseline") {}

    void SetUp() override {
        adoption_test::SetUp();
        write_set(tool::sqlx);
    }

    process_result baseline(const std::string& version, std::vector<std::string> extra = {}) const {
        std::vector<std::string> args = {"baseline", "--version", version};
        args.insert(args.end(), extra.begin(), extra.end());
        return run(args);
    }
};

TEST_P(BaselineTest, MarksUpToTheVersionAndUpAppliesTheRest) {
    run_ups({&m1, &m2});

    auto r = baseline(m2.version);
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_THAT(r.out, HasSubstr("marked 2 migration(s) up to " + m2.version + " as applied"))
        << r.describe();
    EXPECT_EQ(tracked_versions(), (std::vector<std::string>{m1.version, m2.version}));
    EXPECT_EQ(statuses({&m1, &m2, &m3}),
              (std::vector<std::string>{"applied", "applied", "pending"}));
    EXPECT_FALSE(database->has_table("tags")) << "baseline ran a migration";

    auto up = run({"up"});
    ASSERT_EQ(up.exit_code, 0) << up.describe();
    EXPECT_EQ(occurrences(up.out, "applied " + m3.id()), 1u) << up.describe();
    EXPECT_EQ(occurrences(up.out, "applied "), 1u) << up.describe();
    EXPECT_TRUE(database->has_table("tags"));
    EXPECT_EQ(tracked_versions(), (std::vector<std::string>{m1.version, m2.version, m3.version}));
    auto code = run({"status", "--exit-code"});
    EXPECT_EQ(code.exit_code, 0) << code.describe();
}

TEST_P(BaselineTest, LatestVersionMarksEverything) {
    run_ups({&m1, &m2, &m3});
    auto r = baseline(m3.version);
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_THAT(r.out, HasSubstr("marked 3 migration(s) up to " + m3.version + " as applied"))
        << r.describe();
    auto code = run({"status", "--exit-code"});
    EXPECT_EQ(code.exit_code, 0) << code.describe();
    auto up = run({"up"});
    EXPECT_EQ(up.exit_code, 0) << up.describe();
    EXPECT_THAT(up.out, Not(HasSubstr("applied "))) << up.describe();
}

TEST_P(BaselineTest, RecordsTheFilesChecksums) {
    run_ups({&m1, &m2});
    ASSERT_EQ(baseline(m2.version).exit_code, 0);
    auto fresh = strata::test::make_test_database(database->kind(), dir.path(), "fresh.db");
    auto up =
        strata::test::run_strata(dir.path(), {"--url", fresh->url(), "up", "--to", m2.version});
    ASSERT_EQ(up.exit_code, 0) << up.describe();
    const auto marked = database->tracking();
    const auto applied = fresh->tracking();
    ASSERT_EQ(marked.size(), applied.size());
    for (std::size_t i = 0; i < marked.size(); ++i) {
        EXPECT_EQ(marked[i].version, applied[i].version);
        EXPECT_EQ(marked[i].name, applied[i].name);
        EXPECT_EQ(marked[i].checksum, applied[i].checksum);
    }
}

TEST_P(BaselineTest, UnknownVersionIsAUsageError) {
    run_ups({&m1, &m2});
    const auto before = database->dump();
    for (const std::string v : {"20241231000000", "20250102000001", "99999999999999"}) {
        auto r = baseline(v);
        EXPECT_EQ(r.exit_code, 2) << v << "\n" << r.describe();
        EXPECT_FALSE(r.err.empty()) << r.describe();
    }
    EXPECT_FALSE(has_strata_history());
    EXPECT_EQ(database->dump(), before);
}

TEST_P(BaselineTest, DryRunChangesNothing) {
    run_ups({&m1, &m2});
    const auto before = database->dump();
    auto r = baseline(m2.version, {"--dry-run"});
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_FALSE(has_strata_history());
    EXPECT_EQ(database->dump(), before);
}

TEST_P(BaselineTest, DriftIsRefusedAndForceBaselinesAnyway) {
    run_ups({&m1, &m2});
    database->exec("ALTER TABLE users ADD COLUMN extra TEXT");
    const auto before = database->dump();

    auto r = baseline(m2.version);
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_THAT(r.err, HasSubstr("table users: column extra: added")) << r.describe();
    EXPECT_THAT(r.err, HasSubstr("--force")) << r.describe();
    EXPECT_FALSE(has_strata_history());
    EXPECT_EQ(database->dump(), before);

    auto forced = baseline(m2.version, {"--force"});
    EXPECT_EQ(forced.exit_code, 0) << forced.describe();
    EXPECT_EQ(tracked_versions(), (std::vector<std::string>{m1.version, m2.version}));
    EXPECT_EQ(database->columns("users"), (std::vector<std::string>{"id", "email", "extra"}));
}

TEST_P(BaselineTest, WrongVersionForTheSchemaIsDrift) {
    // The database has two migrations' schema; V = the first leaves posts over.
    run_ups({&m1, &m2});
    const auto before = database->dump();
    auto r = baseline(m1.version);
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_THAT(r.err, HasSubstr("table posts")) << r.describe();
    EXPECT_FALSE(has_strata_history());
    EXPECT_EQ(database->dump(), before);
}

TEST_P(BaselineTest, DatabaseWithStrataHistoryIsRefused) {
    // strata applied the first; the second was run by hand.
    auto up = run({"up", "--to", m1.version});
    ASSERT_EQ(up.exit_code, 0) << up.describe();
    ASSERT_TRUE(has_strata_history());
    run_ups({&m2});
    const auto before = database->dump();

    auto r = baseline(m2.version);
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_FALSE(r.err.empty()) << r.describe();
    EXPECT_EQ(tracked_versions(), std::vector<std::string>{m1.version});
    EXPECT_EQ(database->dump(), before);
}

INSTANTIATE_TEST_SUITE_P(Backends, BaselineTest, ::testing::ValuesIn(strata::test::all_backends),
                         strata::test::backend_name());

}  // namespace
