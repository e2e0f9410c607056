// strata/postgres/query.hpp on a fresh database of the PostgreSQL test
// server, with the query types that the build generated from adapters/*.sql on
// a scratch PostgreSQL database (the contract under test is the generator's
// and the adapter's together): binding every argument type, reading every
// field type including enums and arrays, and the errors when the database no
// longer matches the query. The database gets its tables from the migrations
// the header was generated from (adapters/postgres_migrations), compiled in.
#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <pqxx/pqxx>

#include "adapter_test/postgres_migrations.hpp"
#include "adapter_test/postgres_schema.hpp"
#include "postgres.hpp"
#include "strata/error.hpp"
#include "strata/postgres/query.hpp"

namespace {

namespace q = adapter_test::postgres_db::queries;
using adapter_test::postgres_db::mood;
using strata::test::postgres_test_database;
using bytes = std::vector<std::uint8_t>;

// The migrations declare mood with two labels; a test adds a third at run time.
static_assert(!adapter_test::postgres_db::from_string<mood>("angry").has_value());

// The generated get_list_with_nulls, whose row reads NULL array elements. The
// generator types an array's elements as values (PostgreSQL does not say
// whether an element may be NULL), so a program that expects NULL elements
// declares the row itself; the SQL, parameters and columns stay the
// generated ones.
struct get_list_with_null_elements : q::get_list_with_nulls {
    struct row {
        std::optional<std::vector<std::optional<std::int32_t>>> numbers;
        std::vector<std::optional<std::string>> words;
        std::optional<std::vector<mood>> moods;
    };
    static constexpr auto fields = std::make_tuple(&row::numbers, &row::words, &row::moods);
};
static_assert(std::tuple_size_v<decltype(get_list_with_null_elements::fields)> ==
              q::get_list_with_nulls::column_names.size());

class PostgresQuery : public ::testing::Test {
  protected:
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

    // The tables, by the migrations, before the test's transaction begins.
    static pqxx::connection& migrated(pqxx::connection& connection) {
        adapter_test::postgres_db::migrate(connection);
        return connection;
    }

    postgres_test_database db_{"strata_queries"};
    pqxx::connection connection_{db_.url()};
    pqxx::work tx_{migrated(connection_)};
};

TEST_F(PostgresQuery, BindsNamedParametersAndReadsTheRow) {
    strata::postgres::execute<q::add_user>(tx_, "ann@example.com", "ann");
    strata::postgres::execute<q::add_user>(tx_, std::string("bob@example.com"), std::nullopt);

    const auto ann = strata::postgres::query_one<q::find_user_by_email>(tx_, "ann@example.com");
    ASSERT_TRUE(ann);
    EXPECT_EQ(ann->id, 1);
    EXPECT_EQ(ann->email, "ann@example.com");
    EXPECT_EQ(ann->nickname, "ann");

    const auto bob = strata::postgres::query_one<q::find_user_by_email>(
        tx_, std::string_view("bob@example.com"));
    ASSERT_TRUE(bob);
    EXPECT_EQ(bob->nickname, std::nullopt);

    EXPECT_EQ(strata::postgres::query_one<q::find_user_by_email>(tx_, "eve@example.com"),
              std::nullopt);
}

TEST_F(PostgresQuery, BindsARepeatedNameOnce) {
    strata::postgres::execute<q::add_user>(tx_, "ann@example.com", "cat");
    strata::postgres::execute<q::add_user>(tx_, "cat", std::nullopt);
    strata::postgres::execute<q::add_user>(tx_, "bob@example.com", "bob");

    const auto rows = strata::postgres::query<q::find_user_by_email_or_nickname>(tx_, "cat");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].email, "ann@example.com");
    EXPECT_EQ(rows[1].email, "cat");
}

TEST_F(PostgresQuery, BindsPositionalParametersInOrder) {
    for (const char* email : {"a@x", "b@x", "c@x", "d@x"})
        strata::postgres::execute<q::add_user>(tx_, email, std::nullopt);

    const auto rows = strata::postgres::query<q::users_between>(tx_, 2, std::int64_t{3});
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].id, 2);
    EXPECT_EQ(rows[0].email, "b@x");
    EXPECT_EQ(rows[1].id, 3);
    EXPECT_EQ(rows[1].email, "c@x");
    EXPECT_TRUE(strata::postgres::query<q::users_between>(tx_, 3, 2).empty());

    // $1 and $2, written the other way round, bind arguments 1 and 2.
    const auto numbered = strata::postgres::query<q::users_between_numbered>(tx_, 2, 3);
    ASSERT_EQ(numbered.size(), 2u);
    EXPECT_EQ(numbered[0].id, 2);
    EXPECT_EQ(numbered[1].id, 3);
}

