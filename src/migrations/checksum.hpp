// Checksums of migration scripts.
#pragma once

#include <string>
#include <string_view>

namespace strata {

// Lowercase hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);

// Lowercase hex SHA-384 of `data`: sqlx's checksum of a migration file.
std::string sha384_hex(std::string_view data);

// The checksum recorded for an up script: SHA-256 of the text with CRLF
// normalised to LF, so a checkout with Windows line endings is not "modified".
std::string script_checksum(std::string_view script);

}  // namespace strata
