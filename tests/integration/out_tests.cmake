# Output safety (included from CMakeLists.txt here, after _it_args is set):
#   out_signals  SIGTERM/INT/HUP/KILL before a commit, a second run for the
#                same output, stale temps, concurrent builds (~10 s)
#   out_crash    a directory or tar bundle killed at every rename/unlink/
#                mkdir/rmdir of its run (strace fault injection; skips
#                without strace or ptrace) (~1 min)
#   out_enospc   a full tmpfs (needs root to mount it; skips otherwise)
# out_lib.sh is sourced by all three; it is not a test.
foreach(_t out_signals out_crash out_enospc)
  add_test(NAME integration.${_t}
           COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/${_t}.sh ${_it_args})
  set_tests_properties(integration.${_t} PROPERTIES
    SKIP_RETURN_CODE 77
    LABELS integration
    TIMEOUT 600)
endforeach()
