// What PostgreSQL reports about a prepared statement: PQprepare and
// PQdescribePrepared on the scratch database, then the catalog's names for
// the type and origin OIDs it returned.
#include <libpq-fe.h>

#include <memory>
#include <string>

#include "strata/error.hpp"
#include "tooling/scratch/postgres_scratch.hpp"

namespace strata::detail {

namespace {

struct result_clearer {
    void operator()(PGresult* result) const noexcept { PQclear(result); }
};
using result_ptr = std::unique_ptr<PGresult, result_clearer>;

std::string field(const PGresult* result, int code) {
    const char* text = PQresultErrorField(result, code);
    return text ? text : "";
}

// "message (SQLSTATE x)", as postgres_message() spells libpqxx's errors.
std::string error_message(const PGresult* result, PGconn* connection) {
    std::string message = field(result, PG_DIAG_MESSAGE_PRIMARY);
    if (message.empty())
        message = PQerrorMessage(connection);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' '))
        message.pop_back();
    if (const auto state = field(result, PG_DIAG_SQLSTATE); !state.empty())
        message += " (SQLSTATE " + state + ")";
    return message;
}

// PostgreSQL counts characters from 1; the caller wants a byte offset.
std::size_t byte_offset(const std::string& sql, const std::string& position) {
    long characters = position.empty() ? 0 : std::stol(position) - 1;
    if (position.empty() || characters < 0)
        return static_cast<std::size_t>(-1);
    std::size_t i = 0;
    for (; i < sql.size() && characters > 0; --characters)
        do
            ++i;
        while (i < sql.size() && (static_cast<unsigned char>(sql[i]) & 0xC0) == 0x80);
    return i;
}

std::string int_array(const std::vector<long long>& values) {
    std::string out = "'{";
    for (std::size_t i = 0; i < values.size(); ++i)
        out += (i ? "," : "") + std::to_string(values[i]);
    return out + "}'";
}

// format_type() of each type, and the relation and attribute names of each
// origin, in one round trip. Only integers go into the text.
result_ptr catalog_names(PGconn* connection, const PGresult* described) {
    std::vector<long long> types, modifiers, tables, columns, parameter_types;
    for (int i = 0; i < PQnfields(described); ++i) {
        types.push_back(PQftype(described, i));
        modifiers.push_back(PQfmod(described, i));
        tables.push_back(PQftable(described, i));
        columns.push_back(PQftablecol(described, i));
    }
    for (int i = 0; i < PQnparams(described); ++i)
        parameter_types.push_back(PQparamtype(described, i));
    const std::string sql =
        "SELECT format_type(u.type, NULLIF(u.modifier, -1)), c.relname, a.attname, 0, u.n "
        "FROM unnest(" +
        int_array(types) + "::oid[], " + int_array(modifiers) + "::int[], " + int_array(tables) +
        "::oid[], " + int_array(columns) +
        "::int[]) WITH ORDINALITY AS u(type, modifier, rel, col, n) "
        "LEFT JOIN pg_catalog.pg_class c ON c.oid = u.rel "
        "LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = u.rel AND a.attnum = u.col "
        "UNION ALL SELECT format_type(p.type, NULL), NULL, NULL, 1, p.n FROM unnest(" +
        int_array(parameter_types) + "::oid[]) WITH ORDINALITY AS p(type, n) ORDER BY 4, 5";
    return result_ptr(PQexec(connection, sql.c_str()));
}

std::string value(const PGresult* result, int row, int column) {
    return PQgetisnull(result, row, column) ? "" : PQgetvalue(result, row, column);
}

}  // namespace

void postgres_scratch::libpq_closer::operator()(pg_conn* connection) const noexcept {
    PQfinish(connection);
}

statement_description postgres_scratch::describe(const std::string& sql) {
    if (!describer_) {
        describer_.reset(PQconnectdb(conninfo_.c_str()));
        if (PQstatus(describer_.get()) != CONNECTION_OK)
            throw error(error_kind::connection,
                        std::string("cannot connect to the scratch database: ") +
                            PQerrorMessage(describer_.get()));
    }
    PGconn* connection = describer_.get();
    statement_description d;
    result_ptr prepared(PQprepare(connection, "", sql.c_str(), 0, nullptr));
    if (PQresultStatus(prepared.get()) != PGRES_COMMAND_OK) {
        d.error = error_message(prepared.get(), connection);
        d.error_offset = byte_offset(sql, field(prepared.get(), PG_DIAG_STATEMENT_POSITION));
        return d;
    }
    result_ptr described(PQdescribePrepared(connection, ""));
    result_ptr names = catalog_names(connection, described.get());
    if (PQresultStatus(described.get()) != PGRES_COMMAND_OK ||
        PQresultStatus(names.get()) != PGRES_TUPLES_OK)
        throw error(error_kind::connection,
                    "cannot describe a query: " + error_message(names.get(), connection));
    const int fields = PQnfields(described.get());
    for (int i = 0; i < fields; ++i)
        d.columns.push_back({PQfname(described.get(), i), value(names.get(), i, 0),
                             value(names.get(), i, 1), value(names.get(), i, 2)});
    for (int i = 0; i < PQnparams(described.get()); ++i)
        d.parameter_types.push_back(value(names.get(), fields + i, 0));
    return d;
}

}  // namespace strata::detail
