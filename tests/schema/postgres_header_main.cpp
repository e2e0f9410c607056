// Compiled as C++17 and C++20 with -Wall -Wextra -Werror -pedantic against
// the header postgres_header_gen writes for a PostgreSQL schema built by
// hand: every type of the mapping, enums with hostile labels, and tables and
// columns named like the enums and their helpers. The types are checked at
// compile time; every enum label round-trips through to_string/from_string
// at compile time and at run time.
#include <cstdint>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "postgres_schema.hpp"

namespace db = pg::db;
namespace t = pg::db::everything;

// ---- The type mapping --------------------------------------------------------

template <typename Column, typename Type>
constexpr bool maps_to = std::is_same_v<typename Column::value_type, Type>;

static_assert(maps_to<t::id, std::int64_t>);
static_assert(maps_to<t::small, std::int16_t>);
static_assert(maps_to<t::medium, std::int32_t>);
static_assert(maps_to<t::flag, bool>);
static_assert(maps_to<t::note, std::string>);
static_assert(maps_to<t::code, std::string> && maps_to<t::code_any, std::string>);
static_assert(maps_to<t::initials, std::string>);
static_assert(maps_to<t::ratio, float>);
static_assert(maps_to<t::precise, double>);
static_assert(maps_to<t::price, std::string> && maps_to<t::amount, std::string>);
static_assert(maps_to<t::bytes, std::vector<std::uint8_t>>);
static_assert(maps_to<t::uid, std::string>);
static_assert(maps_to<t::doc, std::string> && maps_to<t::docb, std::string>);
static_assert(maps_to<t::day, std::string> && maps_to<t::at, std::string> &&
              maps_to<t::at_tz, std::string> && maps_to<t::stamp, std::string> &&
              maps_to<t::created, std::string> && maps_to<t::span, std::string>);
static_assert(maps_to<t::addr, std::string> && maps_to<t::email, std::string>);
static_assert(maps_to<t::scores, std::vector<std::int32_t>>);
static_assert(maps_to<t::labels, std::vector<std::string>>);
static_assert(maps_to<t::shorts, std::vector<std::int16_t>>);
// The table `mood` keeps its name; the enum `mood` yields.
static_assert(maps_to<t::mood, db::mood_2>);
static_assert(maps_to<t::moods, std::vector<db::mood_2>>);
static_assert(maps_to<t::elsewhere, std::string>);  // another schema's enum
static_assert(maps_to<t::status, db::Status>);
static_assert(maps_to<t::class_, db::class_>);
static_assert(maps_to<db::mood::x, db::mood_2>);
static_assert(maps_to<db::to_string_2::x, db::mood_2>);  // `to_string` is the helper's

// PostgreSQL's own spelling of each type is kept.
static_assert(t::code::sql_type == "character varying(40)");
static_assert(t::created::sql_type == "timestamp(3) with time zone");
static_assert(t::scores::sql_type == "integer[]");
static_assert(t::status::sql_type == "\"Status\"");
static_assert(t::elsewhere::sql_type == "other.mood");

// Nullability, keys and defaults.
static_assert(!t::id::is_nullable && t::id::pk_position == 1 && t::id::has_default);
static_assert(!t::small::is_nullable && t::medium::is_nullable && !t::medium::has_default);
static_assert(t::note::has_default && !t::code::has_default);

// `row` members: std::optional exactly for nullable columns.
static_assert(std::is_same_v<decltype(t::row::id), std::int64_t>);
static_assert(std::is_same_v<decltype(t::row::medium), std::optional<std::int32_t>>);
static_assert(std::is_same_v<decltype(t::row::mood), db::mood_2>);
static_assert(std::is_same_v<decltype(t::row::moods), std::optional<std::vector<db::mood_2>>>);
static_assert(std::is_same_v<decltype(t::row::scores), std::vector<std::int32_t>>);
static_assert(std::is_same_v<decltype(t::row::ratio), float>);
static_assert(std::is_same_v<decltype(t::row::bytes), std::optional<std::vector<std::uint8_t>>>);

// ---- Enums ---------------------------------------------------------------

static_assert(std::is_enum_v<db::Status> && !std::is_convertible_v<db::Status, int>);
static_assert(db::to_string(db::mood_2::happy) == "happy");
static_assert(db::from_string<db::mood_2>("ok") == db::mood_2::ok);
static_assert(!db::from_string<db::mood_2>("OK").has_value());
static_assert(db::to_string(db::Status::in_progress) == "in-progress");
static_assert(db::to_string(db::Status::in_progress_2) == "in progress");
static_assert(db::to_string(db::Status::in_progress_3) == "in_progress");
static_assert(db::to_string(db::Status::delete_) == "delete");
static_assert(db::to_string(db::Status::n123) == "123");
static_assert(db::to_string(db::Status::unnamed).empty());
static_assert(db::to_string(db::Status::say_hi) == "say \"hi\"\n");
static_assert(db::to_string(db::Status::Status) == "Status");
static_assert(db::from_string<db::Status>("text") == db::Status::text);
static_assert(db::from_string<db::class_>("new") == db::class_::new_);
static_assert(db::from_string<db::to_string_3>("a") == db::to_string_3::a);
static_assert(!db::from_string<db::nothing>("").has_value());

namespace {

int failures = 0;

void expect(bool ok, const std::string& what) {
    if (!ok) {
        std::cerr << "FAILED: " << what << "\n";
        ++failures;
    }
}

// Every label, as the model holds them, to the value and back; every value
// to its label and back. Enumerators are numbered from 0 in label order.
template <typename E>
void round_trip(const std::vector<std::string>& labels) {
    for (std::size_t i = 0; i < labels.size(); ++i) {
        const std::optional<E> value = db::from_string<E>(labels[i]);
        expect(value.has_value(), "from_string('" + labels[i] + "')");
        if (!value)
            continue;
        expect(static_cast<std::size_t>(*value) == i,
               "label '" + labels[i] + "' is value " + std::to_string(i));
        expect(db::to_string(*value) == labels[i], "to_string of '" + labels[i] + "'");
    }
    expect(db::to_string(static_cast<E>(labels.size())).empty(), "no label past the last value");
    expect(!db::from_string<E>("no such label").has_value(), "unknown label");
}

}  // namespace

int main() {
    round_trip<db::Status>({"in-progress", "Done", "delete", "123", "in progress", "in_progress",
                            "", "say \"hi\"\n", "Status", "value", "text"});
    round_trip<db::class_>({"new", "class"});
    round_trip<db::mood_2>({"sad", "ok", "happy"});
    round_trip<db::nothing>({});
    round_trip<db::to_string_3>({"a"});

    t::row r;
    r.small = 7;
    r.scores = {1, 2, 3};
    r.mood = db::mood_2::happy;
    r.moods = std::vector<db::mood_2>{db::mood_2::sad, db::mood_2::ok};
    r.status = db::Status::Done;
    expect(db::to_string(r.mood) == "happy", "row member of enum type");
    expect(!r.medium.has_value() && r.moods->size() == 2, "row members");
    expect(r.id == 0 && r.mood == db::mood_2::happy && r.scores.size() == 3, "row defaults");

    if (failures)
        return 1;
    std::cout << "postgres header: ok\n";
    return 0;
}
