// strata/sqlite_query.hpp on a real SQLite file: query types written by hand
// as the generator writes them (the contract is the interface under test),
// binding every argument type, reading every field type, and the errors
// when the database no longer matches the query.
#include <gtest/gtest.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>

#include "process.hpp"
#include "strata/error.hpp"
#include "strata/sqlite_query.hpp"

namespace sqlite_test::db {

enum class mood { happy, sad };

constexpr std::string_view to_string(mood m) {
    switch (m) {
        case mood::happy:
            return "happy";
        case mood::sad:
            return "sad";
    }
    return "";
}

constexpr bool from_string(std::string_view label, mood& out) {
    if (label == "happy")
        out = mood::happy;
    else if (label == "sad")
        out = mood::sad;
    else
        return false;
    return true;
}

}  // namespace sqlite_test::db

namespace sqlite_test::db::queries {

// queries/users.sql:1
struct add_user {
    static constexpr ::std::string_view name = "add_user";
    static constexpr ::std::string_view sql =
        "INSERT INTO users (email, nickname) VALUES (:email, :nickname)";
    static constexpr ::std::string_view sqlite_sql =
        "INSERT INTO users (email, nickname) VALUES (?1, ?2)";
    static constexpr ::std::string_view postgres_sql =
        "INSERT INTO users (email, nickname) VALUES ($1, $2)";
    static constexpr ::std::size_t parameter_count = 2;
    static constexpr ::std::array<::std::string_view, 2> parameter_names = {"email", "nickname"};
    static constexpr ::std::array<::std::string_view, 2> parameter_types = {"", ""};
    struct row {};
    static constexpr ::std::array<::std::string_view, 0> column_names = {};
    static constexpr auto fields = ::std::tuple<>{};
};

// queries/users.sql:3
struct find_user_by_email {
    static constexpr ::std::string_view name = "find_user_by_email";
    static constexpr ::std::string_view sql =
        "SELECT id, email, nickname FROM users WHERE email = :email";
    static constexpr ::std::string_view sqlite_sql =
        "SELECT id, email, nickname FROM users WHERE email = ?1";
    static constexpr ::std::string_view postgres_sql =
        "SELECT id, email, nickname FROM users WHERE email = $1";
    static constexpr ::std::size_t parameter_count = 1;
    static constexpr ::std::array<::std::string_view, 1> parameter_names = {"email"};
    static constexpr ::std::array<::std::string_view, 1> parameter_types = {""};
    struct row {
        ::std::int64_t id{};
        ::std::string email{};
        ::std::optional<::std::string> nickname;
    };
    static constexpr ::std::array<::std::string_view, 3> column_names = {"id", "email", "nickname"};
    static constexpr auto fields = ::std::make_tuple(&row::id, &row::email, &row::nickname);
};

// queries/users.sql:6 (a name used twice is one parameter)
struct find_user_by_email_or_nickname {
    static constexpr ::std::string_view name = "find_user_by_email_or_nickname";
    static constexpr ::std::string_view sql =
        "SELECT email FROM users WHERE email = :who OR nickname = :who ORDER BY id";
    static constexpr ::std::string_view sqlite_sql =
        "SELECT email FROM users WHERE email = ?1 OR nickname = ?1 ORDER BY id";
    static constexpr ::std::string_view postgres_sql =
        "SELECT email FROM users WHERE email = $1 OR nickname = $1 ORDER BY id";
    static constexpr ::std::size_t parameter_count = 1;
    static constexpr ::std::array<::std::string_view, 1> parameter_names = {"who"};
    static constexpr ::std::array<::std::string_view, 1> parameter_types = {""};
    struct row {
        ::std::string email{};
    };
    static constexpr ::std::array<::std::string_view, 1> column_names = {"email"};
    static constexpr auto fields = ::std::make_tuple(&row::email);
};

// queries/users.sql:9
struct users_between {
    static constexpr ::std::string_view name = "users_between";
    static constexpr ::std::string_view sql =
        "SELECT id, email FROM users WHERE id >= ? AND id <= ? ORDER BY id";
    static constexpr ::std::string_view sqlite_sql =
        "SELECT id, email FROM users WHERE id >= ?1 AND id <= ?2 ORDER BY id";
    static constexpr ::std::string_view postgres_sql =
        "SELECT id, email FROM users WHERE id >= $1 AND id <= $2 ORDER BY id";
    static constexpr ::std::size_t parameter_count = 2;
    static constexpr ::std::array<::std::string_view, 2> parameter_names = {"", ""};
    static constexpr ::std::array<::std::string_view, 2> parameter_types = {"", ""};
    struct row {
        ::std::int64_t id{};
        ::std::string email{};
    };
    static constexpr ::std::array<::std::string_view, 2> column_names = {"id", "email"};
    static constexpr auto fields = ::std::make_tuple(&row::id, &row::email);
};

// A build whose schema said nickname was NOT NULL.
struct find_user_strict {
    static constexpr ::std::string_view name = "find_user_strict";
    static constexpr ::std::string_view sql = "SELECT id, nickname FROM users WHERE email = :email";
    static constexpr ::std::string_view sqlite_sql =
        "SELECT id, nickname FROM users WHERE email = ?1";
    static constexpr ::std::string_view postgres_sql =
        "SELECT id, nickname FROM users WHERE email = $1";
    static constexpr ::std::size_t parameter_count = 1;
    static constexpr ::std::array<::std::string_view, 1> parameter_names = {"email"};
    static constexpr ::std::array<::std::string_view, 1> parameter_types = {""};
    struct row {
        ::std::int64_t id{};
        ::std::string nickname{};
    };
    static constexpr ::std::array<::std::string_view, 2> column_names = {"id", "nickname"};
    static constexpr auto fields = ::std::make_tuple(&row::id, &row::nickname);
};

// SELECT * as of a build when users had three columns.
struct all_users {
    static constexpr ::std::string_view name = "all_users";
    static constexpr ::std::string_view sql = "SELECT * FROM users";
    static constexpr ::std::string_view sqlite_sql = "SELECT * FROM users";
    static constexpr ::std::string_view postgres_sql = "SELECT * FROM users";
    static constexpr ::std::size_t parameter_count = 0;
    static constexpr ::std::array<::std::string_view, 0> parameter_names = {};
    static constexpr ::std::array<::std::string_view, 0> parameter_types = {};
    struct row {
        ::std::int64_t id{};
        ::std::string email{};
        ::std::optional<::std::string> nickname;
    };
    static constexpr ::std::array<::std::string_view, 3> column_names = {"id", "email", "nickname"};
    static constexpr auto fields = ::std::make_tuple(&row::id, &row::email, &row::nickname);
};

// queries/users.sql:12
struct add_user_returning_id {
    static constexpr ::std::string_view name = "add_user_returning_id";
    static constexpr ::std::string_view sql =
        "INSERT INTO users (email) VALUES (:email) RETURNING id";
    static constexpr ::std::string_view sqlite_sql =
        "INSERT INTO users (email) VALUES (?1) RETURNING id";
    static constexpr ::std::string_view postgres_sql =
        "INSERT INTO users (email) VALUES ($1) RETURNING id";
    static constexpr ::std::size_t parameter_count = 1;
    static constexpr ::std::array<::std::string_view, 1> parameter_names = {"email"};
    static constexpr ::std::array<::std::string_view, 1> parameter_types = {""};
    struct row {
        ::std::int64_t id{};
    };
    static constexpr ::std::array<::std::string_view, 1> column_names = {"id"};
    static constexpr auto fields = ::std::make_tuple(&row::id);
};

// queries/users.sql:14
struct rename_users {
    static constexpr ::std::string_view name = "rename_users";
    static constexpr ::std::string_view sql =
        "UPDATE users SET nickname = :nickname WHERE email LIKE :pattern";
    static constexpr ::std::string_view sqlite_sql =
        "UPDATE users SET nickname = ?1 WHERE email LIKE ?2";
    static constexpr ::std::string_view postgres_sql =
        "UPDATE users SET nickname = $1 WHERE email LIKE $2";
    static constexpr ::std::size_t parameter_count = 2;
    static constexpr ::std::array<::std::string_view, 2> parameter_names = {"nickname", "pattern"};
    static constexpr ::std::array<::std::string_view, 2> parameter_types = {"", ""};
    struct row {};
    static constexpr ::std::array<::std::string_view, 0> column_names = {};
    static constexpr auto fields = ::std::tuple<>{};
};

// queries/users.sql:16
struct count_users {
    static constexpr ::std::string_view name = "count_users";
    static constexpr ::std::string_view sql = "SELECT count(*) FROM users";
    static constexpr ::std::string_view sqlite_sql = "SELECT count(*) FROM users";
    static constexpr ::std::string_view postgres_sql = "SELECT count(*) FROM users";
    static constexpr ::std::size_t parameter_count = 0;
    static constexpr ::std::array<::std::string_view, 0> parameter_names = {};
    static constexpr ::std::array<::std::string_view, 0> parameter_types = {};
    struct row {
        ::std::int64_t count{};
    };
    static constexpr ::std::array<::std::string_view, 1> column_names = {"count(*)"};
    static constexpr auto fields = ::std::make_tuple(&row::count);
};

// queries/things.sql:1
struct add_thing {
    static constexpr ::std::string_view name = "add_thing";
    static constexpr ::std::string_view sql =
        "INSERT INTO things (small, medium, big, flag, ratio, score, label, data, mood) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
    static constexpr ::std::string_view sqlite_sql =
        "INSERT INTO things (small, medium, big, flag, ratio, score, label, data, mood) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id";
    static constexpr ::std::string_view postgres_sql =
        "INSERT INTO things (small, medium, big, flag, ratio, score, label, data, mood) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
    static constexpr ::std::size_t parameter_count = 9;
    static constexpr ::std::array<::std::string_view, 9> parameter_names = {"", "", "", "", "",
                                                                            "", "", "", ""};
    static constexpr ::std::array<::std::string_view, 9> parameter_types = {"", "", "", "", "",
                                                                            "", "", "", ""};
    struct row {
        ::std::int64_t id{};
    };
    static constexpr ::std::array<::std::string_view, 1> column_names = {"id"};
    static constexpr auto fields = ::std::make_tuple(&row::id);
};

// queries/things.sql:4
struct get_thing {
    static constexpr ::std::string_view name = "get_thing";
    static constexpr ::std::string_view sql =
        "SELECT small, medium, big, flag, ratio, score, label, data, mood FROM things "
        "WHERE id = :id";
    static constexpr ::std::string_view sqlite_sql =
        "SELECT small, medium, big, flag, ratio, score, label, data, mood FROM things "
        "WHERE id = ?1";
    static constexpr ::std::string_view postgres_sql =
        "SELECT small, medium, big, flag, ratio, score, label, data, mood FROM things "
        "WHERE id = $1";
    static constexpr ::std::size_t parameter_count = 1;
    static constexpr ::std::array<::std::string_view, 1> parameter_names = {"id"};
    static constexpr ::std::array<::std::string_view, 1> parameter_types = {""};
    struct row {
        ::std::int16_t small{};
        ::std::int32_t medium{};
        ::std::int64_t big{};
        bool flag{};
        float ratio{};
        double score{};
        ::std::string label{};
        ::std::vector<::std::uint8_t> data{};
        ::sqlite_test::db::mood mood{};
    };
    static constexpr ::std::array<::std::string_view, 9> column_names = {
        "small", "medium", "big", "flag", "ratio", "score", "label", "data", "mood"};
    static constexpr auto fields =
        ::std::make_tuple(&row::small, &row::medium, &row::big, &row::flag, &row::ratio,
                          &row::score, &row::label, &row::data, &row::mood);
};

// The same columns, every one nullable.
struct get_thing_or_nulls {
    static constexpr ::std::string_view name = "get_thing_or_nulls";
    static constexpr ::std::string_view sql =
        "SELECT small, medium, big, flag, ratio, score, label, data, mood FROM things "
        "WHERE id = :id";
    static constexpr ::std::string_view sqlite_sql =
        "SELECT small, medium, big, flag, ratio, score, label, data, mood FROM things "
        "WHERE id = ?1";
    static constexpr ::std::string_view postgres_sql =
        "SELECT small, medium, big, flag, ratio, score, label, data, mood FROM things "
        "WHERE id = $1";
    static constexpr ::std::size_t parameter_count = 1;
    static constexpr ::std::array<::std::string_view, 1> parameter_names = {"id"};
    static constexpr ::std::array<::std::string_view, 1> parameter_types = {""};
    struct row {
        ::std::optional<::std::int16_t> small;
        ::std::optional<::std::int32_t> medium;
        ::std::optional<::std::int64_t> big;
        ::std::optional<bool> flag;
        ::std::optional<float> ratio;
        ::std::optional<double> score;
        ::std::optional<::std::string> label;
        ::std::optional<::std::vector<::std::uint8_t>> data;
        ::std::optional<::sqlite_test::db::mood> mood;
    };
    static constexpr ::std::array<::std::string_view, 9> column_names = {
        "small", "medium", "big", "flag", "ratio", "score", "label", "data", "mood"};
    static constexpr auto fields =
        ::std::make_tuple(&row::small, &row::medium, &row::big, &row::flag, &row::ratio,
                          &row::score, &row::label, &row::data, &row::mood);
};

// queries/things.sql:8
struct set_thing_label {
    static constexpr ::std::string_view name = "set_thing_label";
    static constexpr ::std::string_view sql = "UPDATE things SET label = :label WHERE id = :id";
    static constexpr ::std::string_view sqlite_sql = "UPDATE things SET label = ?1 WHERE id = ?2";
    static constexpr ::std::string_view postgres_sql = "UPDATE things SET label = $1 WHERE id = $2";
    static constexpr ::std::size_t parameter_count = 2;
    static constexpr ::std::array<::std::string_view, 2> parameter_names = {"label", "id"};
    static constexpr ::std::array<::std::string_view, 2> parameter_types = {"", ""};
    struct row {};
    static constexpr ::std::array<::std::string_view, 0> column_names = {};
    static constexpr auto fields = ::std::tuple<>{};
};

// queries/things.sql:10
struct things_with_mood {
    static constexpr ::std::string_view name = "things_with_mood";
    static constexpr ::std::string_view sql =
        "SELECT id, mood FROM things WHERE mood = :mood ORDER BY id";
    static constexpr ::std::string_view sqlite_sql =
        "SELECT id, mood FROM things WHERE mood = ?1 ORDER BY id";
    static constexpr ::std::string_view postgres_sql =
        "SELECT id, mood FROM things WHERE mood = $1 ORDER BY id";
    static constexpr ::std::size_t parameter_count = 1;
    static constexpr ::std::array<::std::string_view, 1> parameter_names = {"mood"};
    static constexpr ::std::array<::std::string_view, 1> parameter_types = {""};
    struct row {
        ::std::int64_t id{};
        ::sqlite_test::db::mood mood{};
    };
    static constexpr ::std::array<::std::string_view, 2> column_names = {"id", "mood"};
    static constexpr auto fields = ::std::make_tuple(&row::id, &row::mood);
};

}  // namespace sqlite_test::db::queries

