// One migration as read from disk.
#pragma once

#include <optional>
#include <string>

#include "strata/version.hpp"

namespace strata {

enum class layout { diesel, sqlx, dbmate };

const char* to_string(layout l) noexcept;

// A script and where it comes from. `first_line` is the line of `file` on
// which `sql` begins (dbmate keeps both scripts in one file).
struct script {
    std::string sql;
    std::string file;
    int first_line = 1;
};

struct migration {
    strata::version version;
    std::string name;
    script up;
    std::optional<script> down;  // absent: irreversible
    bool run_in_transaction = true;
    bool irreversible = false;  // `-- strata:irreversible`, or no down script allowed
    std::string checksum;       // of the up script, see script_checksum()

    // "<version>_<name>", how the migration is named in messages.
    std::string id() const { return version.str() + "_" + name; }
};

}  // namespace strata
