# archive/ unit tests; included from tests/unit/CMakeLists.txt.
btfpack_unit_test(archive_input)
target_link_libraries(test_archive_input PRIVATE btfpack_archive PkgConfig::LIBZSTD)
btfpack_unit_test(archive_bundle)
target_link_libraries(test_archive_bundle PRIVATE btfpack_archive)
btfpack_unit_test(archive_render)
target_link_libraries(test_archive_render PRIVATE btfpack_archive)
