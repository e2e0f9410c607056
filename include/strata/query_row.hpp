// What the query adapters (strata/sqlite/query.hpp, strata/postgres/query.hpp)
// share: the traits of a generated query type's row members, and the errors
// of reading a row that does not fit them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "strata/error.hpp"

namespace strata::query_detail {

using bytes = std::vector<std::uint8_t>;  // BLOB and bytea

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

// For static_assert in a discarded `if constexpr` branch.
template <class T>
inline constexpr bool unsupported = false;

// The number of result columns the generated type Q expects.
template <class Q>
inline constexpr std::size_t field_count =
    std::tuple_size_v<std::remove_const_t<decltype(Q::fields)>>;

// Names the column an error is about.
struct column_ref {
    std::string_view query;
    std::string_view column;
};

[[noreturn]] inline void fail(const column_ref& at, const std::string& what) {
    throw error(error_kind::check, "query " + std::string(at.query) + ": column " +
                                       std::string(at.column) + " " + what);
}

// A result whose columns are not Q's: the schema changed since the build.
template <class Q>
void expect_columns(std::size_t columns) {
    if (columns != field_count<Q>)
        throw error(error_kind::check, "query " + std::string(Q::name) + ": result has " +
                                           std::to_string(columns) + " columns, expected " +
                                           std::to_string(field_count<Q>));
}

// A Q::row whose members `read(member, column_index, column_ref)` assigns.
template <class Q, class Read, std::size_t... I>
typename Q::row read_members(Read&& read, std::index_sequence<I...>) {
    typename Q::row row;
    (..., read(row.*std::get<I>(Q::fields), I, column_ref{Q::name, Q::column_names[I]}));
    return row;
}

template <class Q, class Read>
typename Q::row read_members(Read&& read) {
    return read_members<Q>(read, std::make_index_sequence<field_count<Q>>{});
}

}  // namespace strata::query_detail
