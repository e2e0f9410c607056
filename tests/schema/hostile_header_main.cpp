// Compiled as C++17 and C++20 with -Wall -Wextra -Werror -pedantic against
// the header that `strata header` generates for fixtures/hostile (table and
// column names that are C++ keywords, names the header declares itself,
// spaces, quotes, unicode, leading digits, names that collide once mapped).
// It creates the schema with SQLiteCpp, inserts rows through the generated
// `row` structs and names, reads them back and compares.
#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "hostile_schema.hpp"

namespace db = hostile::db;

// ---- What the header declares, checked at compile time ----------------------

static_assert(db::schema_version == "0002");
static_assert(db::tables.size() == 5);
static_assert(db::tables[0] == "class" && db::tables[1] == "order items" &&
              db::tables[2] == "order_items" && db::tables[3] == "std" &&
              db::tables[4] == "tables");

// Keywords and the header's own names get other identifiers; the SQL name is kept.
static_assert(db::class_::table_name == "class");
static_assert(db::std_2::table_name == "std");
static_assert(db::tables_2::table_name == "tables");
static_assert(db::class_::int_::sql_name == "int");
static_assert(db::class_::namespace_::sql_name == "namespace");
static_assert(db::class_::std_2::sql_name == "std");
static_assert(db::class_::row_2::sql_name == "row");
static_assert(db::class_::columns_2::sql_name == "columns");
static_assert(db::class_::template_::sql_name == "template");
static_assert(db::std_2::operator_::sql_name == "operator");
static_assert(db::std_2::return_::sql_name == "return");
static_assert(db::std_2::new_::sql_name == "new");
static_assert(db::tables_2::table_name_2::sql_name == "table_name");
static_assert(db::tables_2::column_names_2::sql_name == "column_names");
// Names that are not identifiers, and collisions after mapping.
static_assert(db::class_::a_b::sql_name == "a b");
static_assert(db::class_::a_b_2::sql_name == "a_b");
static_assert(db::class_::it_s_quoted::sql_name == "it's \"quoted\"");
static_assert(db::class_::unnamed::sql_name == "\xC3\xA9");        // é
static_assert(db::class_::unnamed_2::sql_name == "\xE8\xA1\xA8");  // 表
static_assert(db::class_::n1st::sql_name == "1st");
static_assert(db::order_items::table_name == "order items");
static_assert(db::order_items_2::table_name == "order_items");
static_assert(db::order_items::class_id::sql_name == "class id");
static_assert(db::order_items::n2nd::sql_name == "2nd");

// Types, nullability, keys and defaults.
static_assert(std::is_same_v<db::class_::int_::value_type, std::int64_t>);
static_assert(std::is_same_v<db::class_::namespace_::value_type, std::string>);
static_assert(std::is_same_v<db::class_::std_2::value_type, double>);
static_assert(std::is_same_v<db::class_::row_2::value_type, std::vector<std::uint8_t>>);
static_assert(std::is_same_v<db::class_::columns_2::value_type, bool>);
static_assert(std::is_same_v<db::class_::n1st::value_type, std::int64_t>);
static_assert(std::is_same_v<db::class_::template_::value_type, std::string>);
static_assert(std::is_same_v<db::order_items::columns_2::value_type, std::string>);  // DATETIME
static_assert(db::class_::int_::sql_type == "INTEGER");
static_assert(db::class_::template_::sql_type == "VARCHAR(20)");
static_assert(!db::class_::int_::is_nullable && db::class_::int_::pk_position == 1 &&
              db::class_::int_::has_default);
static_assert(!db::class_::namespace_::is_nullable && !db::class_::namespace_::has_default);
static_assert(db::class_::std_2::is_nullable && db::class_::std_2::pk_position == 0);
static_assert(!db::class_::columns_2::is_nullable && db::class_::columns_2::has_default);
static_assert(db::class_::template_::is_nullable && db::class_::template_::has_default);
static_assert(db::std_2::operator_::pk_position == 1 && db::std_2::return_::pk_position == 2);
static_assert(!db::std_2::operator_::is_nullable && !db::std_2::return_::is_nullable);
static_assert(!db::std_2::return_::has_default && db::std_2::new_::is_nullable);

