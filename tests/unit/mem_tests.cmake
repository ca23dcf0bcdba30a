# batch/mem_budget.c unit tests; included from tests/unit/CMakeLists.txt.

btfpack_unit_test(mem_budget)
target_link_libraries(test_mem_budget PRIVATE btfpack_batch)
