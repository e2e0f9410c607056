// strata/postgres_query.hpp on a fresh database of the PostgreSQL test server:
// query types written by hand as the generator writes them (the contract is
// the interface under test), binding every argument type, reading every
// field type including enums and arrays, and the errors when the database no
// longer matches the query.
#include <gtest/gtest.h>

#include <array>
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

#include "postgres.hpp"
#include "strata/error.hpp"
#include "strata/postgres_query.hpp"

namespace postgres_test::db {

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

}  // namespace postgres_test::db

namespace postgres_test::db::queries {

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
    static constexpr ::std::array<::std::string_view, 2> parameter_types = {"text", "text"};
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
    static constexpr ::std::array<::std::string_view, 1> parameter_types = {"text"};
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
    static constexpr ::std::array<::std::string_view, 1> parameter_types = {"text"};
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
        "SELECT id, email FROM users WHERE id >= $1 AND id <= $2 ORDER BY id";
    static constexpr ::std::string_view sqlite_sql =
        "SELECT id, email FROM users WHERE id >= ?1 AND id <= ?2 ORDER BY id";
    static constexpr ::std::string_view postgres_sql =
        "SELECT id, email FROM users WHERE id >= $1 AND id <= $2 ORDER BY id";
    static constexpr ::std::size_t parameter_count = 2;
    static constexpr ::std::array<::std::string_view, 2> parameter_names = {"", ""};
    static constexpr ::std::array<::std::string_view, 2> parameter_types = {"int8", "int8"};
    struct row {
        ::std::int64_t id{};
        ::std::string email{};
    };
    static constexpr ::std::array<::std::string_view, 2> column_names = {"id", "email"};
    static constexpr auto fields = ::std::make_tuple(&row::id, &row::email);
};

// queries/users.sql:11
struct users_with_ids {
    static constexpr ::std::string_view name = "users_with_ids";
    static constexpr ::std::string_view sql =
        "SELECT email FROM users WHERE id = ANY(:ids) ORDER BY id";
    static constexpr ::std::string_view sqlite_sql =
        "SELECT email FROM users WHERE id = ANY(?1) ORDER BY id";
    static constexpr ::std::string_view postgres_sql =
        "SELECT email FROM users WHERE id = ANY($1) ORDER BY id";
    static constexpr ::std::size_t parameter_count = 1;
    static constexpr ::std::array<::std::string_view, 1> parameter_names = {"ids"};
    static constexpr ::std::array<::std::string_view, 1> parameter_types = {"int8[]"};
    struct row {
        ::std::string email{};
    };
    static constexpr ::std::array<::std::string_view, 1> column_names = {"email"};
    static constexpr auto fields = ::std::make_tuple(&row::email);
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
    static constexpr ::std::array<::std::string_view, 1> parameter_types = {"text"};
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
    static constexpr ::std::string_view sql = "SELECT * FROM users ORDER BY id";
    static constexpr ::std::string_view sqlite_sql = "SELECT * FROM users ORDER BY id";
    static constexpr ::std::string_view postgres_sql = "SELECT * FROM users ORDER BY id";
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

// queries/users.sql:13
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
    static constexpr ::std::array<::std::string_view, 1> parameter_types = {"text"};
    struct row {
        ::std::int64_t id{};
    };
    static constexpr ::std::array<::std::string_view, 1> column_names = {"id"};
    static constexpr auto fields = ::std::make_tuple(&row::id);
};

// queries/users.sql:15
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
    static constexpr ::std::array<::std::string_view, 2> parameter_types = {"text", "text"};
    struct row {};
    static constexpr ::std::array<::std::string_view, 0> column_names = {};
    static constexpr auto fields = ::std::tuple<>{};
};

