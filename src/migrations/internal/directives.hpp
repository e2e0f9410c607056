// `-- strata:...` directives in the leading comment of a script.
#pragma once

#include "strata/diagnostic.hpp"
#include "strata/migration.hpp"

namespace strata {

struct directives {
    bool no_transaction = false;  // -- strata:no-transaction
    bool irreversible = false;    // -- strata:irreversible
};

// Reads the directives of the comment lines that precede the first statement
// of `s`. An unknown `strata:` directive is an error in `found`: a misspelt
// no-transaction must not silently run in a transaction.
directives read_directives(const script& s, diagnostics& found);

}  // namespace strata
