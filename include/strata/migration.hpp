// One migration as read from disk.
#pragma once

#include <optional>
#include <string>

#include "strata/migration_version.hpp"

namespace strata {

enum class layout { diesel, sqlx, dbmate };

const char* to_string(layout l) noexcept;

// The version rule of the tool whose layout a set uses.
version_rule rule_of(layout l) noexcept;

// A script and where it comes from. `first_line` is the line of `file` on
// which `sql` begins (dbmate keeps both scripts in one file).
struct script {
    std::string sql;
    std::string file;
    int first_line = 1;
};

// How a migration is reverted, or why it is not.
enum class reversal {
    script,        // by its down script
    nothing,       // its up script holds no statement, so there is nothing to revert
    irreversible,  // `-- strata:irreversible`: deliberately never
    one_way,       // a plain sqlx file (`<v>_<name>.sql`): no down script by design
    missing,       // it needs a down script and has none with a statement
};

const char* to_string(reversal r) noexcept;

struct migration {
    strata::migration_version version;
    std::string name;
    script up;
    std::optional<script> down;         // present exactly when reversal is `script`
    bool run_in_transaction = true;     // the up script, in a transaction of Strata's
    bool revert_in_transaction = true;  // the down script
    strata::reversal reversal = reversal::script;
    std::string checksum;  // of the up script, see script_checksum()

    // "<version>_<name>" ("<version>" when nameless, as a diesel folder
    // without '_'), how the migration is named in messages.
    std::string id() const { return name.empty() ? version.str() : version.str() + "_" + name; }
    // An up script with comments only runs as a no-op (diesel and sqlx run it).
    bool is_no_op() const;
};

}  // namespace strata