// queries/things.sql:1
struct add_thing {
    static constexpr ::std::string_view name = "add_thing";
    static constexpr ::std::string_view sql =
        "INSERT INTO things (small, medium, big, flag, ratio, score, label, data, mood) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
    static constexpr ::std::string_view sqlite_sql =
        "INSERT INTO things (small, medium, big, flag, ratio, score, label, data, mood) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id";
    static constexpr ::std::string_view postgres_sql =
        "INSERT INTO things (small, medium, big, flag, ratio, score, label, data, mood) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
    static constexpr ::std::size_t parameter_count = 9;
    static constexpr ::std::array<::std::string_view, 9> parameter_names = {"", "", "", "", "",
                                                                            "", "", "", ""};
    static constexpr ::std::array<::std::string_view, 9> parameter_types = {
        "int2", "int4", "int8", "bool", "float4", "float8", "text", "bytea", "mood"};
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
    static constexpr ::std::array<::std::string_view, 1> parameter_types = {"int8"};
    struct row {
        ::std::int16_t small{};
        ::std::int32_t medium{};
        ::std::int64_t big{};
        bool flag{};
        float ratio{};
        double score{};
        ::std::string label{};
        ::std::vector<::std::uint8_t> data{};
        ::postgres_test::db::mood mood{};
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
    static constexpr ::std::array<::std::string_view, 1> parameter_types = {"int8"};
    struct row {
        ::std::optional<::std::int16_t> small;
        ::std::optional<::std::int32_t> medium;
        ::std::optional<::std::int64_t> big;
        ::std::optional<bool> flag;
        ::std::optional<float> ratio;
        ::std::optional<double> score;
        ::std::optional<::std::string> label;
        ::std::optional<::std::vector<::std::uint8_t>> data;
        ::std::optional<::postgres_test::db::mood> mood;
    };
    static constexpr ::std::array<::std::string_view, 9> column_names = {
        "small", "medium", "big", "flag", "ratio", "score", "label", "data", "mood"};
    static constexpr auto fields =
        ::std::make_tuple(&row::small, &row::medium, &row::big, &row::flag, &row::ratio,
                          &row::score, &row::label, &row::data, &row::mood);
};

// A build that thought `big` was a smallint.
struct get_big_as_small {
    static constexpr ::std::string_view name = "get_big_as_small";
    static constexpr ::std::string_view sql = "SELECT big FROM things WHERE id = :id";
    static constexpr ::std::string_view sqlite_sql = "SELECT big FROM things WHERE id = ?1";
    static constexpr ::std::string_view postgres_sql = "SELECT big FROM things WHERE id = $1";
    static constexpr ::std::size_t parameter_count = 1;
    static constexpr ::std::array<::std::string_view, 1> parameter_names = {"id"};
    static constexpr ::std::array<::std::string_view, 1> parameter_types = {"int8"};
    struct row {
        ::std::int16_t big{};
    };
    static constexpr ::std::array<::std::string_view, 1> column_names = {"big"};
    static constexpr auto fields = ::std::make_tuple(&row::big);
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
    static constexpr ::std::array<::std::string_view, 1> parameter_types = {"mood"};
    struct row {
        ::std::int64_t id{};
        ::postgres_test::db::mood mood{};
    };
    static constexpr ::std::array<::std::string_view, 2> column_names = {"id", "mood"};
    static constexpr auto fields = ::std::make_tuple(&row::id, &row::mood);
};

// queries/things.sql:12
struct all_moods {
    static constexpr ::std::string_view name = "all_moods";
    static constexpr ::std::string_view sql = "SELECT mood FROM things ORDER BY id";
    static constexpr ::std::string_view sqlite_sql = "SELECT mood FROM things ORDER BY id";
    static constexpr ::std::string_view postgres_sql = "SELECT mood FROM things ORDER BY id";
    static constexpr ::std::size_t parameter_count = 0;
    static constexpr ::std::array<::std::string_view, 0> parameter_names = {};
    static constexpr ::std::array<::std::string_view, 0> parameter_types = {};
    struct row {
        ::std::optional<::postgres_test::db::mood> mood;
    };
    static constexpr ::std::array<::std::string_view, 1> column_names = {"mood"};
    static constexpr auto fields = ::std::make_tuple(&row::mood);
};

// queries/lists.sql:1
struct add_list {
    static constexpr ::std::string_view name = "add_list";
    static constexpr ::std::string_view sql =
        "INSERT INTO lists (numbers, bigs, words, flags, scores, moods, blobs) "
        "VALUES (:numbers, :bigs, :words, :flags, :scores, :moods, :blobs) RETURNING id";
    static constexpr ::std::string_view sqlite_sql =
        "INSERT INTO lists (numbers, bigs, words, flags, scores, moods, blobs) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id";
    static constexpr ::std::string_view postgres_sql =
        "INSERT INTO lists (numbers, bigs, words, flags, scores, moods, blobs) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
    static constexpr ::std::size_t parameter_count = 7;
    static constexpr ::std::array<::std::string_view, 7> parameter_names = {
        "numbers", "bigs", "words", "flags", "scores", "moods", "blobs"};
    static constexpr ::std::array<::std::string_view, 7> parameter_types = {
        "int4[]", "int8[]", "text[]", "bool[]", "float8[]", "mood[]", "bytea[]"};
    struct row {
        ::std::int64_t id{};
    };
    static constexpr ::std::array<::std::string_view, 1> column_names = {"id"};
    static constexpr auto fields = ::std::make_tuple(&row::id);
};

// queries/lists.sql:5
struct get_list {
    static constexpr ::std::string_view name = "get_list";
    static constexpr ::std::string_view sql =
        "SELECT numbers, bigs, words, flags, scores, moods, blobs FROM lists WHERE id = :id";
    static constexpr ::std::string_view sqlite_sql =
        "SELECT numbers, bigs, words, flags, scores, moods, blobs FROM lists WHERE id = ?1";
    static constexpr ::std::string_view postgres_sql =
        "SELECT numbers, bigs, words, flags, scores, moods, blobs FROM lists WHERE id = $1";
    static constexpr ::std::size_t parameter_count = 1;
    static constexpr ::std::array<::std::string_view, 1> parameter_names = {"id"};
    static constexpr ::std::array<::std::string_view, 1> parameter_types = {"int8"};
    struct row {
        ::std::vector<::std::int32_t> numbers{};
        ::std::vector<::std::int64_t> bigs{};
        ::std::vector<::std::string> words{};
        ::std::vector<bool> flags{};
        ::std::vector<double> scores{};
        ::std::vector<::postgres_test::db::mood> moods{};
        ::std::vector<::std::vector<::std::uint8_t>> blobs{};
    };
    static constexpr ::std::array<::std::string_view, 7> column_names = {
        "numbers", "bigs", "words", "flags", "scores", "moods", "blobs"};
    static constexpr auto fields =
        ::std::make_tuple(&row::numbers, &row::bigs, &row::words, &row::flags, &row::scores,
                          &row::moods, &row::blobs);
};

// queries/lists.sql:7
struct get_list_with_nulls {
    static constexpr ::std::string_view name = "get_list_with_nulls";
    static constexpr ::std::string_view sql =
        "SELECT numbers, words, moods FROM lists WHERE id = :id";
    static constexpr ::std::string_view sqlite_sql =
        "SELECT numbers, words, moods FROM lists WHERE id = ?1";
    static constexpr ::std::string_view postgres_sql =
        "SELECT numbers, words, moods FROM lists WHERE id = $1";
    static constexpr ::std::size_t parameter_count = 1;
    static constexpr ::std::array<::std::string_view, 1> parameter_names = {"id"};
    static constexpr ::std::array<::std::string_view, 1> parameter_types = {"int8"};
    struct row {
        ::std::optional<::std::vector<::std::optional<::std::int32_t>>> numbers;
        ::std::vector<::std::optional<::std::string>> words{};
        ::std::optional<::std::vector<::postgres_test::db::mood>> moods;
    };
    static constexpr ::std::array<::std::string_view, 3> column_names = {"numbers", "words",
                                                                         "moods"};
    static constexpr auto fields = ::std::make_tuple(&row::numbers, &row::words, &row::moods);
};

// queries/lists.sql:9
struct add_words {
    static constexpr ::std::string_view name = "add_words";
    static constexpr ::std::string_view sql =
        "INSERT INTO lists (words) VALUES (:words) RETURNING id";
    static constexpr ::std::string_view sqlite_sql =
        "INSERT INTO lists (words) VALUES (?1) RETURNING id";
    static constexpr ::std::string_view postgres_sql =
        "INSERT INTO lists (words) VALUES ($1) RETURNING id";
    static constexpr ::std::size_t parameter_count = 1;
    static constexpr ::std::array<::std::string_view, 1> parameter_names = {"words"};
    static constexpr ::std::array<::std::string_view, 1> parameter_types = {"text[]"};
    struct row {
        ::std::int64_t id{};
    };
    static constexpr ::std::array<::std::string_view, 1> column_names = {"id"};
    static constexpr auto fields = ::std::make_tuple(&row::id);
};

// queries/lists.sql:11
struct matrix {
    static constexpr ::std::string_view name = "matrix";
    static constexpr ::std::string_view sql = "SELECT '{{1,2},{3,4}}'::int4[] AS cells";
    static constexpr ::std::string_view sqlite_sql = "SELECT '{{1,2},{3,4}}'::int4[] AS cells";
    static constexpr ::std::string_view postgres_sql = "SELECT '{{1,2},{3,4}}'::int4[] AS cells";
    static constexpr ::std::size_t parameter_count = 0;
    static constexpr ::std::array<::std::string_view, 0> parameter_names = {};
    static constexpr ::std::array<::std::string_view, 0> parameter_types = {};
    struct row {
        ::std::vector<::std::int32_t> cells{};
    };
    static constexpr ::std::array<::std::string_view, 1> column_names = {"cells"};
    static constexpr auto fields = ::std::make_tuple(&row::cells);
};

}  // namespace postgres_test::db::queries

