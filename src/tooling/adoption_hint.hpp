// What `strata adopt` and `strata baseline` tell the user to do next.
#pragma once

#include <optional>
#include <string>

#include "engine/adoption.hpp"
#include "strata/migration_set.hpp"

namespace strata {

// The version to give REVERSIBLE_FROM so that the round trip holds to
// account only the migrations that follow a history taken over: the first
// migration of `set` after every one the plan records, else the version a
// new migration would get (`strata new`'s); nullopt when no version can be
// named (no new version sorts after the set's latest by its rule).
std::optional<std::string> reversible_from_after(const migration_set& set, const adoption& plan);

}  // namespace strata
