// The database systems Strata migrates.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace strata {

enum class backend_kind { sqlite, postgres };

// "sqlite" or "postgres": how messages, JSON and the CLI name a backend.
inline std::string to_string(backend_kind b) {
    return b == backend_kind::postgres ? "postgres" : "sqlite";
}

// The backend `name` names, nullopt for any other text.
inline std::optional<backend_kind> backend_named(std::string_view name) noexcept {
    if (name == "sqlite")
        return backend_kind::sqlite;
    if (name == "postgres")
        return backend_kind::postgres;
    return std::nullopt;
}

}  // namespace strata
