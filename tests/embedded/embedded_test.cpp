// An application with its migrations compiled in (add_migrations EMBED,
// tests/embedded/CMakeLists.txt) migrating its database at startup, on each
// backend: a fresh database, one the CLI migrated, one a newer deployment
// migrated, eight instances at once, a failing migration; check_schema; and
// the generated source is reproducible.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "backend_test.hpp"
#include "postgres.hpp"

namespace fs = std::filesystem;
using strata::test::process_result;
using strata::test::process_spec;
using strata::test::read_file;
using strata::test::write_file;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

class EmbeddedApp : public strata::test::backend_test<> {
  protected:
    EmbeddedApp() : backend_test("strata-embedded") {
        fs::copy(EMBEDDED_MIGRATIONS, dir / "migrations");
    }

    process_spec app_spec(const std::vector<std::string>& args) const {
        process_spec spec;
        spec.argv = {EMBEDDED_APP, app_url()};
        spec.argv.insert(spec.argv.end(), args.begin(), args.end());
        spec.cwd = dir.path();
        return spec;
    }
    process_result app(const std::vector<std::string>& args) const {
        return strata::test::run_process(app_spec(args));
    }
    std::string app_url() const { return database->url(); }

    // A database that diesel migrated up to `last`: the effects through the CLI
    // under a scratch history, then diesel's own table instead of it.
    void migrated_by_diesel(const std::string& last, const std::vector<std::string>& recorded) {
        const auto up = db({"--tracking-table", "scratch_history", "up", "--to", last});
        ASSERT_EQ(up.exit_code, 0) << up.describe();
        database->exec("DROP TABLE scratch_history");
        database->exec(
            "CREATE TABLE IF NOT EXISTS __diesel_schema_migrations (version VARCHAR(50) "
            "PRIMARY KEY NOT NULL, run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)");
        for (const auto& version : recorded)
            database->exec("INSERT INTO __diesel_schema_migrations (version) VALUES ('" + version +
                           "')");
    }
};

TEST_P(EmbeddedApp, MigratesAFreshDatabaseThatTheCliThenSeesAsCurrent) {
    auto r = app({"migrate"});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_THAT(r.out, HasSubstr("applied 0001_customers"));
    EXPECT_THAT(r.out, HasSubstr("applied 0003_order_notes"));
    EXPECT_EQ(database->tracked_versions(), (std::vector<std::string>{"0001", "0002", "0003"}));
    EXPECT_EQ(app({"migrate"}).out, "up to date\n");
    // The same tracking table and checksums as the CLI's.
    const auto status = db({"status", "--exit-code"});
    EXPECT_EQ(status.exit_code, 0) << status.describe();
}

TEST_P(EmbeddedApp, DatabaseMigratedByTheCliIsCurrent) {
    ASSERT_EQ(db({"up", "--to", "0002"}).exit_code, 0);
    auto r = app({"migrate"});
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_EQ(r.out, "applied 0003_order_notes (" + r.out.substr(r.out.find('(') + 1));
    ASSERT_EQ(db({"up"}).exit_code, 0);
    EXPECT_EQ(app({"migrate"}).out, "up to date\n");
}

TEST_P(EmbeddedApp, DatabaseAheadOfTheBinaryIsRefused) {
    write_file(dir / "migrations" / "0004_newer.up.sql", "CREATE TABLE newer (id INTEGER);\n");
    write_file(dir / "migrations" / "0004_newer.down.sql", "DROP TABLE newer;\n");
    ASSERT_EQ(db({"up"}).exit_code, 0);
    const std::string before = database->dump();
    auto r = app({"migrate"});
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_THAT(r.err, HasSubstr("the database has applied migration 0004_newer, which this "
                                 "binary does not know"));
    EXPECT_THAT(r.err,
                HasSubstr("or set migrate_options::allow_unknown_applied to proceed anyway"));
    EXPECT_EQ(database->dump(), before);
    auto allowed = app({"migrate", "--allow-unknown"});
    EXPECT_EQ(allowed.exit_code, 0) << allowed.describe();
}

