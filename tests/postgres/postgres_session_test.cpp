// How strata uses a PostgreSQL session: each migration meets a fresh one
// (settings a script changed are reset), failures at COMMIT are the
// migration's, and an application role without CREATE on the database can
// migrate its schema.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "postgres.hpp"
#include "strata_cli.hpp"

using namespace strata::test;
using ::testing::HasSubstr;

namespace {

class PostgresSession : public ::testing::Test {
  protected:
    scratch_directory dir{"strata-pg-session"};
    postgres_test_database db{"session"};

    void write_migration(const std::string& id, const std::string& up, const std::string& down) {
        write_file(dir / "migrations" / (id + ".up.sql"), up);
        write_file(dir / "migrations" / (id + ".down.sql"), down);
    }

    process_result strata(const std::vector<std::string>& args, const std::string& url) const {
        std::vector<std::string> all = {"--url", url};
        all.insert(all.end(), args.begin(), args.end());
        return run_strata(dir.path(), all);
    }
};

TEST_F(PostgresSession, SettingsOfOneMigrationDoNotLeakIntoTheNext) {
    write_migration("0001_audit",
                    "CREATE SCHEMA audit;\nSET search_path TO audit;\nSET statement_timeout = 1;\n",
                    "DROP SCHEMA audit;\n");
    write_migration("0002_things", "SELECT pg_sleep(0.01);\nCREATE TABLE things (id integer);\n",
                    "DROP TABLE things;\n");
    const auto up = strata({"up"}, db.url());
    ASSERT_EQ(up.exit_code, 0) << up.describe();
    // Where a run of 0002 alone would have put it, and without the timeout.
    EXPECT_EQ(db.query_value("SELECT table_schema FROM information_schema.tables WHERE "
                             "table_name = 'things'"),
              "public");
    const auto down = strata({"down", "--all"}, db.url());
    EXPECT_EQ(down.exit_code, 0) << down.describe();
}

TEST_F(PostgresSession, DeferredConstraintFailingAtCommitNamesTheMigration) {
    write_migration("0001_parents",
                    "CREATE TABLE parents (id integer PRIMARY KEY);\n"
                    "CREATE TABLE children (parent integer REFERENCES parents DEFERRABLE "
                    "INITIALLY DEFERRED);\n",
                    "DROP TABLE children;\nDROP TABLE parents;\n");
    write_migration("0002_orphan", "INSERT INTO children VALUES (42);\n",
                    "DELETE FROM children;\n");
    const auto up = strata({"up"}, db.url());
    EXPECT_EQ(up.exit_code, 1) << up.describe();
    EXPECT_THAT(up.err, HasSubstr("migrations/0002_orphan.up.sql: error: migration 0002_orphan "
                                  "failed at commit, rolled back: insert or update on table "
                                  "\"children\" violates foreign key constraint"));
    EXPECT_EQ(db.query_value("SELECT count(*) FROM children"), "0");
    EXPECT_EQ(db.query_value("SELECT string_agg(version, ' ') FROM _strata_migrations"), "0001");
}

TEST_F(PostgresSession, RoleWithoutCreateOnTheDatabaseMigratesItsSchema) {
    const std::string role = db.name() + "_app";
    db.exec("CREATE ROLE " + role +
            " LOGIN PASSWORD 'app-pw';"
            "REVOKE CREATE ON DATABASE " +
            db.name() +
            " FROM PUBLIC;"
            "GRANT USAGE, CREATE ON SCHEMA public TO " +
            role + ";");
    std::string url = with_database(postgres_server_url(), db.name());
    url.replace(url.find("://") + 3, url.find('@') - url.find("://") - 3, role + ":app-pw");
    write_migration("0001_things", "CREATE TABLE things (id integer);\n", "DROP TABLE things;\n");
    const auto up = strata({"up"}, url);
    EXPECT_EQ(up.exit_code, 0) << up.describe();
    EXPECT_THAT(up.out, HasSubstr("applied 0001_things"));
    db.exec("DROP OWNED BY " + role + "; DROP ROLE " + role + ";");
}

}  // namespace
