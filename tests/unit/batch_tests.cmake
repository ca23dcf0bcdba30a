# batch/ unit tests besides the memory budget; included from tests/unit/CMakeLists.txt.

# hub_walk.c: the walk's order and the shard choice (merge, --shard)
btfpack_unit_test(hub_shard)
target_link_libraries(test_hub_shard PRIVATE btfpack_batch)