// The engine's remedy in the embedded API's words: no flag an application
// cannot pass.
TEST_P(EmbeddedApp, ChangedAppliedMigrationIsRefusedInTheApisOwnWords) {
    const fs::path up = dir / "migrations" / "0001_customers.up.sql";
    std::ifstream in(up);
    const std::string built{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    write_file(up, built + "-- changed after the build\n");
    ASSERT_EQ(db({"up"}).exit_code, 0);
    const std::string before = database->dump();
    const auto r = app({"migrate"});
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_THAT(r.err, HasSubstr("modified 0001_customers"));
    EXPECT_THAT(r.err, HasSubstr("restore the applied file; migrate() never proceeds past a "
                                 "changed applied migration"));
    EXPECT_THAT(r.err, Not(HasSubstr("--allow-modified")));
    EXPECT_EQ(database->dump(), before);
}

TEST_P(EmbeddedApp, AdoptsWhatDieselAppliedAndRunsNothingTwice) {
    ASSERT_NO_FATAL_FAILURE(migrated_by_diesel("0003", {"0001", "0002", "0003"}));
    const auto r = app({"migrate", "--adopt-from", "diesel"});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_EQ(r.out, "up to date\n");
    EXPECT_EQ(database->tracked_versions(), (std::vector<std::string>{"0001", "0002", "0003"}));
    EXPECT_EQ(database->column("SELECT version FROM __diesel_schema_migrations ORDER BY version"),
              (std::vector<std::string>{"0001", "0002", "0003"}));
    EXPECT_EQ(app({"migrate", "--adopt-from", "diesel"}).out, "up to date\n");
    EXPECT_EQ(app({"check"}).exit_code, 0);  // diesel's table is no drift
}

TEST_P(EmbeddedApp, AfterTheTakeOverStartupDoesNotCheckTheSchemaAgain) {
    ASSERT_NO_FATAL_FAILURE(migrated_by_diesel("0003", {"0001", "0002", "0003"}));
    ASSERT_EQ(app({"migrate", "--adopt-from", "diesel"}).exit_code, 0);
    // Drift is check_schema()'s to report, not a reason to refuse to start.
    database->exec("CREATE INDEX by_hand ON customers (name)");
    const auto r = app({"migrate", "--adopt-from", "diesel"});
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_EQ(r.out, "up to date\n");
}

TEST_P(EmbeddedApp, AdoptionOfADriftedDatabaseIsRefused) {
    ASSERT_NO_FATAL_FAILURE(migrated_by_diesel("0003", {"0001", "0002", "0003"}));
    database->exec("ALTER TABLE customers ADD COLUMN secret TEXT");
    const auto r = app({"migrate", "--adopt-from", "diesel"});
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_THAT(r.err, HasSubstr("table customers: column secret: added"));
    EXPECT_FALSE(database->has_table("_strata_migrations"));
}

TEST_P(EmbeddedApp, PartOfTheSetAdoptedThenTheRestApplied) {
    ASSERT_NO_FATAL_FAILURE(migrated_by_diesel("0002", {"0001", "0002"}));
    const auto r = app({"migrate", "--adopt-from", "diesel"});
    if (GetParam() == strata::test::backend::postgres) {
        // No scratch database on a production server: the CLI adopts part of a set.
        EXPECT_EQ(r.exit_code, 2) << r.describe();
        EXPECT_THAT(r.err, HasSubstr("adopt it first with the strata CLI's adopt command"));
        EXPECT_THAT(r.err, Not(HasSubstr("--from")));
        return;
    }
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_EQ(r.out, "applied 0003_order_notes (" + r.out.substr(r.out.find('(') + 1));
    EXPECT_EQ(database->tracked_versions(), (std::vector<std::string>{"0001", "0002", "0003"}));
}

TEST_P(EmbeddedApp, WithoutTheToolsTableAdoptFromMigratesAsUsual) {
    const auto r = app({"migrate", "--adopt-from", "diesel"});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_EQ(database->tracked_versions(), (std::vector<std::string>{"0001", "0002", "0003"}));
}

TEST_P(EmbeddedApp, EightInstancesAtOnceApplyEachMigrationOnce) {
    for (int round = 0; round < 5; ++round) {
        std::vector<process_spec> specs(8, app_spec({"migrate"}));
        const auto results = strata::test::run_processes(specs);
        int applied = 0;
        for (const auto& r : results) {
            EXPECT_EQ(r.exit_code, 0) << r.describe();
            for (auto at = r.out.find("applied "); at != std::string::npos;
                 at = r.out.find("applied ", at + 1))
                ++applied;
        }
        EXPECT_EQ(applied, 3) << "round " << round;
        EXPECT_EQ(database->tracked_versions(), (std::vector<std::string>{"0001", "0002", "0003"}));
        ASSERT_EQ(db({"down", "--all"}).exit_code, 0);
    }
}

TEST_P(EmbeddedApp, FailingMigrationNamesFileAndLineAndChangesNothing) {
    ASSERT_EQ(app({"migrate", "--to", "0001"}).exit_code, 0);
    database->exec("INSERT INTO customers (id, name) VALUES (1, 'early bird')");
    const std::string before = database->dump();
    auto r = app({"migrate"});
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_THAT(r.err, HasSubstr("error: migrations/0002_seed_staff.up.sql:2: migration "
                                 "0002_seed_staff failed, rolled back: "));
    EXPECT_THAT(r.err,
                HasSubstr(database->per_backend("UNIQUE constraint failed: customers.id",
                                                "duplicate key value violates unique constraint")));
    EXPECT_THAT(r.err, HasSubstr("[version 0002;"));
    EXPECT_EQ(database->dump(), before);
}

TEST_P(EmbeddedApp, CheckSchemaReportsAColumnAddedByHand) {
    ASSERT_EQ(app({"migrate"}).exit_code, 0);
    auto clean = app({"check"});
    EXPECT_EQ(clean.exit_code, 0) << clean.describe();
    EXPECT_EQ(clean.out, "schema as compiled in\n");
    database->exec("ALTER TABLE customers ADD COLUMN nickname TEXT");
    auto drifted = app({"check"});
    EXPECT_EQ(drifted.exit_code, 1) << drifted.describe();
    EXPECT_THAT(drifted.out,
                HasSubstr(database->per_backend("table customers: column nickname: added nickname "
                                                "TEXT",
                                                "table customers: column nickname: added nickname "
                                                "text")));
}

TEST_P(EmbeddedApp, OwnTrackingTableIsNotDrift) {
    auto r = app({"migrate", "--tracking-table", "app_migrations"});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_TRUE(database->has_table("customers"));
    auto check = app({"check", "--tracking-table", "app_migrations"});
    EXPECT_EQ(check.exit_code, 0) << check.describe();
}

// The application lent its connection: it gets it back as it was.
TEST_P(EmbeddedApp, ConnectionKeepsTheApplicationsSettings) {
    auto r = app({"settings"});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    const auto lines = r.out.substr(0, r.out.find('\n'));
    EXPECT_EQ(r.out, lines + "\n" + lines + "\n");
    EXPECT_THAT(r.out, HasSubstr(database->per_backend("foreign_keys=0 busy_timeout=1234",
                                                       "5s error 1min")));
}

INSTANTIATE_TEST_SUITE_P(Backends, EmbeddedApp, ::testing::ValuesIn(strata::test::all_backends),
                         strata::test::backend_name{});

// A driver's own complaint is a strata::migration_error too, as the API says.
TEST(EmbeddedErrors, OpenTransactionOfTheApplicationIsAMigrationError) {
    strata::test::postgres_test_database db("embedded_tx");
    process_spec spec;
    spec.argv = {EMBEDDED_APP, db.url(), "in-transaction"};
    const auto r = strata::test::run_process(spec);
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_THAT(r.out, HasSubstr("migration_error (kind connection)"));
    EXPECT_THAT(r.out, HasSubstr("transaction"));
}

// add_migrations(... EMBED ... REVERSIBLE_FROM): a set whose older down
// script does nothing builds (the build step lists it as a warning), and
// the program migrates at startup in diesel's order, the no-op included:
// `2024-02-01_note_author` is version 20240201, after 20240101000000 as
// text (as a number it would come first, before its table exists).
TEST(EmbeddedHistory, GrandfatheredSetBuildsAndMigratesAtStartup) {
    strata::test::scratch_directory dir("strata-embedded-history");
    process_spec spec;
    spec.argv = {EMBEDDED_HISTORY_APP, (dir / "app.db").string()};
    const auto first = strata::test::run_process(spec);
    ASSERT_EQ(first.exit_code, 0) << first.describe();
    EXPECT_EQ(first.out,
              "applied 20240101000000_create_notes\napplied 20240201_note_author\n"
              "applied 20240301000000_create_tags\napplied 20240315000000_todo\ndrift: 0\n");
    const auto again = strata::test::run_process(spec);
    ASSERT_EQ(again.exit_code, 0) << again.describe();
    EXPECT_EQ(again.out, "drift: 0\n");
}

// The same set, copied to two places, gives the same bytes: no time stamp,
// no absolute path.
TEST(EmbeddedSource, IsReproducible) {
    strata::test::scratch_directory one("strata-embedded-one");
    strata::test::scratch_directory two("strata-embedded-two");
    std::vector<std::string> sources;
    for (const auto* where : {&one, &two}) {
        fs::copy(EMBEDDED_MIGRATIONS, *where / "migrations");
        const auto r = strata::test::run_strata(
            where->path(), {"--dir", (*where / "migrations").string(), "embed", "--namespace",
                            "shop::db", "--include", "shop/db_migrations.hpp", "--out-header",
                            "out/shop/db_migrations.hpp", "--out-source", "out/db_migrations.cpp"});
        ASSERT_EQ(r.exit_code, 0) << r.describe();
        sources.push_back(read_file(*where / "out/db_migrations.cpp") +
                          read_file(*where / "out/shop/db_migrations.hpp"));
    }
    EXPECT_EQ(sources[0], sources[1]);
    EXPECT_THAT(sources[0], Not(HasSubstr(one.path().string())));
    EXPECT_THAT(sources[0], HasSubstr("\"migrations/0002_seed_staff.up.sql\", 1,"));
    // And the build's own copy is byte for byte the same.
    EXPECT_EQ(read_file(EMBEDDED_SOURCE), sources[0].substr(0, read_file(EMBEDDED_SOURCE).size()));
}

}  // namespace
