# Finds Strata's build dependencies, all of them Debian packages
# (scripts/install-deps installs the missing ones).
include_guard(GLOBAL)

find_package(SQLiteCpp REQUIRED)          # target: SQLiteCpp
find_package(SQLite3 REQUIRED)            # SQLite::SQLite3, for the raw prepare/step loop
find_package(fmt REQUIRED)                # fmt::fmt
find_package(CLI11 REQUIRED)              # CLI11::CLI11
find_package(nlohmann_json 3 REQUIRED)    # nlohmann_json::nlohmann_json
find_package(OpenSSL REQUIRED COMPONENTS Crypto)  # OpenSSL::Crypto, SHA-256

# Debian ships no CMake config for libpqxx; pkg-config finds it, and libpq,
# whose URL parser Strata uses directly.
find_package(PkgConfig REQUIRED)
pkg_check_modules(PQXX REQUIRED IMPORTED_TARGET libpqxx)  # PkgConfig::PQXX
pkg_check_modules(PQ REQUIRED IMPORTED_TARGET libpq)      # PkgConfig::PQ
