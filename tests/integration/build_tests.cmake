# Integration tests of `btfpack build` (included from CMakeLists.txt here,
# after _it_args is set):
#   build_synth   a hub generated at test time from the synthetic kernels:
#                 failures, dedup, formats, modes, filters, flags (~20 s)
#   build_corpus  the btfhub-android corpus: --verify, -j1 == -j2, unique
#                 blobs, libbpf judge on every kernel x object (~45 s)
# build_lib.sh is sourced by both; it is not a test.

add_test(NAME integration.build_synth
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/build_synth.sh ${_it_args})
set_tests_properties(integration.build_synth PROPERTIES
  SKIP_RETURN_CODE 77
  LABELS integration
  TIMEOUT 600)

add_test(NAME integration.build_corpus
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/build_corpus.sh ${_it_args})
set_tests_properties(integration.build_corpus PROPERTIES
  SKIP_RETURN_CODE 77
  LABELS integration
  TIMEOUT 900
  RESOURCE_LOCK btfpack_corpus)

# build_memory: --max-memory (hostile inputs fail alone, others wait, RSS
# bounded) and zstd --long=31 archives (~1 min; needs 1.3 GB of /tmp space
# only as sparse files)
add_test(NAME integration.build_memory
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/build_memory.sh ${_it_args})
set_tests_properties(integration.build_memory PROPERTIES
  SKIP_RETURN_CODE 77
  LABELS integration
  TIMEOUT 900)

# profiles: every --profile (native, bcc, tree, btfhub) with --aliases, read
# back by GNU tar, bsdtar, Python's tarfile, a C reader with bcc's rules and
# Go readers as Inspektor Gadget and tracee have them (tests/readers)
add_test(NAME integration.profiles
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/profiles.sh ${_it_args}
                 "--readers-src=${CMAKE_SOURCE_DIR}/tests/readers")
set_tests_properties(integration.profiles PROPERTIES
  SKIP_RETURN_CODE 77
  LABELS integration
  TIMEOUT 900
  RESOURCE_LOCK btfpack_corpus)

# cache: build --cache on a hub of the synthetic kernels as .tar.xz: hits,
# byte-identical bundles, corrupt/truncated/foreign entries, concurrent
# builds, an -O1 rebuild as a full hit, --cache-max eviction (~20 s)
add_test(NAME integration.cache
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cache.sh ${_it_args})
set_tests_properties(integration.cache PROPERTIES
  SKIP_RETURN_CODE 77
  LABELS integration
  TIMEOUT 600)