namespace {

namespace q = sqlite_test::db::queries;
using sqlite_test::db::mood;
using bytes = std::vector<std::uint8_t>;

class sqlite_query : public ::testing::Test {
  protected:
    sqlite_query() : db_((dir_ / "app.db").string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE) {
        db_.exec(
            "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, nickname "
            "TEXT);"
            "CREATE TABLE things (id INTEGER PRIMARY KEY, small INTEGER, medium INTEGER, big "
            "INTEGER, flag INTEGER, ratio REAL, score REAL, label TEXT, data BLOB, mood TEXT);");
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

TEST_F(sqlite_query, binds_named_parameters_and_reads_the_row) {
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

TEST_F(sqlite_query, binds_a_repeated_name_once) {
    strata::sqlite::execute<q::add_user>(db_, "ann@example.com", "cat");
    strata::sqlite::execute<q::add_user>(db_, "cat", std::nullopt);
    strata::sqlite::execute<q::add_user>(db_, "bob@example.com", "bob");

    const auto rows = strata::sqlite::query<q::find_user_by_email_or_nickname>(db_, "cat");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].email, "ann@example.com");
    EXPECT_EQ(rows[1].email, "cat");
}

TEST_F(sqlite_query, binds_positional_parameters_in_order) {
    for (const char* email : {"a@x", "b@x", "c@x", "d@x"})
        strata::sqlite::execute<q::add_user>(db_, email, std::nullopt);

    const auto rows = strata::sqlite::query<q::users_between>(db_, 2, std::int64_t{3});
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].id, 2);
    EXPECT_EQ(rows[0].email, "b@x");
    EXPECT_EQ(rows[1].id, 3);
    EXPECT_EQ(rows[1].email, "c@x");
    EXPECT_TRUE(strata::sqlite::query<q::users_between>(db_, 3, 2).empty());
}

