// strata/sqlite/query.hpp on a real SQLite file, with the query types that
// the build generated from adapters/users.sql and adapters/things.sql (the
// contract under test is the generator's and the adapter's together):
// binding every argument type, reading every field type, and the errors when
// the database no longer matches the query. The file gets its tables from the
// migrations the header was generated from (adapters/sqlite_migrations),
// compiled in.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>

#include "adapter_test/postgres_schema.hpp"
#include "adapter_test/sqlite_migrations.hpp"
#include "adapter_test/sqlite_schema.hpp"
#include "process.hpp"
#include "strata/error.hpp"
#include "strata/sqlite/query.hpp"

namespace {

// The queries as the build typed them on SQLite: integers std::int64_t, reals
// double, mood text.
namespace q = adapter_test::sqlite_db::queries;
// The same queries as the build typed them on PostgreSQL (the tables have the
// same columns there): std::int16_t, std::int32_t, float and the mood enum.
// SQLite's header never has these types, but the adapter reads them, for a
// program whose header comes from PostgreSQL and that runs on SQLite too (each
// query carries its sqlite_sql): the tests of those fields use these.
namespace typed = adapter_test::postgres_db::queries;
using adapter_test::postgres_db::mood;
using bytes = std::vector<std::uint8_t>;

class SqliteQuery : public ::testing::Test {
  protected:
    SqliteQuery() : db_((dir_ / "app.db").string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE) {
        adapter_test::sqlite_db::migrate(db_);
    }

    // The error `run` throws, checked to be a strata::error of kind check.
    template <class F>
    static std::string error_of(F run) {
        try {
            run();
        } catch (const strata::error& e) {
            EXPECT_EQ(e.kind(), strata::error_kind::check);
            return e.what();
        }
        ADD_FAILURE() << "no strata::error";
        return "";
    }

    strata::test::scratch_directory dir_{"strata-sqlite-query"};
    SQLite::Database db_;
};

TEST_F(SqliteQuery, BindsNamedParametersAndReadsTheRow) {
    strata::sqlite::execute<q::add_user>(db_, "ann@example.com", "ann");
    strata::sqlite::execute<q::add_user>(db_, std::string("bob@example.com"), std::nullopt);

    const auto ann = strata::sqlite::query_one<q::find_user_by_email>(db_, "ann@example.com");
    ASSERT_TRUE(ann);
    EXPECT_EQ(ann->id, 1);
    EXPECT_EQ(ann->email, "ann@example.com");
    EXPECT_EQ(ann->nickname, "ann");

    const auto bob =
        strata::sqlite::query_one<q::find_user_by_email>(db_, std::string_view("bob@example.com"));
    ASSERT_TRUE(bob);
    EXPECT_EQ(bob->nickname, std::nullopt);

    EXPECT_EQ(strata::sqlite::query_one<q::find_user_by_email>(db_, "eve@example.com"),
              std::nullopt);
}

TEST_F(SqliteQuery, BindsARepeatedNameOnce) {
    strata::sqlite::execute<q::add_user>(db_, "ann@example.com", "cat");
    strata::sqlite::execute<q::add_user>(db_, "cat", std::nullopt);
    strata::sqlite::execute<q::add_user>(db_, "bob@example.com", "bob");

    const auto rows = strata::sqlite::query<q::find_user_by_email_or_nickname>(db_, "cat");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].email, "ann@example.com");
    EXPECT_EQ(rows[1].email, "cat");
}

TEST_F(SqliteQuery, BindsPositionalParametersInOrder) {
    for (const char* email : {"a@x", "b@x", "c@x", "d@x"})
        strata::sqlite::execute<q::add_user>(db_, email, std::nullopt);

    const auto rows = strata::sqlite::query<q::users_between>(db_, 2, std::int64_t{3});
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].id, 2);
    EXPECT_EQ(rows[0].email, "b@x");
    EXPECT_EQ(rows[1].id, 3);
    EXPECT_EQ(rows[1].email, "c@x");
    EXPECT_TRUE(strata::sqlite::query<q::users_between>(db_, 3, 2).empty());

    // $1 and $2, written the other way round, bind arguments 1 and 2.
    const auto numbered = strata::sqlite::query<q::users_between_numbered>(db_, 2, 3);
    ASSERT_EQ(numbered.size(), 2u);
    EXPECT_EQ(numbered[0].id, 2);
    EXPECT_EQ(numbered[1].id, 3);
}

TEST_F(SqliteQuery, ReadsRowsByHandFromAPreparedStatement) {
    strata::sqlite::execute<q::add_user>(db_, "a@x", "a");
    strata::sqlite::execute<q::add_user>(db_, "b@x", std::optional<std::string>());

    auto statement = strata::sqlite::prepare<q::users_between>(db_, 1, 2);
    std::vector<std::string> emails;
    while (statement.executeStep())
        emails.push_back(strata::sqlite::read_row<q::users_between>(statement).email);
    EXPECT_EQ(emails, (std::vector<std::string>{"a@x", "b@x"}));
}