namespace {

namespace q = postgres_test::db::queries;
using postgres_test::db::mood;
using strata::test::postgres_test_database;
using bytes = std::vector<std::uint8_t>;

class postgres_query : public ::testing::Test {
  protected:
    postgres_query() {
        db_.exec(R"(
            CREATE TYPE mood AS ENUM ('happy', 'sad', 'angry');
            CREATE TABLE users (id bigserial PRIMARY KEY, email text NOT NULL UNIQUE,
                                nickname text);
            CREATE TABLE things (id bigserial PRIMARY KEY, small smallint, medium integer,
                                 big bigint, flag boolean, ratio real, score double precision,
                                 label text, data bytea, mood mood);
            CREATE TABLE lists (id bigserial PRIMARY KEY, numbers integer[], bigs bigint[],
                                words text[], flags boolean[], scores double precision[],
                                moods mood[], blobs bytea[]);
        )");
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

    postgres_test_database db_{"strata_queries"};
    pqxx::connection connection_{db_.url()};
    pqxx::work tx_{connection_};
};

TEST_F(postgres_query, binds_named_parameters_and_reads_the_row) {
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

TEST_F(postgres_query, binds_a_repeated_name_once) {
    strata::postgres::execute<q::add_user>(tx_, "ann@example.com", "cat");
    strata::postgres::execute<q::add_user>(tx_, "cat", std::nullopt);
    strata::postgres::execute<q::add_user>(tx_, "bob@example.com", "bob");

    const auto rows = strata::postgres::query<q::find_user_by_email_or_nickname>(tx_, "cat");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].email, "ann@example.com");
    EXPECT_EQ(rows[1].email, "cat");
}

TEST_F(postgres_query, binds_positional_parameters_in_order) {
    for (const char* email : {"a@x", "b@x", "c@x", "d@x"})
        strata::postgres::execute<q::add_user>(tx_, email, std::nullopt);

    const auto rows = strata::postgres::query<q::users_between>(tx_, 2, std::int64_t{3});
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].id, 2);
    EXPECT_EQ(rows[0].email, "b@x");
    EXPECT_EQ(rows[1].id, 3);
    EXPECT_EQ(rows[1].email, "c@x");
    EXPECT_TRUE(strata::postgres::query<q::users_between>(tx_, 3, 2).empty());
}

