#include "tooling/adoption_hint.hpp"

#include <algorithm>

#include "strata/error.hpp"
#include "tooling/scaffold.hpp"

namespace strata {

std::optional<std::string> reversible_from_after(const migration_set& set, const adoption& plan) {
    std::size_t after = 0;
    for (const auto& row : plan.records)
        for (std::size_t i = 0; i < set.migrations.size(); ++i)
            if (set.migrations[i].version.str() == row.version)
                after = std::max(after, i + 1);
    if (after < set.migrations.size())
        return set.migrations[after].version.str();
    try {
        return next_version(set);
    } catch (const error&) {
        return std::nullopt;
    }
}

}  // namespace strata
