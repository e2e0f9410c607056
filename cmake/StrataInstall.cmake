# Install rules: the tool, exported as Strata::strata; the engine libraries
# with their public headers, one export set per component (runtime, sqlite,
# postgres); and the package files that find_package(Strata) reads.
include_guard(GLOBAL)
include(CMakePackageConfigHelpers)

set(STRATA_CONFIG_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/Strata" CACHE STRING
    "Where the CMake package files of Strata are installed, relative to the prefix")

install(TARGETS strata EXPORT StrataTargets RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
install(EXPORT StrataTargets NAMESPACE Strata:: DESTINATION "${STRATA_CONFIG_DIR}")

# Each library has an export set of its own, loaded by StrataConfig.cmake
# only once that component's dependencies are found: the tool is a
# build-machine program that needs nothing at configure time, an application
# using SQLite only never looks for libpqxx, and a cross-compiling consumer
# takes the tool from the build machine but the libraries from the target's
# prefix.
foreach(component IN ITEMS Runtime Sqlite Postgres)
  string(TOLOWER ${component} library)
  install(TARGETS strata_${library} EXPORT Strata${component}Targets
    ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}"
    INCLUDES DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
  install(EXPORT Strata${component}Targets NAMESPACE Strata::
    DESTINATION "${STRATA_CONFIG_DIR}")
endforeach()
install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/strata"
  DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
  FILES_MATCHING PATTERN "*.hpp"
  PATTERN "sqlite" EXCLUDE
  PATTERN "postgres" EXCLUDE)
foreach(component IN ITEMS sqlite postgres)
  install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/strata/${component}"
    DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/strata"
    FILES_MATCHING PATTERN "*.hpp")
endforeach()
install(FILES "${PROJECT_BINARY_DIR}/include/strata/version.hpp"
  DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/strata")

configure_package_config_file(
  "${PROJECT_SOURCE_DIR}/cmake/StrataConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/StrataConfig.cmake"
  INSTALL_DESTINATION "${STRATA_CONFIG_DIR}")
write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/StrataConfigVersion.cmake"
  COMPATIBILITY SameMajorVersion)
install(FILES
  "${PROJECT_BINARY_DIR}/StrataConfig.cmake"
  "${PROJECT_BINARY_DIR}/StrataConfigVersion.cmake"
  "${PROJECT_SOURCE_DIR}/cmake/StrataMigrations.cmake"
  "${PROJECT_SOURCE_DIR}/cmake/StrataNewMigration.cmake"
  "${PROJECT_SOURCE_DIR}/cmake/StrataWriteSnapshot.cmake"
  DESTINATION "${STRATA_CONFIG_DIR}")
