# cmake -DSTRATA_TOOL=strata -DSTRATA_DIR=dir -DSTRATA_SNAPSHOT=file -P StrataWriteSnapshot.cmake
# Rewrites the snapshot with the canonical schema of the migration set, as
# `diesel print-schema > schema.rs` does. Run by the <target>_snapshot target.
set(args --dir "${STRATA_DIR}")
if(STRATA_ALLOW_IRREVERSIBLE)
  list(APPEND args --allow-irreversible)
endif()
execute_process(COMMAND "${STRATA_TOOL}" ${args} ${STRATA_BACKEND_ARGS} schema --format sql
                OUTPUT_VARIABLE schema RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "strata schema failed; ${STRATA_SNAPSHOT} is unchanged")
endif()
file(WRITE "${STRATA_SNAPSHOT}" "${schema}")
message(STATUS "wrote ${STRATA_SNAPSHOT}")
