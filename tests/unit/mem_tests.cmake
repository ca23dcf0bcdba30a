# cmd/mem_budget.c unit tests; included from tests/unit/CMakeLists.txt.
find_package(Threads REQUIRED)
btfpack_unit_test(mem_budget ${CMAKE_SOURCE_DIR}/cmd/mem_budget.c)
target_link_libraries(test_mem_budget PRIVATE btfpack_archive Threads::Threads)