// A table's columns, in declaration order.
static_assert(std::tuple_size_v<db::class_::columns> == 12);
static_assert(db::class_::column_names.size() == 12);
static_assert(db::class_::column_names[5] == "a b" && db::class_::column_names[6] == "a_b");
static_assert(std::is_same_v<std::tuple_element_t<0, db::std_2::columns>, db::std_2::operator_>);

// ---- Rows through the generated structs, generically -------------------------

// Each table's row members, in column order.
constexpr auto class_members = std::make_tuple(
    &db::class_::row::int_, &db::class_::row::namespace_, &db::class_::row::std_2,
    &db::class_::row::row_2, &db::class_::row::columns_2, &db::class_::row::a_b,
    &db::class_::row::a_b_2, &db::class_::row::it_s_quoted, &db::class_::row::unnamed,
    &db::class_::row::unnamed_2, &db::class_::row::n1st, &db::class_::row::template_);
constexpr auto order_items_members =
    std::make_tuple(&db::order_items::row::id, &db::order_items::row::class_id,
                    &db::order_items::row::n2nd, &db::order_items::row::columns_2);
constexpr auto order_items_2_members = std::make_tuple(&db::order_items_2::row::namespace_);
constexpr auto std_members =
    std::make_tuple(&db::std_2::row::operator_, &db::std_2::row::return_, &db::std_2::row::new_);
constexpr auto tables_members =
    std::make_tuple(&db::tables_2::row::schema_version, &db::tables_2::row::table_name_2,
                    &db::tables_2::row::column_names_2);

template <typename T>
struct member_type;
template <typename Row, typename T>
struct member_type<T Row::*> {
    using type = T;
};

// Member I of the row has the column's type, wrapped in std::optional exactly
// when the column is nullable.
template <typename Columns, typename Members, std::size_t... I>
constexpr bool members_match(std::index_sequence<I...>) {
    return (
        ... &&
        std::is_same_v<
            typename member_type<std::tuple_element_t<I, Members>>::type,
            std::conditional_t<std::tuple_element_t<I, Columns>::is_nullable,
                               std::optional<typename std::tuple_element_t<I, Columns>::value_type>,
                               typename std::tuple_element_t<I, Columns>::value_type>>);
}

template <typename Columns, typename Members>
constexpr bool row_matches_columns() {
    static_assert(std::tuple_size_v<Columns> == std::tuple_size_v<Members>);
    return members_match<Columns, Members>(std::make_index_sequence<std::tuple_size_v<Columns>>{});
}

static_assert(row_matches_columns<db::class_::columns, std::decay_t<decltype(class_members)>>());
static_assert(
    row_matches_columns<db::order_items::columns, std::decay_t<decltype(order_items_members)>>());
static_assert(row_matches_columns<db::order_items_2::columns,
                                  std::decay_t<decltype(order_items_2_members)>>());
static_assert(row_matches_columns<db::std_2::columns, std::decay_t<decltype(std_members)>>());
static_assert(row_matches_columns<db::tables_2::columns, std::decay_t<decltype(tables_members)>>());