TEST_F(PostgresQuery, ReadsRowsByHandFromAResult) {
    strata::postgres::execute<q::add_user>(tx_, "a@x", "a");
    strata::postgres::execute<q::add_user>(tx_, "b@x", std::optional<std::string>());

    const pqxx::result result = strata::postgres::exec<q::users_between>(tx_, 1, 2);
    std::vector<std::string> emails;
    for (const auto& row : result)
        emails.push_back(strata::postgres::read_row<q::users_between>(row).email);
    EXPECT_EQ(emails, (std::vector<std::string>{"a@x", "b@x"}));
}

TEST_F(PostgresQuery, RoundTripsEveryFieldType) {
    const bytes data = {0x00, 0x01, 0x7f, 0x80, 0xff, 0x00};
    const auto id = strata::postgres::query_one<q::add_thing>(
        tx_, std::int16_t{-32768}, std::int32_t{2147483647},
        std::numeric_limits<std::int64_t>::min(), true, 1.0f / 3.0f, 0.1,
        std::string("caf\xc3\xa9 'quoted' \"twice\" \\"), data, mood::sad);
    ASSERT_TRUE(id);

    const auto thing = strata::postgres::query_one<q::get_thing>(tx_, id->id);
    ASSERT_TRUE(thing);
    EXPECT_EQ(thing->small, -32768);
    EXPECT_EQ(thing->medium, 2147483647);
    EXPECT_EQ(thing->big, std::numeric_limits<std::int64_t>::min());
    EXPECT_TRUE(thing->flag);
    EXPECT_EQ(thing->ratio, 1.0f / 3.0f);
    EXPECT_EQ(thing->score, 0.1);
    EXPECT_EQ(thing->label, "caf\xc3\xa9 'quoted' \"twice\" \\");
    EXPECT_EQ(thing->data, data);
    EXPECT_EQ(thing->mood, mood::sad);
}

TEST_F(PostgresQuery, RoundTripsInfinitiesAndNan) {
    const double inf = std::numeric_limits<double>::infinity();
    const auto id = strata::postgres::query_one<q::add_thing>(
        tx_, 0, 0, 0, false, -std::numeric_limits<float>::infinity(), inf, "", bytes{},
        mood::happy);
    ASSERT_TRUE(id);
    auto thing = strata::postgres::query_one<q::get_thing>(tx_, id->id);
    ASSERT_TRUE(thing);
    EXPECT_EQ(thing->ratio, -std::numeric_limits<float>::infinity());
    EXPECT_EQ(thing->score, inf);

    tx_.exec("UPDATE things SET score = 'NaN'");
    thing = strata::postgres::query_one<q::get_thing>(tx_, id->id);
    ASSERT_TRUE(thing);
    EXPECT_TRUE(std::isnan(thing->score));
}

