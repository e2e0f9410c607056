# Install rules: the tool, exported as Strata::strata; the engine library with
# its public headers, exported as Strata::runtime; and the package files that
# find_package(Strata) reads.
include_guard(GLOBAL)
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(STRATA_CONFIG_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/Strata" CACHE STRING
    "Where the CMake package files of Strata are installed, relative to the prefix")

install(TARGETS strata EXPORT StrataTargets RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
install(EXPORT StrataTargets NAMESPACE Strata:: DESTINATION "${STRATA_CONFIG_DIR}")

# The runtime has an export set of its own: the tool is a build-machine
# program that needs nothing at configure time, while the library drags in
# its dependencies (StrataConfig.cmake finds them), and a cross-compiling
# consumer takes the tool from the build machine but the library from the
# target's prefix.
install(TARGETS strata_runtime EXPORT StrataRuntimeTargets
  ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}"
  INCLUDES DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(DIRECTORY "${PROJECT_SOURCE_DIR}/src/include/strata"
  DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
  FILES_MATCHING PATTERN "*.hpp")
install(EXPORT StrataRuntimeTargets NAMESPACE Strata:: DESTINATION "${STRATA_CONFIG_DIR}")

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