TEST_F(SqliteQuery, RoundTripsEveryFieldType) {
    const bytes data = {0x00, 0x01, 0x7f, 0x80, 0xff, 0x00};
    const auto id = strata::sqlite::query_one<q::add_thing>(
        db_, std::int16_t{-32768}, std::int32_t{2147483647},
        std::numeric_limits<std::int64_t>::min(), true, 0.25f, 0.1,
        std::string("caf\xc3\xa9 'quoted' \"twice\""), data, mood::sad);
    ASSERT_TRUE(id);

    const auto thing = strata::sqlite::query_one<typed::get_thing>(db_, id->id);
    ASSERT_TRUE(thing);
    EXPECT_EQ(thing->small, -32768);
    EXPECT_EQ(thing->medium, 2147483647);
    EXPECT_EQ(thing->big, std::numeric_limits<std::int64_t>::min());
    EXPECT_TRUE(thing->flag);
    EXPECT_EQ(thing->ratio, 0.25f);
    EXPECT_EQ(thing->score, 0.1);
    EXPECT_EQ(thing->label, "caf\xc3\xa9 'quoted' \"twice\"");
    EXPECT_EQ(thing->data, data);
    EXPECT_EQ(thing->mood, mood::sad);

    // The same row in the types of SQLite's own header.
    const auto wide = strata::sqlite::query_one<q::get_thing>(db_, id->id);
    ASSERT_TRUE(wide);
    EXPECT_EQ(wide->small, std::int64_t{-32768});
    EXPECT_EQ(wide->medium, std::int64_t{2147483647});
    EXPECT_TRUE(wide->flag);
    EXPECT_EQ(wide->ratio, 0.25);
    EXPECT_EQ(wide->data, data);
    EXPECT_EQ(wide->mood, "sad");
}

TEST_F(SqliteQuery, BindsAndReadsNullThroughOptionals) {
    const auto id = strata::sqlite::query_one<q::add_thing>(
        db_, std::optional<std::int16_t>(), std::optional<std::int32_t>(), std::nullopt,
        std::optional<bool>(), std::optional<float>(), std::optional<double>(),
        static_cast<const char*>(nullptr), std::optional<bytes>(), std::optional<mood>());
    ASSERT_TRUE(id);
    EXPECT_EQ(db_.execAndGet("SELECT count(*) FROM things WHERE coalesce(small, medium, big, "
                             "flag, ratio, score, label, data, mood) IS NULL")
                  .getInt(),
              1);

    const auto nulls = strata::sqlite::query_one<typed::get_thing_or_nulls>(db_, id->id);
    ASSERT_TRUE(nulls);
    EXPECT_EQ(nulls->small, std::nullopt);
    EXPECT_EQ(nulls->medium, std::nullopt);
    EXPECT_EQ(nulls->big, std::nullopt);
    EXPECT_EQ(nulls->flag, std::nullopt);
    EXPECT_EQ(nulls->ratio, std::nullopt);
    EXPECT_EQ(nulls->score, std::nullopt);
    EXPECT_EQ(nulls->label, std::nullopt);
    EXPECT_EQ(nulls->data, std::nullopt);
    EXPECT_EQ(nulls->mood, std::nullopt);
}

TEST_F(SqliteQuery, BindsOptionalsHoldingValues) {
    const auto id = strata::sqlite::query_one<q::add_thing>(
        db_, std::optional<std::int16_t>(7), std::optional<std::int32_t>(8),
        std::optional<std::int64_t>(9), std::optional<bool>(false), std::optional<float>(1.5f),
        std::optional<double>(-2.5), std::optional<std::string>("x"),
        std::optional<bytes>(bytes{1}), std::optional<mood>(mood::happy));
    ASSERT_TRUE(id);

    const auto thing = strata::sqlite::query_one<typed::get_thing_or_nulls>(db_, id->id);
    ASSERT_TRUE(thing);
    EXPECT_EQ(thing->small, 7);
    EXPECT_EQ(thing->medium, 8);
    EXPECT_EQ(thing->big, 9);
    EXPECT_EQ(thing->flag, false);
    EXPECT_EQ(thing->ratio, 1.5f);
    EXPECT_EQ(thing->score, -2.5);
    EXPECT_EQ(thing->label, "x");
    EXPECT_EQ(thing->data, bytes{1});
    EXPECT_EQ(thing->mood, mood::happy);
}

TEST_F(SqliteQuery, RoundTripsBlobsIncludingTheEmptyOne) {
    bytes every_byte;
    for (int i = 0; i < 256; ++i)
        every_byte.push_back(static_cast<std::uint8_t>(i));
    for (const bytes& data : {every_byte, bytes{}}) {
        const auto id = strata::sqlite::query_one<q::add_thing>(db_, 0, 0, 0, false, 0.0f, 0.0, "",
                                                                data, mood::happy);
        ASSERT_TRUE(id);
        // An empty blob is a value, not NULL.
        const auto thing = strata::sqlite::query_one<q::get_thing_or_nulls>(db_, id->id);
        ASSERT_TRUE(thing);
        EXPECT_EQ(thing->data, data);
    }
}