TEST_F(postgres_query, reads_rows_by_hand_from_a_result) {
    strata::postgres::execute<q::add_user>(tx_, "a@x", "a");
    strata::postgres::execute<q::add_user>(tx_, "b@x", std::optional<std::string>());

    const pqxx::result result = strata::postgres::exec<q::users_between>(tx_, 1, 2);
    std::vector<std::string> emails;
    for (const auto& row : result)
        emails.push_back(strata::postgres::read_row<q::users_between>(row).email);
    EXPECT_EQ(emails, (std::vector<std::string>{"a@x", "b@x"}));
}

TEST_F(postgres_query, round_trips_every_field_type) {
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

TEST_F(postgres_query, round_trips_infinities_and_nan) {
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

TEST_F(postgres_query, binds_and_reads_null_through_optionals) {
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

TEST_F(postgres_query, binds_optionals_holding_values) {
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

TEST_F(postgres_query, round_trips_bytea_including_the_empty_one) {
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

TEST_F(postgres_query, binds_enums_as_their_labels) {
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

TEST_F(postgres_query, rejects_an_enum_label_the_build_did_not_know) {
    tx_.exec("INSERT INTO things (mood) VALUES ('happy'), (NULL), ('angry')");
    EXPECT_EQ(error_of([&] { strata::postgres::query<q::all_moods>(tx_); }),
              "query all_moods: column mood has unknown label 'angry'");
}

TEST_F(postgres_query, rejects_null_into_a_field_that_is_not_optional) {
    strata::postgres::execute<q::add_user>(tx_, "ann@example.com", std::nullopt);
    EXPECT_EQ(
        error_of([&] { strata::postgres::query_one<q::find_user_strict>(tx_, "ann@example.com"); }),
        "query find_user_strict: column nickname is NULL");
}

TEST_F(postgres_query, rejects_a_column_count_that_changed_since_the_build) {
    strata::postgres::execute<q::add_user>(tx_, "ann@example.com", "ann");
    EXPECT_EQ(strata::postgres::query<q::all_users>(tx_).size(), 1u);

    tx_.exec("ALTER TABLE users ADD COLUMN age integer");
    EXPECT_EQ(error_of([&] { strata::postgres::query<q::all_users>(tx_); }),
              "query all_users: result has 4 columns, expected 3");
}

TEST_F(postgres_query, rejects_values_that_do_not_fit_their_field) {
    tx_.exec("INSERT INTO things (id, big) VALUES (1, 40000)");
    EXPECT_EQ(error_of([&] { strata::postgres::query_one<q::get_big_as_small>(tx_, 1); }),
              "query get_big_as_small: column big has '40000', which does not fit its field");
}

TEST_F(postgres_query, reads_what_insert_returning_returns) {
    const auto first = strata::postgres::query_one<q::add_user_returning_id>(tx_, "a@x");
    const auto second = strata::postgres::query<q::add_user_returning_id>(tx_, "b@x");
    ASSERT_TRUE(first);
    EXPECT_EQ(first->id, 1);
    ASSERT_EQ(second.size(), 1u);
    EXPECT_EQ(second[0].id, 2);
}

TEST_F(postgres_query, execute_counts_the_rows_changed) {
    for (const char* email : {"a@example.com", "b@example.com", "c@elsewhere.org"})
        EXPECT_EQ(strata::postgres::execute<q::add_user>(tx_, email, std::nullopt), 1u);

    EXPECT_EQ(strata::postgres::execute<q::rename_users>(tx_, "someone", "%@example.com"), 2u);
    EXPECT_EQ(strata::postgres::execute<q::rename_users>(tx_, "nobody", "%@nowhere"), 0u);
    EXPECT_EQ(strata::postgres::execute<q::add_user_returning_id>(tx_, "d@x"), 1u);
}

TEST_F(postgres_query, round_trips_one_dimensional_arrays) {
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

TEST_F(postgres_query, round_trips_empty_arrays) {
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

TEST_F(postgres_query, binds_an_array_to_any) {
    for (const char* email : {"a@x", "b@x", "c@x", "d@x"})
        strata::postgres::execute<q::add_user>(tx_, email, std::nullopt);

    const auto rows =
        strata::postgres::query<q::users_with_ids>(tx_, std::vector<std::int64_t>{4, 2, 9});
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].email, "b@x");
    EXPECT_EQ(rows[1].email, "d@x");
}

TEST_F(postgres_query, reads_null_elements_into_optionals) {
    const auto id = strata::postgres::query_one<q::add_words>(
        tx_, std::vector<std::optional<std::string>>{"a", std::nullopt, "NULL"});
    ASSERT_TRUE(id);
    tx_.exec("UPDATE lists SET numbers = '{1,NULL,3}'");

    const auto list = strata::postgres::query_one<q::get_list_with_nulls>(tx_, id->id);
    ASSERT_TRUE(list);
    EXPECT_EQ(list->numbers, (std::vector<std::optional<std::int32_t>>{1, std::nullopt, 3}));
    EXPECT_EQ(list->words, (std::vector<std::optional<std::string>>{"a", std::nullopt, "NULL"}));
    EXPECT_EQ(list->moods, std::nullopt);
}

TEST_F(postgres_query, rejects_null_elements_into_a_vector_of_values) {
    tx_.exec("INSERT INTO lists (id, numbers) VALUES (1, '{1,NULL}')");
    EXPECT_EQ(error_of([&] { strata::postgres::query_one<q::get_list>(tx_, 1); }),
              "query get_list: column numbers has a NULL element");
}

TEST_F(postgres_query, rejects_arrays_of_more_than_one_dimension) {
    EXPECT_EQ(error_of([&] { strata::postgres::query<q::matrix>(tx_); }),
              "query matrix: column cells has more than one dimension");
}

}  // namespace
