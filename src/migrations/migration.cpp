#include "strata/migration.hpp"

#include "sql/text.hpp"

namespace strata {

const char* to_string(layout l) noexcept {
    switch (l) {
        case layout::diesel:
            return "diesel";
        case layout::sqlx:
            return "sqlx";
        case layout::dbmate:
            return "dbmate";
    }
    return "?";
}

version_rule rule_of(layout l) noexcept {
    switch (l) {
        case layout::diesel:
            return version_rule::text;
        case layout::sqlx:
            return version_rule::number;
        case layout::dbmate:
            return version_rule::file_name;
    }
    return version_rule::number;
}

const char* to_string(reversal r) noexcept {
    switch (r) {
        case reversal::script:
            return "script";
        case reversal::nothing:
            return "nothing";
        case reversal::irreversible:
            return "irreversible";
        case reversal::one_way:
            return "one-way";
        case reversal::missing:
            return "missing";
    }
    return "?";
}

bool migration::is_no_op() const {
    return !has_statement(up.sql);
}

}  // namespace strata
