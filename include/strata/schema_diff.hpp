// Structural differences between two schema models, per object and attribute.
#pragma once

#include <string>
#include <vector>

#include "strata/schema.hpp"

namespace strata {

struct schema_change {
    std::string object_kind;  // "table", "index", "view", "trigger"; postgres also "extension",
                              // "type", "sequence", "function", "procedure"
    std::string object;       // its name; a routine's signature, `trigger on table` (postgres)
    std::string attribute;    // "column theme: default"; empty when the object itself came or went
    std::string before;       // empty when absent before
    std::string after;        // empty when absent after

    // "table users: column theme: default 'light' -> 'dark'"
    std::string text() const;
};

// What changes turn `before` into `after`, ordered by object kind and name.
std::vector<schema_change> diff_schemas(const schema& before, const schema& after);

// One change per line, each indented by `indent`.
std::string format_changes(const std::vector<schema_change>& changes,
                           const std::string& indent = "  ");

}  // namespace strata