namespace {

int failures = 0;

void fail(const std::string& what) {
    std::cerr << "FAILED: " << what << "\n";
    ++failures;
}

std::string quoted(std::string_view name) {
    std::string out = "\"";
    for (char c : name) {
        if (c == '"')
            out.push_back('"');
        out.push_back(c);
    }
    return out + "\"";
}

template <std::size_t N>
std::string column_list(const std::array<std::string_view, N>& names) {
    std::string out;
    for (auto n : names)
        out += (out.empty() ? "" : ", ") + quoted(n);
    return out;
}

template <std::size_t N>
std::string insert_sql(std::string_view table, const std::array<std::string_view, N>& names) {
    std::string marks;
    for (std::size_t i = 0; i < N; ++i)
        marks += i ? ", ?" : "?";
    return "INSERT INTO " + quoted(table) + " (" + column_list(names) + ") VALUES (" + marks + ")";
}

template <std::size_t N>
std::string select_sql(std::string_view table, const std::array<std::string_view, N>& names) {
    std::string order;
    for (std::size_t i = 1; i <= N; ++i)
        order += (i > 1 ? ", " : "") + std::to_string(i);
    return "SELECT " + column_list(names) + " FROM " + quoted(table) + " ORDER BY " + order;
}

void bind(SQLite::Statement& s, int i, std::int64_t v) {
    s.bind(i, static_cast<std::int64_t>(v));
}
void bind(SQLite::Statement& s, int i, double v) {
    s.bind(i, v);
}
void bind(SQLite::Statement& s, int i, bool v) {
    s.bind(i, v ? 1 : 0);
}
void bind(SQLite::Statement& s, int i, const std::string& v) {
    s.bind(i, v);
}
void bind(SQLite::Statement& s, int i, const std::vector<std::uint8_t>& v) {
    s.bind(i, v.data(), static_cast<int>(v.size()));
}
template <typename T>
void bind(SQLite::Statement& s, int i, const std::optional<T>& v) {
    if (v)
        bind(s, i, *v);
    else
        s.bind(i);
}

void read(const SQLite::Column& c, std::int64_t& v) {
    v = c.getInt64();
}
void read(const SQLite::Column& c, double& v) {
    v = c.getDouble();
}
void read(const SQLite::Column& c, bool& v) {
    v = c.getInt() != 0;
}
void read(const SQLite::Column& c, std::string& v) {
    v = c.getString();
}
void read(const SQLite::Column& c, std::vector<std::uint8_t>& v) {
    const auto* data = static_cast<const std::uint8_t*>(c.getBlob());
    v.assign(data, data + c.getBytes());
}
template <typename T>
void read(const SQLite::Column& c, std::optional<T>& v) {
    if (c.isNull()) {
        v.reset();
        return;
    }
    T value{};
    read(c, value);
    v = std::move(value);
}

template <typename Row, typename Members, std::size_t N>
void insert(SQLite::Database& database, std::string_view table,
            const std::array<std::string_view, N>& names, const Members& members,
            const std::vector<Row>& rows) {
    SQLite::Statement s(database, insert_sql(table, names));
    for (const auto& r : rows) {
        std::apply(
            [&](auto... member) {
                int i = 0;
                (bind(s, ++i, r.*member), ...);
            },
            members);
        s.exec();
        s.reset();
    }
}

template <typename Row, typename Members, std::size_t N>
std::vector<Row> select(SQLite::Database& database, std::string_view table,
                        const std::array<std::string_view, N>& names, const Members& members) {
    SQLite::Statement s(database, select_sql(table, names));
    std::vector<Row> rows;
    while (s.executeStep()) {
        Row r;
        std::apply(
            [&](auto... member) {
                int i = 0;
                (read(s.getColumn(i++), r.*member), ...);
            },
            members);
        rows.push_back(std::move(r));
    }
    return rows;
}

template <typename Row, typename Members, std::size_t N>
void compare(std::string_view table, const std::array<std::string_view, N>& names,
             const Members& members, const std::vector<Row>& expected,
             const std::vector<Row>& actual) {
    if (expected.size() != actual.size()) {
        fail(std::string(table) + ": " + std::to_string(actual.size()) + " rows read, " +
             std::to_string(expected.size()) + " written");
        return;
    }
    for (std::size_t row = 0; row < expected.size(); ++row)
        std::apply(
            [&](auto... member) {
                std::size_t i = 0;
                auto check = [&](bool same) {
                    if (!same)
                        fail(std::string(table) + " row " + std::to_string(row) + ": column " +
                             std::string(names[i]) + " differs");
                    ++i;
                };
                (check(expected[row].*member == actual[row].*member), ...);
            },
            members);
}

template <typename Row, typename Members, std::size_t N>
void round_trip(SQLite::Database& database, std::string_view table,
                const std::array<std::string_view, N>& names, const Members& members,
                const std::vector<Row>& rows) {
    insert(database, table, names, members, rows);
    compare(table, names, members, rows, select<Row>(database, table, names, members));
    // The generated names are the table's real column names, in order.
    SQLite::Statement all(database, "SELECT * FROM " + quoted(table));
    if (static_cast<std::size_t>(all.getColumnCount()) != N)
        fail(std::string(table) + ": column count");
    for (std::size_t i = 0; i < N && i < static_cast<std::size_t>(all.getColumnCount()); ++i)
        if (names[i] != all.getColumnName(static_cast<int>(i)))
            fail(std::string(table) + ": column " + std::to_string(i) + " is " +
                 all.getColumnName(static_cast<int>(i)) + ", the header says " +
                 std::string(names[i]));
}

std::string file_text(const char* path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error(std::string("cannot read ") + path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

int main() {
    try {
        SQLite::Database database(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        database.exec("PRAGMA foreign_keys = ON");
        database.exec(file_text(HOSTILE_UP_1));
        database.exec(file_text(HOSTILE_UP_2));

        db::class_::row first;
        first.int_ = 1;
        first.namespace_ = "ns";
        first.std_2 = 2.5;
        first.row_2 = std::vector<std::uint8_t>{0, 1, 255};
        first.columns_2 = true;
        first.a_b = "with a space";
        first.a_b_2 = "with an underscore";
        first.it_s_quoted = "it's \"quoted\"";
        first.unnamed = "caf\xC3\xA9";
        first.unnamed_2 = 42;
        first.n1st = 9007199254740993;  // not representable as a double
        first.template_ = "t";
        db::class_::row second;  // nullable columns left empty
        second.int_ = 2;
        second.namespace_ = "\xE8\xA1\xA8";
        second.columns_2 = false;
        round_trip(database, db::class_::table_name, db::class_::column_names, class_members,
                   std::vector<db::class_::row>{first, second});

        db::order_items::row item;
        item.id = 10;
        item.class_id = 2;
        item.n2nd = "second";
        item.columns_2 = "2025-01-20 12:00:00";
        round_trip(database, db::order_items::table_name, db::order_items::column_names,
                   order_items_members, std::vector<db::order_items::row>{item});

        db::order_items_2::row other;
        other.namespace_ = "other";
        round_trip(database, db::order_items_2::table_name, db::order_items_2::column_names,
                   order_items_2_members, std::vector<db::order_items_2::row>{other});

        db::std_2::row a;
        a.operator_ = "+";
        a.return_ = 1;
        db::std_2::row b;
        b.operator_ = "+";
        b.return_ = 2;
        b.new_ = 0.25;
        round_trip(database, db::std_2::table_name, db::std_2::column_names, std_members,
                   std::vector<db::std_2::row>{a, b});

        db::tables_2::row t;
        t.schema_version = "v";
        t.table_name_2 = "tn";
        round_trip(database, db::tables_2::table_name, db::tables_2::column_names, tables_members,
                   std::vector<db::tables_2::row>{t});

        // A NOT NULL column without a default is enforced by the database too.
        try {
            database.exec("INSERT INTO " + quoted(db::class_::table_name) + " (" +
                          quoted(db::class_::int_::sql_name) + ") VALUES (3)");
            fail("inserting without " + std::string(db::class_::namespace_::sql_name) + " worked");
        } catch (const SQLite::Exception&) {
        }
    } catch (const std::exception& e) {
        std::cerr << "FAILED: " << e.what() << "\n";
        return 1;
    }
    if (failures == 0)
        std::cout << "ok: rows written and read through the generated header\n";
    return failures == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
