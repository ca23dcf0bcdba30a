# libbtfpack's public face; included from tests/unit/CMakeLists.txt.
# exports: the shared library's dynamic symbols are btfpack_* only.
add_test(NAME unit.lib_exports
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/exports.sh
                 $<TARGET_FILE:btfpack_shared> ${CMAKE_SOURCE_DIR}/include/btfpack.h)

# the API's error paths and log callback, through the public header and the
# shared library only (libbpf: the test plays a host with its own print)
add_executable(test_lib_api test_lib_api.c)
target_link_libraries(test_lib_api PRIVATE btfpack_shared PkgConfig::LIBBPF
                      PkgConfig::CMOCKA)
add_dependencies(test_lib_api synth_fixtures)
add_test(NAME unit.lib_api COMMAND test_lib_api ${BTFPACK_SYNTH_DIR})

# the host lookup: os-release fixtures, hostile os-release, and
# btfpack_bundle__find over bundles the btfpack binary builds: one of each
# kind here, every profile, dedup mode and format in integration.lookup_matrix
add_executable(test_lookup test_lookup.c)
target_link_libraries(test_lookup PRIVATE btfpack_shared PkgConfig::CMOCKA)
add_dependencies(test_lookup synth_fixtures btfpack)
add_test(NAME unit.lookup
         COMMAND test_lookup $<TARGET_FILE:btfpack> ${BTFPACK_SYNTH_DIR}
                 ${CMAKE_SOURCE_DIR}/tests/fixtures/os-release)
add_test(NAME integration.lookup_matrix
         COMMAND test_lookup $<TARGET_FILE:btfpack> ${BTFPACK_SYNTH_DIR}
                 ${CMAKE_SOURCE_DIR}/tests/fixtures/os-release --all)
set_tests_properties(integration.lookup_matrix PROPERTIES LABELS integration TIMEOUT 900)
