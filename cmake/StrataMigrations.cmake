#[=======================================================================[.rst:
StrataMigrations
----------------

Database migrations inside the build. Loaded by ``find_package(Strata)`` and
by ``add_subdirectory``/``FetchContent`` of Strata; runs the ``Strata::strata``
tool.

.. command:: add_migrations

  ::

    add_migrations(<target>
      DIRECTORY <dir>            # the migration set
      NAMESPACE <ns>             # C++ namespace of the generated header, e.g. app::db
      HEADER    <path>           # include path of the header, e.g. app/db_schema.hpp
      [SNAPSHOT <file>]          # checked-in canonical schema; drift fails the build
      [BACKEND sqlite|postgres]  # scratch database of the build-time checks (default sqlite)
      [POSTGRES_URL <url>]       # BACKEND postgres: server for scratch databases
                                 # (default: $ENV{STRATA_POSTGRES_URL} when the build runs,
                                 # else a throwaway local server)
      [ALLOW_IRREVERSIBLE]       # accept migrations without down scripts
      [REVERSIBLE_FROM <version>] # an older history's missing, failing or
                                 # non-restoring down scripts are warnings
      [EMBED <path>])            # compile the migrations in: this header (an include
                                 # path like HEADER) declares <ns>::migrate()

  Makes ``<target>`` an INTERFACE library whose include directory holds the
  generated header. One build step, re-run only when a migration file, the
  set's directories or the tool change (a depfile written by the tool lists
  them, so a new migration file needs no re-configure), checks the set
  (layout, missing down scripts, applying it to a scratch database, the
  snapshot) and writes the header only when its content changed, so an
  unchanged schema recompiles nothing. Any failure fails the build with the
  file, line and message. A history written before the build checked down
  scripts is grandfathered with ``REVERSIBLE_FROM <version>``: the findings
  of older migrations (a missing down script here, a failing or
  non-restoring one in ``verify_schema``'s round trip) are listed as
  warnings, those of ``<version>`` and later fail. sqlx's plain
  ``<v>_<name>.sql`` files are one-way by design and need neither. With ``BACKEND postgres`` the checks run on a
  scratch database created on a PostgreSQL server and dropped afterwards, and
  the header maps PostgreSQL's types. URLs given to Strata's functions are
  written to files under the build directory (mode 0600) that the tool reads,
  so that no password shows up in build logs, command lines or CTest output.

  With ``EMBED``, ``<target>`` is a STATIC library instead, linking the
  backend components found (``Strata::sqlite``, ``Strata::postgres``; the one
  of ``BACKEND`` is required): the same step also writes the EMBED header and
  a source holding the migrations, so that the program calls
  ``<ns>::migrate(db)`` (a SQLiteCpp or libpqxx connection, for each backend
  linked) and ``<ns>::check_schema(db)`` at startup. A table called ``migrations``, ``migrate`` or ``check_schema``
  then gets another name in the schema header (``migrations_2``).

  Helper targets, run on demand: ``<target>_new`` (``-DNAME=...`` at
  configure time or ``NAME`` in the environment), ``<target>_migrate``,
  ``<target>_revert``, ``<target>_status`` (against ``DATABASE_URL`` of the
  environment), and ``<target>_snapshot`` (rewrites SNAPSHOT).

.. command:: verify_schema

  ::

    verify_schema(<target>
      [SNAPSHOT <file>]             # also fail the build when the schema drifts from it
      [BACKENDS sqlite postgres]    # default: sqlite
      [POSTGRES_URL <url>]          # default: $ENV{STRATA_TEST_POSTGRES_URL} at configure time
      [POSTGRES_URL_FILE <file>]    # or: a file holding the URL, read when the test runs
      [DATABASE_URL <url>]          # a live database to test for drift
      [QUERIES <file>...])          # named queries checked against the schema

  Registers CTest tests labelled ``strata``. With sqlite: ``<target>.up`` (the
  set applies to a fresh database) and ``<target>.roundtrip`` (every down
  script restores exactly the schema from before its up script, and the up
  script applies again). A set of sqlx's plain files only, one-way by
  design, gets no round-trip tests (configure says so, and runs again when
  a file is added to the set, in case it becomes reversible). With postgres: ``<target>.postgres.roundtrip``, the
  same on a scratch PostgreSQL database (on POSTGRES_URL's server, else on
  ``$ENV{STRATA_POSTGRES_URL}`` when the test runs, else on a throwaway local
  server). With both: ``<target>.portability`` (the set applies on both, and
  each column's type is of the same class on both). ``<target>.drift`` when
  DATABASE_URL is given.

  QUERIES names query files of named queries (``-- name: find_user`` blocks,
  parameters ``?``, ``$1`` or ``:name``). The build step of ``add_migrations``
  prepares each one on its scratch database, so that a query the schema no
  longer supports fails the build with its file, line and the database's
  message, and the schema header declares ``<ns>::queries::<name>``: the SQL,
  the parameters, and a ``row`` struct typed from the prepared statement.
  ``<target>.queries`` prepares them again on each of BACKENDS.
#]=======================================================================]

include_guard(GLOBAL)

# A function keeps the policies in effect where it is defined. CMP0116: Ninja
# reads the depfile of the check only once CMake has made its paths relative
# to the build tree; under the OLD behaviour, which a project asking for
# CMake < 3.20 gets, every build would re-run the check.
cmake_policy(PUSH)
if(POLICY CMP0116)
  cmake_policy(SET CMP0116 NEW)
endif()

function(_strata_require_tool)
  if(NOT TARGET Strata::strata)
    message(FATAL_ERROR "Strata: the Strata::strata tool target is missing; "
                        "use find_package(Strata) or add_subdirectory(strata)")
  endif()
endfunction()

function(add_migrations target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "ALLOW_IRREVERSIBLE"
    "DIRECTORY;NAMESPACE;HEADER;SNAPSHOT;BACKEND;POSTGRES_URL;EMBED;REVERSIBLE_FROM" "")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "add_migrations(${target}): unknown arguments: ${arg_UNPARSED_ARGUMENTS}")
  endif()
  foreach(required IN ITEMS DIRECTORY NAMESPACE HEADER)
    if(NOT arg_${required})
      message(FATAL_ERROR "add_migrations(${target}): ${required} is required")
    endif()
  endforeach()
  # ';' is CMake's list separator: such a value would reach the tool as two
  # arguments and fail the build with a message about neither.
  foreach(name IN ITEMS DIRECTORY NAMESPACE HEADER SNAPSHOT EMBED REVERSIBLE_FROM)
    if("${arg_${name}}" MATCHES ";")
      message(FATAL_ERROR "add_migrations(${target}): ${name} must not contain ';', "
                          "CMake's list separator: '${arg_${name}}'")
    endif()
  endforeach()
  if(NOT arg_NAMESPACE MATCHES "^[A-Za-z_][A-Za-z0-9_]*(::[A-Za-z_][A-Za-z0-9_]*)*$")
    message(FATAL_ERROR "add_migrations(${target}): NAMESPACE is a C++ namespace such as "
                        "app::db, not '${arg_NAMESPACE}'")
  endif()
  if(TARGET ${target})
    message(FATAL_ERROR "add_migrations(${target}): a target named ${target} already exists")
  endif()
  if(NOT arg_BACKEND)
    set(arg_BACKEND sqlite)
  endif()
  if(NOT arg_BACKEND MATCHES "^(sqlite|postgres)$")
    message(FATAL_ERROR "add_migrations(${target}): BACKEND is sqlite or postgres, "
                        "not '${arg_BACKEND}'")
  endif()
  if(arg_EMBED AND (IS_ABSOLUTE "${arg_EMBED}" OR arg_EMBED MATCHES "(^|/)\\.\\.(/|$)"))
    message(FATAL_ERROR "add_migrations(${target}): EMBED is an include path such as "
                        "app/db_migrations.hpp, not '${arg_EMBED}'")
  endif()
  if(arg_EMBED AND arg_EMBED STREQUAL arg_HEADER)
    message(FATAL_ERROR "add_migrations(${target}): EMBED and HEADER name two headers; "
                        "give them different paths")
  endif()
  # EMBED: migrate() takes the connection of each backend component found;
  # the one the checks run on is required.
  set(embed_backends)
  if(arg_EMBED)
    foreach(backend IN ITEMS sqlite postgres)
      if(TARGET Strata::${backend})
        list(APPEND embed_backends ${backend})
      endif()
    endforeach()
    set(check_backend sqlite)
    if(arg_BACKEND)
      set(check_backend "${arg_BACKEND}")
    endif()
    if(NOT check_backend IN_LIST embed_backends)
      message(FATAL_ERROR "add_migrations(${target}): EMBED needs the Strata::${check_backend} "
                          "library: find_package(Strata CONFIG REQUIRED COMPONENTS ${check_backend})")
    endif()
  endif()
  if(IS_ABSOLUTE "${arg_HEADER}" OR arg_HEADER MATCHES "(^|/)\\.\\.(/|$)")
    message(FATAL_ERROR "add_migrations(${target}): HEADER is an include path such as "
                        "app/db_schema.hpp, not '${arg_HEADER}'")
  endif()
  _strata_require_tool()

  get_filename_component(directory "${arg_DIRECTORY}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  if(NOT IS_DIRECTORY "${directory}")
    message(FATAL_ERROR "add_migrations(${target}): DIRECTORY '${directory}' does not exist")
  endif()
  set(work "${CMAKE_CURRENT_BINARY_DIR}/strata/${target}")
  set(include_dir "${work}/include")
  set(header "${include_dir}/${arg_HEADER}")
  set(stamp "${work}/check.stamp")
  set(depfile "${work}/check.d")

  # Function scopes see the caller's variables: start from nothing.
  set(snapshot "")
  set(backend_args --backends ${arg_BACKEND})
  if(arg_BACKEND STREQUAL "postgres" AND arg_POSTGRES_URL)
    _strata_url_file(url_file ${target} postgres "${arg_POSTGRES_URL}")
    list(APPEND backend_args --postgres-url-file "${url_file}")
  endif()
  set(check_args --dir "${directory}" ${backend_args} check --header "${header}"
                 --namespace "${arg_NAMESPACE}" --depfile "${depfile}" --stamp "${stamp}")
  set(set_options)
  if(arg_ALLOW_IRREVERSIBLE)
    list(APPEND set_options --allow-irreversible)
  endif()
  if(arg_REVERSIBLE_FROM)
    list(APPEND set_options --reversible-from "${arg_REVERSIBLE_FROM}")
  endif()
  list(PREPEND check_args ${set_options})
  if(arg_SNAPSHOT)
    get_filename_component(snapshot "${arg_SNAPSHOT}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    set(build_dir "${CMAKE_BINARY_DIR}")
    if(build_dir MATCHES " ")
      set(build_dir "\"${build_dir}\"")
    endif()
    list(APPEND check_args --snapshot "${snapshot}"
                           --snapshot-refresh "cmake --build ${build_dir} --target ${target}_snapshot")
  endif()

  # EMBED: the same step writes the header and source that compile the set in.
  set(embed_outputs)
  if(arg_EMBED)
    set(embed_header "${include_dir}/${arg_EMBED}")
    get_filename_component(embed_name "${arg_EMBED}" NAME_WE)
    set(embed_source "${work}/${embed_name}.cpp")
    list(JOIN embed_backends "," embed_backend_list)
    list(APPEND check_args --embed-namespace "${arg_NAMESPACE}" --embed-include "${arg_EMBED}"
                           --embed-header "${embed_header}" --embed-source "${embed_source}"
                           --embed-backends "${embed_backend_list}")
    set(embed_outputs "${embed_header}" "${embed_source}")
  endif()

  # QUERIES of verify_schema(), which may come later: read when generating.
  set(queries "$<TARGET_PROPERTY:${target},STRATA_QUERIES>")
  list(APPEND check_args "$<$<BOOL:${queries}>:--queries$<SEMICOLON>${queries}>")

  file(MAKE_DIRECTORY "${include_dir}")
  # The depfile lists every file and directory of the set, so an edited or a
  # new migration re-runs the step; the snapshot file and the tool are plain
  # dependencies. The header is a byproduct written only on change.
  add_custom_command(
    OUTPUT "${stamp}"
    BYPRODUCTS "${header}" ${embed_outputs}
    COMMAND Strata::strata ${check_args}
    DEPENDS Strata::strata ${snapshot} "${queries}"
    DEPFILE "${depfile}"
    COMMENT "Checking migrations of ${target}"
    COMMAND_EXPAND_LISTS
    VERBATIM)
  add_custom_target(${target}_check DEPENDS "${stamp}")

  if(arg_EMBED)
    # A library of its own: the program links migrate() once, however many
    # of its targets use the set.
    add_library(${target} STATIC "${embed_source}")
    list(TRANSFORM embed_backends PREPEND Strata:: OUTPUT_VARIABLE embed_libraries)
    target_link_libraries(${target} PUBLIC ${embed_libraries})
    set(scope PUBLIC)
  else()
    add_library(${target} INTERFACE)
    set(scope INTERFACE)
  endif()
  target_include_directories(${target} ${scope} "$<BUILD_INTERFACE:${include_dir}>")
  target_compile_features(${target} ${scope} cxx_std_17)
  add_dependencies(${target} ${target}_check)
  set_target_properties(${target} PROPERTIES
    STRATA_DIRECTORY "${directory}"
    STRATA_SNAPSHOT "${snapshot}"
    STRATA_BACKEND_ARGS "${backend_args}"
    STRATA_ALLOW_IRREVERSIBLE "${arg_ALLOW_IRREVERSIBLE}"
    STRATA_SET_OPTIONS "${set_options}")

  _strata_helper_targets(${target} "${directory}" "${snapshot}" "${arg_ALLOW_IRREVERSIBLE}"
                         "${backend_args}")
endfunction()

# Writes `url` to a file only its owner can read and names the file in
# `out_var`: the tool reads it, so a password stays out of command lines and logs.
function(_strata_url_file out_var target name url)
  set(file "${CMAKE_CURRENT_BINARY_DIR}/strata/${target}/${name}.url")
  set(old "")
  if(EXISTS "${file}")
    file(READ "${file}" old)
  endif()
  if(NOT old STREQUAL "${url}\n")
    # Private before the URL goes in: file(WRITE) keeps an existing file's mode.
    get_filename_component(dir "${file}" DIRECTORY)
    file(MAKE_DIRECTORY "${dir}")
    file(TOUCH "${file}")
    file(CHMOD "${file}" PERMISSIONS OWNER_READ OWNER_WRITE)
    file(WRITE "${file}" "${url}\n")
  endif()
  file(CHMOD "${file}" PERMISSIONS OWNER_READ OWNER_WRITE)
  set(${out_var} "${file}" PARENT_SCOPE)
endfunction()

function(_strata_helper_targets target directory snapshot allow_irreversible backend_args)
  set(tool "$<TARGET_FILE:Strata::strata>")
  set(set_args --dir "${directory}")
  if(allow_irreversible)
    list(APPEND set_args --allow-irreversible)
  endif()
  # NAME (environment) and DATABASE_URL are read when the target runs; -DNAME=
  # given at configure time is the fallback.
  add_custom_target(${target}_new
    COMMAND "${CMAKE_COMMAND}" -DSTRATA_TOOL=${tool} -DSTRATA_DIR=${directory}
            "-DSTRATA_NAME=${NAME}" -P "${_STRATA_MODULE_DIR}/StrataNewMigration.cmake"
    VERBATIM USES_TERMINAL)
  add_custom_target(${target}_migrate COMMAND "${tool}" ${set_args} up VERBATIM USES_TERMINAL)
  add_custom_target(${target}_revert COMMAND "${tool}" ${set_args} down VERBATIM USES_TERMINAL)
  add_custom_target(${target}_status COMMAND "${tool}" ${set_args} status VERBATIM USES_TERMINAL)
  if(snapshot)
    add_custom_target(${target}_snapshot
      COMMAND "${CMAKE_COMMAND}" -DSTRATA_TOOL=${tool} -DSTRATA_DIR=${directory}
              -DSTRATA_SNAPSHOT=${snapshot} -DSTRATA_ALLOW_IRREVERSIBLE=${allow_irreversible}
              "-DSTRATA_BACKEND_ARGS=${backend_args}"
              -P "${_STRATA_MODULE_DIR}/StrataWriteSnapshot.cmake"
      COMMENT "Rewriting ${snapshot} from ${directory}"
      VERBATIM)
  endif()
endfunction()

# Whether `directory` holds sqlx's plain `<v>_<name>.sql` files only (no
# diesel folder, no .up.sql or .down.sql, no dbmate markers): a one-way set.
function(_strata_is_one_way out_var directory)
  file(GLOB entries LIST_DIRECTORIES true "${directory}/*")
  set(plain FALSE)
  foreach(entry IN LISTS entries)
    get_filename_component(name "${entry}" NAME)
    if(name MATCHES "^\\.")
      continue()
    elseif(IS_DIRECTORY "${entry}" AND EXISTS "${entry}/up.sql")
      set(${out_var} FALSE PARENT_SCOPE)
      return()
    elseif(name MATCHES "\\.(up|down)\\.sql$")
      set(${out_var} FALSE PARENT_SCOPE)
      return()
    elseif(name MATCHES "^[0-9].*\\.sql$" AND NOT plain)
      # One file tells sqlx's from dbmate's, whose files mark their sections.
      file(STRINGS "${entry}" marker REGEX "^--[ \t]*migrate:" LIMIT_COUNT 1)
      if(marker)
        set(${out_var} FALSE PARENT_SCOPE)
        return()
      endif()
      set(plain TRUE)
    endif()
  endforeach()
  set(${out_var} ${plain} PARENT_SCOPE)
endfunction()

function(verify_schema target)
  cmake_parse_arguments(PARSE_ARGV 1 arg ""
    "SNAPSHOT;POSTGRES_URL;POSTGRES_URL_FILE;DATABASE_URL" "BACKENDS;QUERIES")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "verify_schema(${target}): unknown arguments: ${arg_UNPARSED_ARGUMENTS}")
  endif()
  foreach(name IN ITEMS SNAPSHOT POSTGRES_URL_FILE)
    if("${arg_${name}}" MATCHES ";")
      message(FATAL_ERROR "verify_schema(${target}): ${name} must not contain ';', "
                          "CMake's list separator: '${arg_${name}}'")
    endif()
  endforeach()
  if(NOT TARGET ${target})
    message(FATAL_ERROR "verify_schema(${target}): call add_migrations(${target} ...) first")
  endif()
  get_target_property(directory ${target} STRATA_DIRECTORY)
  if(NOT directory)
    message(FATAL_ERROR "verify_schema(${target}): ${target} was not made by add_migrations()")
  endif()
  set(queries)
  foreach(file IN LISTS arg_QUERIES)
    get_filename_component(file "${file}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    list(APPEND queries "${file}")
  endforeach()
  # The build step of add_migrations() prepares them and declares their types.
  get_target_property(known ${target} STRATA_QUERIES)
  if(known)
    list(PREPEND queries ${known})
  endif()
  list(REMOVE_DUPLICATES queries)
  set_property(TARGET ${target} PROPERTY STRATA_QUERIES ${queries})
  if(NOT arg_BACKENDS)
    set(arg_BACKENDS sqlite)
  endif()
  foreach(backend IN LISTS arg_BACKENDS)
    if(NOT backend MATCHES "^(sqlite|postgres)$")
      message(FATAL_ERROR "verify_schema(${target}): BACKENDS are sqlite and postgres, "
                          "not '${backend}'")
    endif()
  endforeach()
  if(NOT arg_POSTGRES_URL AND NOT arg_POSTGRES_URL_FILE)
    set(arg_POSTGRES_URL "$ENV{STRATA_TEST_POSTGRES_URL}")
  endif()
  set(postgres_args)
  if(arg_POSTGRES_URL_FILE)
    get_filename_component(url_file "${arg_POSTGRES_URL_FILE}" ABSOLUTE
                           BASE_DIR "${CMAKE_CURRENT_BINARY_DIR}")
    set(postgres_args --postgres-url-file "${url_file}")
  elseif(arg_POSTGRES_URL)
    _strata_url_file(url_file ${target} test-postgres "${arg_POSTGRES_URL}")
    set(postgres_args --postgres-url-file "${url_file}")
  endif()
  get_target_property(set_options ${target} STRATA_SET_OPTIONS)
  get_target_property(backend_args ${target} STRATA_BACKEND_ARGS)
  set(set_args --dir "${directory}" ${set_options})
  _strata_is_one_way(one_way "${directory}")
  if(one_way)
    message(STATUS "verify_schema(${target}): ${directory} holds sqlx's plain migration files "
                   "only, one-way by design: no round-trip test")
    # A reversible file added later must bring the round trip back.
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${directory}")
  endif()

  if(arg_SNAPSHOT)
    get_filename_component(snapshot "${arg_SNAPSHOT}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    get_target_property(own_snapshot ${target} STRATA_SNAPSHOT)
    if(NOT snapshot STREQUAL own_snapshot)
      set(stamp "${CMAKE_CURRENT_BINARY_DIR}/strata/${target}/snapshot.stamp")
      add_custom_command(
        OUTPUT "${stamp}"
        COMMAND Strata::strata ${set_args} ${backend_args} check --snapshot "${snapshot}"
                --depfile "${stamp}.d" --stamp "${stamp}"
        DEPENDS Strata::strata "${snapshot}"
        DEPFILE "${stamp}.d"
        COMMENT "Comparing ${target} with ${arg_SNAPSHOT}"
        VERBATIM)
      add_custom_target(${target}_verify_snapshot ALL DEPENDS "${stamp}")
      add_dependencies(${target} ${target}_verify_snapshot)
    endif()
  endif()

  set(tests)
  if("sqlite" IN_LIST arg_BACKENDS)
    add_test(NAME ${target}.up COMMAND Strata::strata ${set_args} --url sqlite::memory: up)
    list(APPEND tests ${target}.up)
    if(NOT one_way)
      add_test(NAME ${target}.roundtrip
               COMMAND Strata::strata ${set_args} --backends sqlite check --roundtrip)
      list(APPEND tests ${target}.roundtrip)
    endif()
  endif()
  if("postgres" IN_LIST arg_BACKENDS AND NOT one_way)
    add_test(NAME ${target}.postgres.roundtrip
             COMMAND Strata::strata ${set_args} --backends postgres ${postgres_args}
                     check --roundtrip)
    list(APPEND tests ${target}.postgres.roundtrip)
  endif()
  if("sqlite" IN_LIST arg_BACKENDS AND "postgres" IN_LIST arg_BACKENDS)
    add_test(NAME ${target}.portability
             COMMAND Strata::strata ${set_args} --backends sqlite,postgres ${postgres_args} check)
    list(APPEND tests ${target}.portability)
  endif()
  if(queries)
    list(JOIN arg_BACKENDS "," backends)
    add_test(NAME ${target}.queries
             COMMAND Strata::strata ${set_args} --backends ${backends} ${postgres_args}
                     check --queries ${queries})
    list(APPEND tests ${target}.queries)
  endif()
  if(arg_DATABASE_URL)
    # The expected schema comes from a scratch database of the live one's kind.
    if(arg_DATABASE_URL MATCHES "^postgres(ql)?://")
      set(drift_backend_args --backends postgres ${postgres_args})
    else()
      set(drift_backend_args --backends sqlite)
    endif()
    _strata_url_file(database_url_file ${target} drift "${arg_DATABASE_URL}")
    add_test(NAME ${target}.drift
             COMMAND Strata::strata ${set_args} ${drift_backend_args}
                     --url-file "${database_url_file}" diff)
    list(APPEND tests ${target}.drift)
  endif()
  set_tests_properties(${tests} PROPERTIES LABELS strata)
endfunction()

cmake_policy(POP)

# The helper scripts beside this file, for functions called from anywhere.
set(_STRATA_MODULE_DIR "${CMAKE_CURRENT_LIST_DIR}" CACHE INTERNAL "")
