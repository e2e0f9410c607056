// Splitting a dbmate migration file into its `-- migrate:up` and
// `-- migrate:down` sections.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "strata/diagnostic.hpp"
#include "strata/migration.hpp"

namespace strata::detail {

// True when `text` has a `-- migrate:` line (any case), the mark of the
// dbmate layout.
bool is_dbmate_file(std::string_view text);

struct dbmate_sections {
    script preamble;  // comments above `-- migrate:up`: where directives of the file go
    script up;
    std::optional<script> down;  // absent when there is no down marker
    bool up_in_transaction = true;
    bool down_in_transaction = true;
};

// Nullopt (with errors in `found`) when the file is not a well-formed dbmate
// migration.
std::optional<dbmate_sections> split_dbmate_file(std::string_view text, const std::string& file,
                                                 diagnostics& found);

}  // namespace strata::detail
