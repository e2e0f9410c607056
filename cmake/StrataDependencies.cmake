# Finds Strata's build dependencies, all of them Debian packages
# (scripts/install-deps installs the missing ones).
include_guard(GLOBAL)

find_package(SQLiteCpp REQUIRED)          # target: SQLiteCpp
find_package(SQLite3 REQUIRED)            # SQLite::SQLite3, for the raw prepare/step loop
find_package(fmt REQUIRED)                # fmt::fmt
find_package(CLI11 REQUIRED)              # CLI11::CLI11
find_package(nlohmann_json 3 REQUIRED)    # nlohmann_json::nlohmann_json
find_package(OpenSSL REQUIRED COMPONENTS Crypto)  # OpenSSL::Crypto, SHA-256

# Debian ships no CMake config for libpqxx; pkg-config finds it. The
# PostgreSQL backend is the only user.
option(STRATA_WITH_POSTGRES "Build the PostgreSQL backend (needs libpqxx)" ON)
if(STRATA_WITH_POSTGRES)
  find_package(PkgConfig REQUIRED)
  pkg_check_modules(PQXX REQUIRED IMPORTED_TARGET libpqxx)
endif()