TEST_F(SqliteQuery, StoresEnumsAsTheirLabels) {
    strata::sqlite::query_one<q::add_thing>(db_, 0, 0, 0, false, 0.0f, 0.0, "", bytes{},
                                            mood::happy);
    strata::sqlite::query_one<q::add_thing>(db_, 0, 0, 0, false, 0.0f, 0.0, "", bytes{}, mood::sad);
    EXPECT_EQ(db_.execAndGet("SELECT group_concat(mood, ',') FROM things").getString(),
              "happy,sad");

    const auto sad = strata::sqlite::query<typed::things_with_mood>(db_, mood::sad);
    ASSERT_EQ(sad.size(), 1u);
    EXPECT_EQ(sad[0].id, 2);
    EXPECT_EQ(sad[0].mood, mood::sad);

    // SQLite's own header reads the label as text.
    const auto as_text = strata::sqlite::query<q::things_with_mood>(db_, mood::sad);
    ASSERT_EQ(as_text.size(), 1u);
    EXPECT_EQ(as_text[0].mood, "sad");
}

TEST_F(SqliteQuery, RejectsAnUnknownEnumLabel) {
    db_.exec("INSERT INTO things (mood) VALUES ('angry')");
    EXPECT_EQ(error_of([&] { strata::sqlite::query<typed::things_with_mood>(db_, "angry"); }),
              "query things_with_mood: column mood has unknown label 'angry'");
}

TEST_F(SqliteQuery, RejectsNullIntoAFieldThatIsNotOptional) {
    // find_user_strict reads nickname AS "nickname!": a std::string, not optional.
    strata::sqlite::execute<q::add_user>(db_, "ann@example.com", std::nullopt);
    EXPECT_EQ(
        error_of([&] { strata::sqlite::query_one<q::find_user_strict>(db_, "ann@example.com"); }),
        "query find_user_strict: column nickname is NULL");
}

TEST_F(SqliteQuery, RejectsAColumnCountThatChangedSinceTheBuild) {
    strata::sqlite::execute<q::add_user>(db_, "ann@example.com", "ann");
    EXPECT_EQ(strata::sqlite::query<q::all_users>(db_).size(), 1u);

    // all_users is SELECT *, typed with the three columns of the build's schema.
    db_.exec("ALTER TABLE users ADD COLUMN age INTEGER");
    EXPECT_EQ(error_of([&] { strata::sqlite::query<q::all_users>(db_); }),
              "query all_users: result has 4 columns, expected 3");
}

TEST_F(SqliteQuery, RejectsValuesThatDoNotFitTheirField) {
    // small is a std::int16_t and medium a std::int32_t as typed on PostgreSQL.
    db_.exec("INSERT INTO things (id, small, medium) VALUES (1, 40000, 'many')");
    EXPECT_EQ(error_of([&] { strata::sqlite::query_one<typed::get_thing_or_nulls>(db_, 1); }),
              "query get_thing_or_nulls: column small value 40000 is out of range");
    db_.exec("UPDATE things SET small = 1");
    EXPECT_EQ(error_of([&] { strata::sqlite::query_one<typed::get_thing_or_nulls>(db_, 1); }),
              "query get_thing_or_nulls: column medium is not an integer");
}

TEST_F(SqliteQuery, ReadsWhatInsertReturningReturns) {
    const auto first = strata::sqlite::query_one<q::add_user_returning_id>(db_, "a@x");
    const auto second = strata::sqlite::query<q::add_user_returning_id>(db_, "b@x");
    ASSERT_TRUE(first);
    EXPECT_EQ(first->id, 1);
    ASSERT_EQ(second.size(), 1u);
    EXPECT_EQ(second[0].id, 2);
}

TEST_F(SqliteQuery, ExecuteCountsTheRowsChanged) {
    for (const char* email : {"a@example.com", "b@example.com", "c@elsewhere.org"})
        EXPECT_EQ(strata::sqlite::execute<q::add_user>(db_, email, std::nullopt), 1);

    EXPECT_EQ(strata::sqlite::execute<q::rename_users>(db_, "someone", "%@example.com"), 2);
    EXPECT_EQ(strata::sqlite::execute<q::rename_users>(db_, "nobody", "%@nowhere"), 0);
    // Not the count of the last statement that changed rows.
    EXPECT_EQ(strata::sqlite::execute<q::count_users>(db_), 0);
    // A statement that returns rows runs to its end.
    EXPECT_EQ(strata::sqlite::execute<q::add_user_returning_id>(db_, "d@x"), 1);
    EXPECT_EQ(strata::sqlite::query_one<q::count_users>(db_)->count, 4);
}

TEST_F(SqliteQuery, ExecuteReportsErrorsOfTheDatabase) {
    strata::sqlite::execute<q::add_user>(db_, "a@x", std::nullopt);
    EXPECT_THROW(strata::sqlite::execute<q::add_user>(db_, "a@x", std::nullopt), SQLite::Exception);
    EXPECT_EQ(strata::sqlite::execute<q::set_thing_label>(db_, "x", 1), 0);
}

}  // namespace
