// Distinct C++ identifiers for the SQL names of one scope of the generated
// header.
#pragma once

#include <set>
#include <string>

#include "strata/header.hpp"

namespace strata::detail {

class identifier_scope {
  public:
    explicit identifier_scope(const std::set<std::string>& reserved) : taken_(reserved) {}

    std::string add(const std::string& sql_name) {
        std::string base = cpp_identifier(sql_name);
        std::string id = base;
        for (int n = 2; taken_.count(id); ++n)
            id = base + "_" + std::to_string(n);
        taken_.insert(id);
        return id;
    }

  private:
    std::set<std::string> taken_;
};

}  // namespace strata::detail
