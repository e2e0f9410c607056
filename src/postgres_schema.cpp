#include "strata/postgres_schema.hpp"

#include "strata/error.hpp"

namespace strata {

schema read_postgres_schema(pqxx::transaction_base&, const std::string&, const std::string&) {
    throw error(error_kind::usage, "postgres introspection is not written yet");
}

}  // namespace strata
