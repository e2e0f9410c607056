#include "strata/diagnostic.hpp"

#include <algorithm>

namespace strata {

const char* to_string(severity level) noexcept {
    switch (level) {
        case severity::error:
            return "error";
        case severity::warning:
            return "warning";
        case severity::note:
            return "note";
    }
    return "?";
}

bool has_errors(const diagnostics& found) {
    return std::any_of(found.begin(), found.end(),
                       [](const diagnostic& d) { return d.level == severity::error; });
}

std::string format_location(const source_location& where) {
    if (where.file.empty())
        return {};
    if (where.line <= 0)
        return where.file;
    return where.file + ":" + std::to_string(where.line);
}

}  // namespace strata