TEST_F(PostgresQuery, BindsAndReadsNullThroughOptionals) {
    const auto id = strata::postgres::query_one<q::add_thing>(
        tx_, std::optional<std::int16_t>(), std::optional<std::int32_t>(), std::nullopt,
        std::optional<bool>(), std::optional<float>(), std::optional<double>(),
        static_cast<const char*>(nullptr), std::optional<bytes>(), std::optional<mood>());
    ASSERT_TRUE(id);
    EXPECT_EQ(tx_.exec1("SELECT num_nulls(small, medium, big, flag, ratio, score, label, data, "
                        "mood) FROM things")[0]
                  .as<int>(),
              9);

    const auto nulls = strata::postgres::query_one<q::get_thing_or_nulls>(tx_, id->id);
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

TEST_F(PostgresQuery, BindsOptionalsHoldingValues) {
    const auto id = strata::postgres::query_one<q::add_thing>(
        tx_, std::optional<std::int16_t>(7), std::optional<std::int32_t>(8),
        std::optional<std::int64_t>(9), std::optional<bool>(false), std::optional<float>(1.5f),
        std::optional<double>(-2.5), std::optional<std::string>("x"),
        std::optional<bytes>(bytes{0, 1}), std::optional<mood>(mood::happy));
    ASSERT_TRUE(id);

    const auto thing = strata::postgres::query_one<q::get_thing_or_nulls>(tx_, id->id);
    ASSERT_TRUE(thing);
    EXPECT_EQ(thing->small, 7);
    EXPECT_EQ(thing->medium, 8);
    EXPECT_EQ(thing->big, 9);
    EXPECT_EQ(thing->flag, false);
    EXPECT_EQ(thing->ratio, 1.5f);
    EXPECT_EQ(thing->score, -2.5);
    EXPECT_EQ(thing->label, "x");
    EXPECT_EQ(thing->data, (bytes{0, 1}));
    EXPECT_EQ(thing->mood, mood::happy);
}

TEST_F(PostgresQuery, RoundTripsByteaIncludingTheEmptyOne) {
    bytes every_byte;
    for (int i = 0; i < 256; ++i)
        every_byte.push_back(static_cast<std::uint8_t>(i));
    for (const bytes& data : {every_byte, bytes{}}) {
        const auto id = strata::postgres::query_one<q::add_thing>(tx_, 0, 0, 0, false, 0.0f, 0.0,
                                                                  "", data, mood::happy);
        ASSERT_TRUE(id);
        // The server stored the bytes, a NUL among them, not text stopping at one.
        EXPECT_EQ(tx_.exec_params1("SELECT octet_length(data) FROM things WHERE id = $1", id->id)[0]
                      .as<std::size_t>(),
                  data.size());
        // An empty bytea is a value, not NULL.
        const auto thing = strata::postgres::query_one<q::get_thing_or_nulls>(tx_, id->id);
        ASSERT_TRUE(thing);
        EXPECT_EQ(thing->data, data);
    }
}

TEST_F(PostgresQuery, BindsEnumsAsTheirLabels) {
    strata::postgres::query_one<q::add_thing>(tx_, 0, 0, 0, false, 0.0f, 0.0, "", bytes{},
                                              mood::happy);
    strata::postgres::query_one<q::add_thing>(tx_, 0, 0, 0, false, 0.0f, 0.0, "", bytes{},
                                              mood::sad);
    EXPECT_EQ(tx_.exec1("SELECT string_agg(mood::text, ',' ORDER BY id) FROM things")[0]
                  .as<std::string>(),
              "happy,sad");

    const auto sad = strata::postgres::query<q::things_with_mood>(tx_, mood::sad);
    ASSERT_EQ(sad.size(), 1u);
    EXPECT_EQ(sad[0].id, 2);
    EXPECT_EQ(sad[0].mood, mood::sad);
}

TEST_F(PostgresQuery, RejectsAnEnumLabelTheBuildDidNotKnow) {
    // A label added since the build, committed on another connection.
    db_.exec("ALTER TYPE mood ADD VALUE 'angry'");
    tx_.exec("INSERT INTO things (mood) VALUES ('happy'), (NULL), ('angry')");
    EXPECT_EQ(error_of([&] { strata::postgres::query<q::all_moods>(tx_); }),
              "query all_moods: column mood has unknown label 'angry'");
}

TEST_F(PostgresQuery, RejectsNullIntoAFieldThatIsNotOptional) {
    // find_user_strict reads nickname AS "nickname!": a std::string, not optional.
    strata::postgres::execute<q::add_user>(tx_, "ann@example.com", std::nullopt);
    EXPECT_EQ(
        error_of([&] { strata::postgres::query_one<q::find_user_strict>(tx_, "ann@example.com"); }),
        "query find_user_strict: column nickname is NULL");
}

TEST_F(PostgresQuery, RejectsAColumnCountThatChangedSinceTheBuild) {
    strata::postgres::execute<q::add_user>(tx_, "ann@example.com", "ann");
    EXPECT_EQ(strata::postgres::query<q::all_users>(tx_).size(), 1u);

    // all_users is SELECT *, typed with the three columns of the build's schema.
    tx_.exec("ALTER TABLE users ADD COLUMN age integer");
    EXPECT_EQ(error_of([&] { strata::postgres::query<q::all_users>(tx_); }),
              "query all_users: result has 4 columns, expected 3");
}

TEST_F(PostgresQuery, RejectsValuesThatDoNotFitTheirField) {
    // get_big_as_small reads big AS "big!: smallint", a std::int16_t.
    tx_.exec("INSERT INTO things (id, big) VALUES (1, 40000)");
    EXPECT_EQ(error_of([&] { strata::postgres::query_one<q::get_big_as_small>(tx_, 1); }),
              "query get_big_as_small: column big has '40000', which does not fit its field");
}

TEST_F(PostgresQuery, ReadsWhatInsertReturningReturns) {
    const auto first = strata::postgres::query_one<q::add_user_returning_id>(tx_, "a@x");
    const auto second = strata::postgres::query<q::add_user_returning_id>(tx_, "b@x");
    ASSERT_TRUE(first);
    EXPECT_EQ(first->id, 1);
    ASSERT_EQ(second.size(), 1u);
    EXPECT_EQ(second[0].id, 2);
}

TEST_F(PostgresQuery, ExecuteCountsTheRowsChanged) {
    for (const char* email : {"a@example.com", "b@example.com", "c@elsewhere.org"})
        EXPECT_EQ(strata::postgres::execute<q::add_user>(tx_, email, std::nullopt), 1u);

    EXPECT_EQ(strata::postgres::execute<q::rename_users>(tx_, "someone", "%@example.com"), 2u);
    EXPECT_EQ(strata::postgres::execute<q::rename_users>(tx_, "nobody", "%@nowhere"), 0u);
    EXPECT_EQ(strata::postgres::execute<q::add_user_returning_id>(tx_, "d@x"), 1u);
}

TEST_F(PostgresQuery, RoundTripsOneDimensionalArrays) {
    const std::vector<std::string> words = {"plain",       "",        " spaced ",
                                            "a,b",         "{brace}", "\"quoted\"",
                                            "back\\slash", "NULL",    "caf\xc3\xa9"};
    const std::vector<bytes> blobs = {{0x00, 0xff}, {}, {0x5c, 0x22}};
    const auto id = strata::postgres::query_one<q::add_list>(
        tx_, std::vector<std::int32_t>{1, -2, 2147483647},
        std::vector<std::int64_t>{std::numeric_limits<std::int64_t>::min()}, words,
        std::vector<bool>{true, false}, std::vector<double>{0.1, -1e300},
        std::vector<mood>{mood::sad, mood::happy}, blobs);
    ASSERT_TRUE(id);
    EXPECT_STREQ(tx_.exec1("SELECT words[4] FROM lists")[0].c_str(), "a,b");

    const auto list = strata::postgres::query_one<q::get_list>(tx_, id->id);
    ASSERT_TRUE(list);
    EXPECT_EQ(list->numbers, (std::vector<std::int32_t>{1, -2, 2147483647}));
    EXPECT_EQ(list->bigs, (std::vector<std::int64_t>{std::numeric_limits<std::int64_t>::min()}));
    EXPECT_EQ(list->words, words);
    EXPECT_EQ(list->flags, (std::vector<bool>{true, false}));
    EXPECT_EQ(list->scores, (std::vector<double>{0.1, -1e300}));
    EXPECT_EQ(list->moods, (std::vector<mood>{mood::sad, mood::happy}));
    EXPECT_EQ(list->blobs, blobs);
}

TEST_F(PostgresQuery, RoundTripsEmptyArrays) {
    const auto id = strata::postgres::query_one<q::add_list>(
        tx_, std::vector<std::int32_t>{}, std::vector<std::int64_t>{}, std::vector<std::string>{},
        std::vector<bool>{}, std::vector<double>{}, std::vector<mood>{}, std::vector<bytes>{});
    ASSERT_TRUE(id);
    EXPECT_EQ(tx_.exec1("SELECT cardinality(numbers) FROM lists")[0].as<int>(), 0);

    const auto list = strata::postgres::query_one<q::get_list>(tx_, id->id);
    ASSERT_TRUE(list);
    EXPECT_TRUE(list->numbers.empty());
    EXPECT_TRUE(list->words.empty());
    EXPECT_TRUE(list->blobs.empty());
}

TEST_F(PostgresQuery, BindsAnArrayToAny) {
    for (const char* email : {"a@x", "b@x", "c@x", "d@x"})
        strata::postgres::execute<q::add_user>(tx_, email, std::nullopt);

    const auto rows =
        strata::postgres::query<q::users_with_ids>(tx_, std::vector<std::int64_t>{4, 2, 9});
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].email, "b@x");
    EXPECT_EQ(rows[1].email, "d@x");
}

