# cmake -DSTRATA_TOOL=strata -DSTRATA_DIR=dir [-DSTRATA_NAME=name] -P StrataNewMigration.cmake
# Creates a new migration named by $ENV{NAME}, else by STRATA_NAME (the
# -DNAME= of configure time). Run by the <target>_new helper target.
if(DEFINED ENV{NAME} AND NOT "$ENV{NAME}" STREQUAL "")
  set(STRATA_NAME "$ENV{NAME}")
endif()
if("${STRATA_NAME}" STREQUAL "")
  message(FATAL_ERROR "name the migration: NAME=add_users cmake --build <dir> --target <target>_new "
                      "(or configure with -DNAME=add_users)")
endif()
execute_process(COMMAND "${STRATA_TOOL}" --dir "${STRATA_DIR}" new "${STRATA_NAME}"
                RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "strata new failed")
endif()
