# batch/cache_entry.c and batch/build_cache.c (build --cache); included from
# tests/unit/CMakeLists.txt.
btfpack_unit_test(build_cache)
target_link_libraries(test_build_cache PRIVATE btfpack_batch)