TEST_F(PostgresQuery, ReadsNullElementsIntoOptionals) {
    const auto id = strata::postgres::query_one<q::add_words>(
        tx_, std::vector<std::optional<std::string>>{"a", std::nullopt, "NULL"});
    ASSERT_TRUE(id);
    tx_.exec("UPDATE lists SET numbers = '{1,NULL,3}'");

    const auto list = strata::postgres::query_one<get_list_with_null_elements>(tx_, id->id);
    ASSERT_TRUE(list);
    EXPECT_EQ(list->numbers, (std::vector<std::optional<std::int32_t>>{1, std::nullopt, 3}));
    EXPECT_EQ(list->words, (std::vector<std::optional<std::string>>{"a", std::nullopt, "NULL"}));
    EXPECT_EQ(list->moods, std::nullopt);
}

TEST_F(PostgresQuery, RejectsNullElementsIntoAVectorOfValues) {
    tx_.exec("INSERT INTO lists (id, numbers) VALUES (1, '{1,NULL}')");
    EXPECT_EQ(error_of([&] { strata::postgres::query_one<q::get_list>(tx_, 1); }),
              "query get_list: column numbers has a NULL element");
}

TEST_F(PostgresQuery, RejectsArraysOfMoreThanOneDimension) {
    EXPECT_EQ(error_of([&] { strata::postgres::query<q::matrix>(tx_); }),
              "query matrix: column cells has more than one dimension");
}

}  // namespace