TEST_F(sqlite_query, reads_rows_by_hand_from_a_prepared_statement) {
    strata::sqlite::execute<q::add_user>(db_, "a@x", "a");
    strata::sqlite::execute<q::add_user>(db_, "b@x", std::optional<std::string>());

    auto statement = strata::sqlite::prepare<q::users_between>(db_, 1, 2);
    std::vector<std::string> emails;
    while (statement.executeStep())
        emails.push_back(strata::sqlite::read_row<q::users_between>(statement).email);
    EXPECT_EQ(emails, (std::vector<std::string>{"a@x", "b@x"}));
}

TEST_F(sqlite_query, round_trips_every_field_type) {
    const bytes data = {0x00, 0x01, 0x7f, 0x80, 0xff, 0x00};
    const auto id = strata::sqlite::query_one<q::add_thing>(
        db_, std::int16_t{-32768}, std::int32_t{2147483647},
        std::numeric_limits<std::int64_t>::min(), true, 0.25f, 0.1,
        std::string("caf\xc3\xa9 'quoted' \"twice\""), data, mood::sad);
    ASSERT_TRUE(id);

    const auto thing = strata::sqlite::query_one<q::get_thing>(db_, id->id);
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
}

TEST_F(sqlite_query, binds_and_reads_null_through_optionals) {
    const auto id = strata::sqlite::query_one<q::add_thing>(
        db_, std::optional<std::int16_t>(), std::optional<std::int32_t>(), std::nullopt,
        std::optional<bool>(), std::optional<float>(), std::optional<double>(),
        static_cast<const char*>(nullptr), std::optional<bytes>(), std::optional<mood>());
    ASSERT_TRUE(id);
    EXPECT_EQ(db_.execAndGet("SELECT count(*) FROM things WHERE coalesce(small, medium, big, "
                             "flag, ratio, score, label, data, mood) IS NULL")
                  .getInt(),
              1);

    const auto nulls = strata::sqlite::query_one<q::get_thing_or_nulls>(db_, id->id);
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

TEST_F(sqlite_query, binds_optionals_holding_values) {
    const auto id = strata::sqlite::query_one<q::add_thing>(
        db_, std::optional<std::int16_t>(7), std::optional<std::int32_t>(8),
        std::optional<std::int64_t>(9), std::optional<bool>(false), std::optional<float>(1.5f),
        std::optional<double>(-2.5), std::optional<std::string>("x"),
        std::optional<bytes>(bytes{1}), std::optional<mood>(mood::happy));
    ASSERT_TRUE(id);

    const auto thing = strata::sqlite::query_one<q::get_thing_or_nulls>(db_, id->id);
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

TEST_F(sqlite_query, round_trips_blobs_including_the_empty_one) {
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

TEST_F(sqlite_query, stores_enums_as_their_labels) {
    strata::sqlite::query_one<q::add_thing>(db_, 0, 0, 0, false, 0.0f, 0.0, "", bytes{},
                                            mood::happy);
    strata::sqlite::query_one<q::add_thing>(db_, 0, 0, 0, false, 0.0f, 0.0, "", bytes{}, mood::sad);
    EXPECT_EQ(db_.execAndGet("SELECT group_concat(mood, ',') FROM things").getString(),
              "happy,sad");

    const auto sad = strata::sqlite::query<q::things_with_mood>(db_, mood::sad);
    ASSERT_EQ(sad.size(), 1u);
    EXPECT_EQ(sad[0].id, 2);
    EXPECT_EQ(sad[0].mood, mood::sad);
}

TEST_F(sqlite_query, rejects_an_unknown_enum_label) {
    db_.exec("INSERT INTO things (mood) VALUES ('angry')");
    EXPECT_EQ(error_of([&] { strata::sqlite::query<q::things_with_mood>(db_, "angry"); }),
              "query things_with_mood: column mood has unknown label 'angry'");
}

TEST_F(sqlite_query, rejects_null_into_a_field_that_is_not_optional) {
    strata::sqlite::execute<q::add_user>(db_, "ann@example.com", std::nullopt);
    EXPECT_EQ(
        error_of([&] { strata::sqlite::query_one<q::find_user_strict>(db_, "ann@example.com"); }),
        "query find_user_strict: column nickname is NULL");
}

TEST_F(sqlite_query, rejects_a_column_count_that_changed_since_the_build) {
    strata::sqlite::execute<q::add_user>(db_, "ann@example.com", "ann");
    EXPECT_EQ(strata::sqlite::query<q::all_users>(db_).size(), 1u);

    db_.exec("ALTER TABLE users ADD COLUMN age INTEGER");
    EXPECT_EQ(error_of([&] { strata::sqlite::query<q::all_users>(db_); }),
              "query all_users: statement has 4 columns, expected 3");
}

TEST_F(sqlite_query, rejects_values_that_do_not_fit_their_field) {
    db_.exec("INSERT INTO things (id, small, medium) VALUES (1, 40000, 'many')");
    EXPECT_EQ(error_of([&] { strata::sqlite::query_one<q::get_thing_or_nulls>(db_, 1); }),
              "query get_thing_or_nulls: column small value 40000 is out of range");
    db_.exec("UPDATE things SET small = 1");
    EXPECT_EQ(error_of([&] { strata::sqlite::query_one<q::get_thing_or_nulls>(db_, 1); }),
              "query get_thing_or_nulls: column medium is not an integer");
}

TEST_F(sqlite_query, reads_what_insert_returning_returns) {
    const auto first = strata::sqlite::query_one<q::add_user_returning_id>(db_, "a@x");
    const auto second = strata::sqlite::query<q::add_user_returning_id>(db_, "b@x");
    ASSERT_TRUE(first);
    EXPECT_EQ(first->id, 1);
    ASSERT_EQ(second.size(), 1u);
    EXPECT_EQ(second[0].id, 2);
}

TEST_F(sqlite_query, execute_counts_the_rows_changed) {
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

TEST_F(sqlite_query, execute_reports_errors_of_the_database) {
    strata::sqlite::execute<q::add_user>(db_, "a@x", std::nullopt);
    EXPECT_THROW(strata::sqlite::execute<q::add_user>(db_, "a@x", std::nullopt), SQLite::Exception);
    EXPECT_EQ(strata::sqlite::execute<q::set_thing_label>(db_, "x", 1), 0);
}

}  // namespace
