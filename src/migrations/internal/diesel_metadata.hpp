// Diesel's per-migration `metadata.toml`.
#pragma once

#include <string>
#include <string_view>

#include "strata/diagnostic.hpp"

namespace strata::detail {

// Reads `run_in_transaction = true|false`, the only key diesel defines.
// Other keys are ignored, as diesel ignores them; a malformed line is an error.
// A file without the key means false, as in diesel: its TomlMetadata gives
// the field serde's default, false (a note in `found` says so).
bool diesel_runs_in_transaction(std::string_view toml, const std::string& file, diagnostics& found);

}  // namespace strata::detail
