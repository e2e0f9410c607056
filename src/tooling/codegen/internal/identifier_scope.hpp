// Distinct C++ identifiers for the SQL names of one scope of the generated
// header.
#pragma once

#include <set>
#include <string>

#include "tooling/codegen/header.hpp"

namespace strata::detail {

class identifier_scope {
  public:
    explicit identifier_scope(const std::set<std::string>& reserved) : taken_(reserved) {}

    std::string add(const std::string& sql_name) {
        std::string base = cpp_identifier(sql_name);
        std::string id = base;
        // A keyword's identifier ends in '_' (`int_`): `int_2`, not the reserved `int__2`.
        const std::string separator = base.back() == '_' ? "" : "_";
        for (int n = 2; taken_.count(id); ++n)
            id = base + separator + std::to_string(n);
        taken_.insert(id);
        return id;
    }

  private:
    std::set<std::string> taken_;
};

}  // namespace strata::detail
